/**
 * A nixio datagram socket over the core's `udp()`: nixio's checks first
 * (EDESTADDRREQ for a send with no peer, EISCONN for a sendto with one),
 * where the core would throw a usage error, then the core's call.
 *
 * @internal
 * @module
 */

import { constants as os } from 'node:os';
import { ipFamily } from '../src/internal.js';
import { udp, type UdpSocket, type WaitOptions, type Readiness } from '../src/index.js';
import type { Backend, Done, Name, OptionTarget, Status } from './backend.js';
import { fail, failure, fault, ok, type NixioResult } from './result.js';
import { BUFFERSIZE } from './stream.js';

const E = os.errno;

/** @internal The datagram side of a nixio socket. */
export class DgramBackend implements Backend {
  readonly #family: 'inet' | 'inet6';
  readonly #socket: UdpSocket;

  constructor(family: 'inet' | 'inet6') {
    this.#family = family;
    this.#socket = udp({ encoding: 'latin1', family });
  }

  async bind(host: string | null, port: number): Promise<Status> {
    try {
      await this.#socket.setsockname(host ?? '*', port);
      return ok(true);
    } catch (err) {
      return failure(err);
    }
  }

  listen(): Promise<Status> {
    return Promise.resolve(fail(E.EOPNOTSUPP));
  }

  accept(): Promise<NixioResult<Backend, string, number>> {
    return Promise.resolve(fail(E.EOPNOTSUPP));
  }

  async connect(host: string | null, port: number): Promise<Status> {
    try {
      await this.#socket.setpeername(
        host ?? (this.#family === 'inet6' ? '::1' : '127.0.0.1'),
        port,
      );
      return ok(true);
    } catch (err) {
      return failure(err);
    }
  }

  async recv(
    length: number,
    wait: WaitOptions,
  ): Promise<NixioResult<string, string | null, number | null>> {
    if (length === 0) return ok('');
    try {
      const size = Math.min(length, BUFFERSIZE);
      if (this.#socket.connected) {
        // recvfrom(2) on a connected socket names its peer, the only sender it hears.
        const data = await this.#socket.receive(size, wait);
        const { address, port } = this.#socket.getpeername();
        return [data, address, port];
      }
      const { data, address, port } = await this.#socket.receivefrom(size, wait);
      return [data, address, port];
    } catch (err) {
      return failure(err);
    }
  }

  async send(
    data: Uint8Array,
    _wait: WaitOptions,
    host?: string,
    port?: number,
  ): Promise<NixioResult<number>> {
    const connected = this.#socket.connected;
    try {
      if (host === undefined) {
        if (!connected) return fail(E.EDESTADDRREQ);
        return ok(await this.#socket.send(data));
      }
      // The core keeps a connected socket to its peer; the kernel would send anyway.
      if (connected) return fail(E.EISCONN);
      if (ipFamily(host) === undefined) return fail(E.EINVAL);
      return ok(await this.#socket.sendto(data, host, port ?? 0));
    } catch (err) {
      return failure(err);
    }
  }

  shutdown(): Done {
    // Linux accepts shutdown on a connected datagram socket and nothing changes.
    return this.#socket.connected ? ok(true) : fault(E.ENOTCONN);
  }

  getsockname(): Name {
    try {
      const { address, port } = this.#socket.getsockname();
      return [address, port, null];
    } catch {
      return [this.#family === 'inet6' ? '::' : '0.0.0.0', 0, null];
    }
  }

  getpeername(): Name {
    if (!this.#socket.connected) return fault(E.ENOTCONN);
    const { address, port } = this.#socket.getpeername();
    return [address, port, null];
  }

  optionTarget(): OptionTarget {
    return this.#socket;
  }

  pendingError(): number {
    return 0;
  }

  get fd(): number {
    return this.#socket.fd;
  }

  get readiness(): Readiness {
    return this.#socket;
  }

  get hangup(): boolean {
    return false;
  }

  close(): void {
    this.#socket.close();
  }
}
