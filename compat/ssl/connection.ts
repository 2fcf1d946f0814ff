/**
 * LuaSec's connection object (`ssl.c`'s `SSL:Connection`): made by
 * `ssl.wrap` from a TCP client, new until `dohandshake` succeeds, then a
 * stream with LuaSocket's `receive`/`send` over the core's TLS client. Each
 * method checks the state, then delegates: the handshake to the core's
 * background `starttls`, reads and writes to `buffer.ts`, what was
 * negotiated to the core's TLS socket.
 *
 * @module
 */

import { type Readiness, readiness, type Selectable } from '../../src/index.js';
import {
  type PendingConnect,
  readinessOf,
  secureSocketOf,
  starttlsInBackground,
} from '../../src/internal.js';
import {
  getstats,
  receive,
  receiveFailure,
  send,
  setstats,
  type ClientRef,
  type CompatEncoding,
  type StreamClient,
} from '../buffer.js';
import { handshakeReadiness, IGNORED } from '../readiness.js';
import { applyTimeouts, coreTimeouts, settimeout, type LuaTimeouts } from '../timeout.js';
import type { ReceiveResult, Result, SendResult, StatsResult } from '../tuples.js';
import { cipherInfo, type SslInfo } from './cipher-info.js';
import { ROLE, type SslContext, type SslRole } from './context.js';
import { handshakeMessage, readMessage, writeMessage } from './messages.js';
import { finished, peerChain } from './reports.js';
import { judgeClient, tlsRole, type SniMap, type SniSetting } from './roles.js';
import type { Certificate } from './x509.js';

/** What `dohandshake` answers: `[true, null]`, or `[false, err]` (`'wantread'` while it must wait). */
export type HandshakeResult = [true, null] | [false, string];

/** What `want()` answers: what the connection last waited for. */
export type SslWant = 'nothing' | 'read' | 'write' | 'x509lookup';

type State =
  | { readonly state: 'new'; readonly client: ClientRef }
  | { readonly state: 'handshaking'; readonly pending: PendingConnect<StreamClient> }
  | { readonly state: 'connected'; readonly client: StreamClient }
  | { readonly state: 'failed'; readonly error: string; readonly pending: Readiness }
  | { readonly state: 'closed' };

const CLOSED: State = Object.freeze({ state: 'closed' });
const NOT_CONNECTED: [null, string] = [null, 'closed'];

export type { SniMap } from './roles.js';

/**
 * A LuaSec connection, from `ssl.wrap`: `dohandshake`, then LuaSocket's
 * `receive`/`send` (every pattern, prefix, partial and timeout) over TLS.
 * A timeout is `'wantread'` (receive, handshake) or `'wantwrite'` (send),
 * as LuaSec names it; before the handshake and once closed, `'closed'`.
 *
 * @example The wantread loop of LuaSec's samples
 * ```ts
 * import socket from 'luasocket-async/compat';
 * import ssl from 'luasocket-async/compat/ssl';
 *
 * const [tcp] = await socket.connect('127.0.0.1', 8888);
 * const [conn, err] = ssl.wrap(tcp!, { mode: 'client', protocol: 'any', verify: 'none' });
 * if (conn === null) throw new Error(err);
 * conn.settimeout(0.3);
 * let [ok, e] = await conn.dohandshake();
 * while (!ok && e === 'wantread') {
 *   await socket.select([conn], null);
 *   [ok, e] = await conn.dohandshake();
 * }
 * console.log(await conn.receive('*l'));
 * conn.close();
 * ```
 */
