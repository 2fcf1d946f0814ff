/**
 * A nixio stream socket over the core: a master (`tcp()` / `unix()`) until
 * it listens or connects, then the core's server or client. Binding listens
 * at once in the core (Node.js cannot bind a TCP socket without listening),
 * so `listen` only hands the bound socket over; its backlog is fixed then.
 *
 * @internal
 * @module
 */

import { constants as os } from 'node:os';
import {
  SocketError,
  tcp,
  unix,
  type Readiness,
  type SocketAddress,
  type TcpClient,
  type TcpMaster,
  type TcpServer,
  type UnixAddress,
  type UnixMaster,
  type WaitOptions,
} from '../src/index.js';
import { connectInBackground, type PendingConnect } from '../src/internal.js';
import type { Backend, Done, Name, OptionTarget, Status } from './backend.js';
import {
  errnoOf,
  error,
  fail,
  failure,
  fault,
  ok,
  type NixioError,
  type NixioResult,
} from './result.js';

const E = os.errno;
/** nixio reads at most this much per call (`NIXIO_BUFFERSIZE`). */
export const BUFFERSIZE = 8192;

type Client = TcpClient<string, SocketAddress | UnixAddress>;
type Server = TcpServer<string, SocketAddress | UnixAddress>;

/** @internal The stream side of a nixio socket. */
export class StreamBackend implements Backend {
  readonly #family: 'inet' | 'inet6' | 'unix';
  #master: TcpMaster<'latin1'> | UnixMaster<'latin1'> | undefined;
  #bound = false;
  #server: Server | undefined;
  #client: Client | undefined;
  #pending: PendingConnect<TcpClient<string>> | undefined;
  #eof = false;

  constructor(family: 'inet' | 'inet6' | 'unix', client?: Client) {
    this.#family = family;
    if (client === undefined)
      this.#master =
        family === 'unix' ? unix({ encoding: 'latin1' }) : tcp({ encoding: 'latin1', family });
    this.#client = client;
  }

