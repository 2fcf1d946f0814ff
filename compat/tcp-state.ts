/**
 * The states of a compat TCP object and the core object behind each: a
 * master (`TcpMaster`), a server (`TcpServer`) or a client (`TcpClient`,
 * none yet while a client's connect has not succeeded). LuaSocket keeps one
 * userdata and changes its class; compat keeps one object and swaps this.
 *
 * @internal
 * @module
 */

import {
  type SocketAddress,
  SocketError,
  tcp as coreTcp,
  type TcpClient,
  type TcpMaster,
  type TcpServer,
} from '../src/index.js';
import {
  connectInBackground,
  type ConnectOutcome,
  PendingConnect as CorePendingConnect,
} from '../src/internal.js';
import type { CompatEncoding } from './buffer.js';
import type { ClientRef } from './buffer.js';
import type { Family } from './tuples.js';

/** @internal A core master the compat way. */
export type Master = TcpMaster<CompatEncoding>;

/**
 * @internal A connect the core keeps going after its call timed out
 * (LuaSocket's non-blocking connect), the compat way.
 */
export type PendingConnect = CorePendingConnect<TcpClient<string>>;

/** @internal The core object behind each state. */
export type TcpCore =
  | { readonly state: 'master'; readonly master: Master }
  | { readonly state: 'server'; readonly server: TcpServer<string> }
  | {
      readonly state: 'client';
      readonly client: TcpClient<string> | undefined;
      readonly master?: Master;
      /** A connect that outlived the call that started it (LuaSocket's non-blocking connect). */
      readonly pending?: PendingConnect;
    };

/** @internal What an object's new core masters are made with, and the family it has. */
export interface TcpInit {
  encoding: CompatEncoding;
  family: Family | undefined;
}

/**
 * @internal A core master with Lua strings and, as in LuaSocket, no line
 * limit; an IPv6 socket accepts no IPv4 peers, as every IPv6 socket
 * LuaSocket creates gets IPV6_V6ONLY (`setoption('ipv6-v6only', false)` lifts it).
 */
export function newMaster({ encoding, family }: TcpInit): Master {
  return coreTcp<CompatEncoding>({
    encoding,
    maxLineLength: Infinity,
    ipv6Only: true,
    ...(family !== undefined && { family }),
  });
}

/**
 * @internal The core object an open object answers through.
 * @throws SocketError `closed` when the object is closed or has no connection
 */
export function openCore(
  core: TcpCore,
  closed: boolean,
): Master | TcpServer<string> | TcpClient<string> {
  if (closed) throw new SocketError('closed');
  if (core.state === 'master') return core.master;
  if (core.state === 'server') return core.server;
  if (core.client === undefined) throw new SocketError('closed');
  return core.client;
}

/**
 * @internal The settings an object goes on with once `open` (its core object)
 * is bound: the family it ended up with, learnt from the address; `init`
 * unchanged while it is not bound yet.
 */
export function settledInit(
  init: Readonly<TcpInit>,
  open: () => { getsockname(): SocketAddress },
): Readonly<TcpInit> {
  try {
    const { family } = open().getsockname();
    return family === init.family ? init : { ...init, family };
  } catch {
    return init; // Not bound yet: the family stays what the object was made with.
  }
}

/** @internal True when the state already has a connection or listens: connect answers "already connected". */
export function isConnected(core: TcpCore): boolean {
  return core.state === 'server' || (core.state === 'client' && core.client !== undefined);
}

/**
 * @internal The master a connect goes through: the object's own while it is
 * unused or its connect failed, a new one once it was closed (LuaSocket
 * makes a new descriptor then).
 */
export function masterFor(core: TcpCore, closed: boolean, init: TcpInit): Master {
  const master = core.state === 'server' ? undefined : core.master;
  return master === undefined || closed ? newMaster(init) : master;
}

/**
 * @internal The master's connect, kept going in the core when its call
 * times out; an empty host fails as its lookup does in LuaSocket (see `host.ts`).
 */
export function connectFrom(master: Master, host: string, port: number): PendingConnect {
  if (host === '') return new CorePendingConnect(() => Promise.reject(new SocketError('noname')));
  return master[connectInBackground](host, port);
}

/**
 * @internal The state once `pending` has ended, if it is still the
 * object's connect: a connected object has its client from then on (a
 * connect call still has to be told, so `pending` stays until then).
 */
export function afterConnect(
  core: TcpCore,
  pending: PendingConnect,
  outcome: ConnectOutcome<TcpClient<string>>,
): TcpCore {
  if (!('client' in outcome) || core.state !== 'client' || core.pending !== pending) return core;
  return { state: 'client', client: outcome.client, pending };
}

/**
 * @internal The client a receive or send of a client state goes through;
 * while its connect runs, a promise of the client the state has once that
 * connect has ended (`current` reads the state then; undefined when closed).
 */
export function streamOf(
  core: Extract<TcpCore, { state: 'client' }>,
  current: () => TcpCore | undefined,
): ClientRef {
  const { client, pending } = core;
  if (pending === undefined || pending.outcome !== undefined) return client;
  return pending.settled.then(() => {
    const now = current();
    return now?.state === 'client' ? now.client : undefined;
  });
}

/**
 * @internal What a connect call answers about `pending`, and the state that
 * follows: the connection (reported once; later calls get "already
 * connected") or the error (then the object may connect again). While the
 * connect runs, the call that started it has timed out, and a second call
 * (`again`) gets LuaSocket's immediate EALREADY.
 */
export function connectAnswer(
  core: TcpCore,
  pending: PendingConnect,
  again: boolean,
): [TcpCore, SocketError | undefined] {
  const outcome = pending.outcome;
  if (outcome === undefined) {
    const error = again
      ? new SocketError('system', { message: 'Operation already in progress' })
      : new SocketError('timeout');
    return [core, error];
  }
  if (core.state !== 'client' || core.pending !== pending) {
    return [core, new SocketError('closed')];
  }
  if ('error' in outcome) {
    return [
      { state: 'client', client: undefined, ...(core.master && { master: core.master }) },
      outcome.error,
    ];
  }
  return [{ state: 'client', client: outcome.client }, undefined];
}
