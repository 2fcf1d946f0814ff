/**
 * The kernel's buffers of a UDP socket, SO_RCVBUF and SO_SNDBUF: the sizes
 * `udp()` is given, and the options that set and read them.
 *
 * @module
 */

import type { Socket as DgramSocket } from 'node:dgram';
import { describe } from '../errors/describe.js';
import {
  isBufferSize,
  MAX_BUFFER_SIZE,
  unsupported,
  type OptionHandler,
  type OptionTable,
} from '../net/socket-options.js';

/** @internal The part of a UDP object's option host these options need (see `UdpOptionHost`). */
export interface BoundHost {
  /** Runs `apply` now if bound, else when the socket is bound. */
  whenBound(apply: (socket: DgramSocket) => void): void;
  /** The bound socket, or undefined before the bind. */
  boundSocket(): DgramSocket | undefined;
}

/** @internal `rcvbuf` and `sndbuf` of `udp()`'s options. */
export interface BufferSizes {
  rcvbuf?: number;
  sndbuf?: number;
}

/**
 * @internal Validates the buffer sizes `udp()` was given.
 * @throws TypeError when one is not a number, RangeError when not an integer 1..2147483647
 */
export function checkBufferSizes(options: BufferSizes): BufferSizes {
  const sizes: BufferSizes = {};
  for (const key of ['rcvbuf', 'sndbuf'] as const) {
    const value: unknown = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'number') {
      throw new TypeError(`Expected \`${key}\` to be a number, got \`${describe(value)}\``);
    }
    if (!isBufferSize(value)) {
      throw new RangeError(
        `Expected \`${key}\` to be an integer 1..${MAX_BUFFER_SIZE}, got \`${describe(value)}\``,
      );
    }
    sizes[key] = value;
  }
  return sizes;
}

/**
 * @internal The `recv-buffer-size` and `send-buffer-size` options. Node.js
 * sets and reads them only on a bound socket: a size set earlier is applied
 * at the bind, and reading one before it answers `unsupported`, as there is
 * no kernel value to report yet. What is read is the kernel's answer, not
 * the size asked for (Linux doubles it and caps it at twice
 * `net.core.rmem_max` / `wmem_max`), so that a program sees what it got.
 */
export function bufferSizeTable(host: BoundHost): OptionTable {
  const size = (
    name: 'recv-buffer-size' | 'send-buffer-size',
    set: (s: DgramSocket, bytes: number) => void,
    get: (s: DgramSocket) => number,
  ): OptionHandler<number> => ({
    set: (v) => host.whenBound((s) => set(s, v)),
    get: () => {
      const socket = host.boundSocket();
      if (socket === undefined)
        throw unsupported(name, 'Node.js reads it from a bound socket only (bind first)');
      return get(socket);
    },
  });
  return {
    'recv-buffer-size': size(
      'recv-buffer-size',
      (s, n) => s.setRecvBufferSize(n),
      (s) => s.getRecvBufferSize(),
    ),
    'send-buffer-size': size(
      'send-buffer-size',
      (s, n) => s.setSendBufferSize(n),
      (s) => s.getSendBufferSize(),
    ),
  };
}