  /** The client once connected, taking over a background connect that has. */
  #connected(): Client | undefined {
    const outcome = this.#pending?.outcome;
    if (outcome !== undefined && 'client' in outcome) {
      this.#client = outcome.client;
      this.#pending = undefined;
      this.#master = undefined;
    }
    return this.#client;
  }

  async bind(host: string | null, port: number): Promise<Status> {
    const master = this.#master;
    if (master === undefined || this.#bound || this.#pending !== undefined) return fail(E.EINVAL);
    try {
      if (this.#family === 'unix') await (master as UnixMaster<'latin1'>).bind(host ?? '');
      else await (master as TcpMaster<'latin1'>).bind(host ?? '*', port);
      this.#bound = true;
      return ok(true);
    } catch (err) {
      return failure(err);
    }
  }

  async listen(backlog: number): Promise<Status> {
    if (this.#server !== undefined) return ok(true);
    const master = this.#master;
    if (master === undefined || this.#pending !== undefined) return fail(E.EINVAL);
    try {
      this.#server = await master.listen(backlog);
      this.#master = undefined;
      return ok(true);
    } catch (err) {
      return failure(err);
    }
  }

  async accept(wait: WaitOptions): Promise<NixioResult<Backend, string, number>> {
    const server = this.#server;
    if (server === undefined) return fail(E.EINVAL);
    try {
      const client = await server.accept(wait);
      const peer = this.#family === 'unix' ? undefined : (client.getpeername() as SocketAddress);
      return [new StreamBackend(this.#family, client), peer?.address ?? '', peer?.port ?? 0];
    } catch (err) {
      return failure(err);
    }
  }

  async connect(
    host: string | null,
    port: number,
    wait: WaitOptions,
    background: boolean,
  ): Promise<Status> {
    if (this.#connected() !== undefined) return fail(E.EISCONN);
    if (this.#pending !== undefined) return fail(E.EALREADY);
    const master = this.#master;
    if (master === undefined || this.#server !== undefined) return fail(E.EINVAL);
    try {
      if (this.#family === 'unix') {
        this.#client = await (master as UnixMaster<'latin1'>).connect(host ?? '', wait);
      } else if (background) {
        const pending = (master as TcpMaster<'latin1'>)[connectInBackground](
          host ?? '',
          port,
          wait,
        );
        this.#pending = pending;
        try {
          this.#client = await pending.result;
          this.#pending = undefined;
        } catch (err) {
          // The deadline passed while the attempt goes on: POSIX's EINPROGRESS.
          if (err instanceof SocketError && err.code === 'timeout' && pending.outcome === undefined)
            return fail(E.EINPROGRESS);
          this.#pending = undefined;
          throw err;
        }
      } else {
        this.#client = await (master as TcpMaster<'latin1'>).connect(host ?? '', port, wait);
      }
      this.#master = undefined;
      return ok(true);
    } catch (err) {
      return failure(err);
    }
  }

  async recv(length: number, wait: WaitOptions): Promise<NixioResult<string, null, null>> {
    const client = this.#connected();
    if (client === undefined) return fail(E.ENOTCONN);
    if (this.#eof || length === 0) return ok('');
    try {
      return ok(await client.receiveany(Math.min(length, BUFFERSIZE), wait));
    } catch (err) {
      // An orderly end is recv's 0: '' now and on every later call.
      if (err instanceof SocketError && err.code === 'closed' && err.cause === undefined) {
        this.#eof = true;
        return ok('');
      }
      return failure(err);
    }
  }

  async send(data: Uint8Array, wait: WaitOptions): Promise<NixioResult<number>> {
    const client = this.#connected();
    if (client === undefined) return fail(E.EPIPE);
    if (data.length === 0) return ok(0);
    try {
      return ok(await client.send(data, wait));
    } catch (err) {
      // A partial write is a success of that many bytes, as write(2) reports it.
      if (err instanceof SocketError && err.sent !== undefined && err.sent > 0) return ok(err.sent);
      // A write on a connection the peer ended is write(2)'s EPIPE.
      if (err instanceof SocketError && err.code === 'closed' && errnoOf(err) === E.ENOTCONN)
        return fail(E.EPIPE);
      return failure(err);
    }
  }

  shutdown(how: 'both' | 'send' | 'receive'): Done {
    const client = this.#connected();
    if (client === undefined) return fault(E.ENOTCONN);
    client.shutdown(how);
    return ok(true);
  }

  getsockname(): Name {
    // nixio parses AF_INET and AF_INET6 addresses only.
    if (this.#family === 'unix') return fault(E.EAFNOSUPPORT);
    const named = this.#connected() ?? this.#server ?? (this.#bound ? this.#master : undefined);
    if (named === undefined) return [this.#family === 'inet6' ? '::' : '0.0.0.0', 0, null];
    try {
      const { address, port } = named.getsockname() as SocketAddress;
      return [address, port, null];
    } catch (err) {
      return error(err);
    }
  }

  getpeername(): Name {
    if (this.#family === 'unix') return fault(E.EAFNOSUPPORT);
    const client = this.#connected();
    if (client === undefined) return fault(E.ENOTCONN);
    try {
      const { address, port } = client.getpeername() as SocketAddress;
      return [address, port, null];
    } catch (err) {
      return error(err);
    }
  }

  optionTarget(): OptionTarget | NixioError {
    return this.#connected() ?? this.#server ?? this.#master ?? fault(E.EBADF);
  }

  pendingError(): number {
    const outcome = this.#pending?.outcome;
    return outcome !== undefined && 'error' in outcome ? errnoOf(outcome.error) : 0;
  }

  get fd(): number {
    return (this.#connected() ?? this.#server ?? this.#master)?.fd ?? -1;
  }

  get readiness(): Readiness | undefined {
    return this.#pending ?? this.#connected() ?? this.#server;
  }

  get hangup(): boolean {
    return this.#eof;
  }

  close(): void {
    this.#pending?.close();
    this.#client?.close();
    this.#server?.close();
    this.#master?.close();
  }
}
