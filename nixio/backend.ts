/**
 * What a nixio socket asks of the core object behind it: one interface,
 * implemented once for streams (TCP and Unix) and once for datagrams, so
 * that `socket.ts` only checks arguments and state and then delegates.
 * Every method answers nixio's tuple; none throws for a network failure.
 *
 * @internal
 * @module
 */

import type { OptionName, OptionValues, Readiness, WaitOptions } from '../src/index.js';
import type { NixioError, NixioResult } from './result.js';

/** @internal A status call's answer: `[true, null, null]` or a failure. */
export type Status = NixioResult<true>;

/** @internal The answer of a status call that never waits: `[true, null, null]` or an error. */
export type Done = NixioResult<true, null, null, NixioError>;

/** @internal An address answer: `[ip, port, null]`. */
export type Name = NixioResult<string, number, null, NixioError>;

/** @internal The core object an option is set on, as `options.ts` needs it. */
export interface OptionTarget {
  setoption<K extends OptionName>(name: K, value: OptionValues[K]): void;
  getoption<K extends OptionName>(name: K): OptionValues[K];
}

/** @internal The core side of a nixio socket. */
export interface Backend {
  bind(host: string | null, port: number): Promise<Status>;
  listen(backlog: number): Promise<Status>;
  /** `[backend, ip, port]` of the accepted connection. */
  accept(wait: WaitOptions): Promise<NixioResult<Backend, string, number>>;
  connect(
    host: string | null,
    port: number,
    wait: WaitOptions,
    background: boolean,
  ): Promise<Status>;
  recv(
    length: number,
    wait: WaitOptions,
  ): Promise<NixioResult<string, string | null, number | null>>;
  send(
    data: Uint8Array,
    wait: WaitOptions,
    host?: string,
    port?: number,
  ): Promise<NixioResult<number>>;
  shutdown(how: 'both' | 'send' | 'receive'): Done;
  getsockname(): Name;
  getpeername(): Name;
  /** The core object options go to, or the failure when there is none yet. */
  optionTarget(): OptionTarget | NixioError;
  /** The pending error of a connect (SO_ERROR), 0 for none. */
  pendingError(): number;
  readonly fd: number;
  /** For `nixio.poll`: undefined while nothing can become ready. */
  readonly readiness: Readiness | undefined;
  /** True once the peer ended the stream and the end was read. */
  readonly hangup: boolean;
  close(): void;
}