export class SslObject implements Selectable {
  #state: State;
  readonly #role: SslRole;
  readonly #encoding: CompatEncoding;
  readonly #timeouts: LuaTimeouts = { block: undefined, total: undefined };
  #fd: number;
  #want: SslWant = 'nothing';
  readonly #sni: SniSetting = {};
  /** For `socket.select`: recomputed whenever the state changes (select reads it often). */
  readonly [readiness]: Readiness = IGNORED;
  // Made once per object, not per call: they note what the connection waits for.
  readonly #readFailed = (err: unknown): ReceiveResult => {
    const name = readMessage(err);
    if (name === 'wantread') this.#want = 'read';
    return receiveFailure(err, name);
  };
  readonly #writeFailed = (err: unknown): string => {
    const name = writeMessage(err);
    if (name === 'wantwrite') this.#want = 'write';
    return name;
  };

  /** @internal Use `ssl.wrap`. */
  constructor(client: ClientRef, context: SslContext, encoding: CompatEncoding) {
    this.#role = context[ROLE];
    this.#encoding = encoding;
    this.#fd = client instanceof Promise || client === undefined ? -1 : client.fd;
    this.#state = { state: 'new', client };
    this.#setState(this.#state);
  }

  /** `conn:dohandshake()`: runs the handshake, under the connection's timeouts. */
  dohandshake(): Promise<HandshakeResult> {
    const s = this.#state;
    if (s.state === 'closed') return Promise.resolve([false, 'closed']);
    if (s.state === 'connected') return Promise.resolve([true, null]);
    if (s.state === 'failed') return Promise.resolve([false, s.error]);
    if (s.state === 'handshaking')
      return this.#settle(s.pending, s.pending.wait(coreTimeouts(this.#timeouts), 'handshake'));
    const { client } = s;
    if (client instanceof Promise) return client.then((c) => this.#start(s, c));
    return this.#start(s, client);
  }

  #start(s: State, client: StreamClient | undefined): Promise<HandshakeResult> {
    if (this.#state !== s) return this.dohandshake();
    if (client === undefined || client.closed) {
      this.#setState(CLOSED);
      return Promise.resolve([false, 'closed']);
    }
    this.#fd = client.fd;
    applyTimeouts(client, this.#timeouts);
    const pending = starttlsInBackground(client, tlsRole(this.#role, this.#sni, client));
    this.#setState({ state: 'handshaking', pending });
    return this.#settle(pending, pending.result);
  }

  #settle(
    pending: PendingConnect<StreamClient>,
    call: Promise<StreamClient>,
  ): Promise<HandshakeResult> {
    this.#want = 'read';
    return call.then(
      (client): HandshakeResult => {
        if (this.#state.state !== 'handshaking' || this.#state.pending !== pending)
          return [false, 'closed'];
        const refused = judgeClient(this.#role, client);
        if (refused !== undefined) {
          pending.close(); // closes the client it made
          return this.#fail(refused, pending);
        }
        this.#want = 'nothing';
        this.#setState({ state: 'connected', client });
        return [true, null];
      },
      (err: unknown): HandshakeResult => {
        if (this.#state.state !== 'handshaking' || this.#state.pending !== pending)
          return [false, 'closed'];
        // Timed out while the handshake goes on: the Lua call returns, the handshake does not.
        if (pending.outcome === undefined) return [false, handshakeMessage(err)];
        return this.#fail(handshakeMessage(err), pending);
      },
    );
  }

  /** Ends in failure; a failed handshake stays readable for `select`, as its socket would. */
  #fail(error: string, pending: PendingConnect<StreamClient>): HandshakeResult {
    // OpenSSL still wants to read after a failed read; a refused certificate waits for nothing.
    this.#want = error === 'certificate verify failed' ? 'nothing' : 'read';
    this.#setState({ state: 'failed', error, pending });
    return [false, error];
  }

  /**
   * `conn:receive([pattern[, prefix]])`: LuaSocket's patterns over the
   * decrypted stream. A timeout answers `'wantread'` with the partial.
   * @returns `[data, null, null]` or `[null, err, partial]`
   */
  receive(
    pattern?: string | number | null,
    prefix?: string | number | null,
  ): Promise<ReceiveResult> {
    this.#want = 'nothing';
    return receive(this.#connected(), pattern, prefix, this.#readFailed);
  }

  /**
   * `conn:send(data[, i[, j]])`: as LuaSocket's; a timeout answers `'wantwrite'`.
   * @returns `[last, null, null]` or `[null, err, last]`
   */
  send(
    data: string | number | Uint8Array,
    i?: number | string | null,
    j?: number | string | null,
  ): Promise<SendResult> {
    this.#want = 'nothing';
    return send(this.#connected(), this.#encoding, data, i, j, this.#writeFailed);
  }

  /** `conn:settimeout(value[, mode])`: LuaSocket's block and total timeouts. @returns `1` */
  settimeout(value?: number | string | null, mode?: string | null): 1 {
    settimeout(this.#timeouts, value, mode);
    const s = this.#state;
    if (s.state === 'connected') applyTimeouts(s.client, this.#timeouts);
    return 1;
  }

  /** `conn:close()`: closes the connection (sending TLS's close_notify); returns nothing, as LuaSec. */
  close(): void {
    const s = this.#state;
    if (s.state === 'new' && s.client !== undefined && !(s.client instanceof Promise))
      s.client.close();
    else if (s.state === 'new' && s.client instanceof Promise)
      void s.client.then((c) => c?.close());
    else if (s.state === 'handshaking') s.pending.close();
    else if (s.state === 'connected') s.client.close();
    this.#want = 'nothing';
    this.#fd = -1;
    this.#setState(CLOSED);
  }

  /** `conn:dirty()`: true when decrypted bytes wait in the buffer. */
  dirty(): boolean {
    const s = this.#state;
    return s.state === 'connected' && s.client.dirty();
  }

  /** `conn:want()`: what the connection last waited for (`'read'` while a handshake runs). */
  want(): SslWant {
    return this.#want;
  }

  /** `conn:getfd()`: the descriptor, for display only; -1 once closed. */
  getfd(): number {
    return this.#fd;
  }

  /** `conn:getstats()`: bytes received and sent through `receive`/`send` (plaintext), and the age. */
  getstats(): StatsResult {
    const s = this.#state;
    return getstats(s.state === 'connected' ? s.client : undefined);
  }

  /** `conn:setstats([received[, sent[, age]]])`. @returns `1` */
  setstats(received?: number | null, sent?: number | null, age?: number | null): 1 {
    const s = this.#state;
    return setstats(s.state === 'connected' ? s.client : undefined, received, sent, age);
  }

  /**
   * `conn:sni(name)` on a client: the name to send (SNI), before the
   * handshake. `conn:sni(map, strict)` on a server: the context for each
   * name a client asks for; an unknown name gets the wrapped context, or
   * with `strict` ends the handshake.
   */
  sni(name: string | SniMap, strict?: boolean): void {
    if (this.#role.mode === 'client') {
      if (typeof name !== 'string')
        throw new TypeError("bad argument #2 to 'sni' (string expected)");
      this.#sni.name = name;
    } else if (this.#role.mode === 'server') {
      if (typeof name !== 'object' || name === null)
        throw new TypeError("bad argument #2 to 'sni' (table expected)");
      this.#sni.map = { map: name, strict: strict === true };
    }
  }

  /** `conn:getsniname()`: the name the client sent (SNI), or null. */
  getsniname(): string | null {
    const name = this.#tls()?.servername;
    return typeof name === 'string' && name !== '' ? name : null;
  }

  /** `conn:getalpn()`: the protocol ALPN chose, or null. */
  getalpn(): string | null {
    const s = this.#state;
    return s.state === 'connected' ? s.client.getalpn() : null;
  }

  /**
   * `conn:getpeercertificate([n])`: the peer's certificate (`n` = 1) or
   * the `n`th of its chain.
   * @returns `[cert, null]`, `[null, null]` past the chain, `[null, 'closed']` before the handshake
   */
  getpeercertificate(n = 1): Result<Certificate> | [null, null] {
    const chain = this.#chain();
    if (chain === undefined) return NOT_CONNECTED;
    if (!(n >= 1)) return [null, 'invalid certificate index'];
    const cert = chain[Math.trunc(n) - 1];
    return cert === undefined ? [null, null] : [cert, null];
  }

  /** `conn:getpeerchain()`: the peer's certificates, its own first. */
  getpeerchain(): Result<Certificate[]> {
    const chain = this.#chain();
    return chain === undefined ? NOT_CONNECTED : [chain, null];
  }

  /**
   * `conn:getpeerverification()`: whether the peer's certificate verified.
   * @returns `[true, null]`, or `[false, reason]` (OpenSSL's words; `'closed'` before the handshake)
   */
  getpeerverification(): [true, null] | [false, string] {
    const s = this.#state;
    if (s.state !== 'connected') return [false, 'closed'];
    const v = s.client.getpeerverification();
    if (v?.authorized === true) return [true, null];
    return [false, v?.error ?? 'unable to get local issuer certificate'];
  }

  /** `conn:getfinished()`: the last Finished message sent, as a byte string. */
  getfinished(): Result<string> {
    const tls = this.#tls();
    if (tls === undefined) return NOT_CONNECTED;
    return [finished(tls.getFinished()), null];
  }

  /** `conn:getpeerfinished()`: the last Finished message received, as a byte string. */
  getpeerfinished(): Result<string> {
    const tls = this.#tls();
    if (tls === undefined) return NOT_CONNECTED;
    return [finished(tls.getPeerFinished()), null];
  }

  /**
   * `conn:info([field])`: the negotiated cipher as LuaSec describes it
   * (`cipher`, `protocol`, `key`, `authentication`, `encryption`, `mac`,
   * `bits`, `algbits`, `export`), or one field of it.
   */
  info(): Result<SslInfo>;
  info<K extends keyof SslInfo>(field: K): Result<SslInfo[K]>;
  info(field?: keyof SslInfo): Result<SslInfo | SslInfo[keyof SslInfo]> {
    const tls = this.#tls();
    const cipher = tls?.getCipher();
    if (tls === undefined || cipher === undefined) return NOT_CONNECTED;
    const info = cipherInfo(cipher.name, tls.getProtocol());
    return [field === undefined ? info : info[field], null];
  }

  /** LuaSec's `tostring` without the address: `'SSL connection'`, `'SSL connection (closed)'`. */
  toString(): string {
    return this.#state.state === 'closed' ? 'SSL connection (closed)' : 'SSL connection';
  }

  #connected(): StreamClient | undefined {
    const s = this.#state;
    return s.state === 'connected' ? s.client : undefined;
  }

  #tls(): ReturnType<typeof secureSocketOf> {
    const client = this.#connected();
    return client === undefined ? undefined : secureSocketOf(client);
  }

  #chain(): Certificate[] | undefined {
    const tls = this.#tls();
    return tls === undefined ? undefined : peerChain(tls);
  }

  #setState(state: State): void {
    this.#state = state;
    const ready =
      state.state === 'new'
        ? readinessOf(state.client instanceof Promise ? undefined : state.client)
        : state.state === 'handshaking'
          ? handshakeReadiness(state.pending)
          : state.state === 'failed'
            ? state.pending
            : state.state === 'connected'
              ? readinessOf(state.client)
              : undefined;
    (this as { [readiness]: Readiness })[readiness] = ready ?? IGNORED;
  }
}
