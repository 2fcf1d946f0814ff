/**
 * The toxic sets of the scenario matrix, one line each: what the proxy does
 * to the server's stream, and what the client must then get.
 */

import { int, type Payload } from './payload.js';
import type { Direction, Toxics } from './proxy.js';

export interface ToxicCase {
  readonly toxics: Partial<Record<Direction, Toxics>>;
  /** How many bytes reach the client. */
  readonly delivered: number;
  /** How the stream ends for the client after them. */
  readonly end: 'fin' | 'reset';
  /** The proxy's fault count once the connection is over. */
  readonly faults: number;
}

export interface ToxicSet {
  readonly name: string;
  /** Few runs of it: it costs time by design. */
  readonly slow?: boolean;
  /** Payload sizes for it, in bytes. */
  readonly size: readonly [number, number];
  make(payload: Payload, r: () => number): ToxicCase;
}

const all = (p: Payload, toxics: Partial<Record<Direction, Toxics>>): ToxicCase => ({
  toxics,
  delivered: p.bytes.length,
  end: 'fin',
  faults: 0,
});

/** A cut at a character start: text mode must not end inside a character it was sent whole. */
const cutPoint = (p: Payload, r: () => number): number => p.boundary(int(r, 0, p.bytes.length - 1));

export const TOXIC_SETS: readonly ToxicSet[] = [
  { name: 'none', size: [2048, 16384], make: (p) => all(p, {}) },
  { name: 'slice 1..3', size: [1024, 3072], make: (p) => all(p, { down: { slice: { max: 3 } } }) },
  {
    name: 'slice 1..7 +1ms',
    slow: true,
    size: [512, 2048],
    make: (p) => all(p, { down: { slice: { max: 7, delay: 1 } } }),
  },
  {
    name: 'latency 5±5ms',
    size: [2048, 8192],
    make: (p) => all(p, { down: { latency: { ms: 5, jitter: 5 } } }),
  },
  {
    name: 'bandwidth 200KiB/s',
    slow: true,
    size: [2048, 6144],
    make: (p) => all(p, { down: { bandwidth: { bytesPerSecond: 200 * 1024 } } }),
  },
  {
    name: 'truncate',
    size: [2048, 8192],
    make: (p, r) => {
      const n = cutPoint(p, r);
      return { toxics: { down: { truncate: { after: n } } }, delivered: n, end: 'fin', faults: 1 };
    },
  },
  {
    name: 'reset',
    size: [2048, 8192],
    make: (p, r) => {
      const n = cutPoint(p, r);
      return { toxics: { down: { reset: { after: n } } }, delivered: n, end: 'reset', faults: 1 };
    },
  },
  {
    name: 'blackhole 60ms',
    size: [2048, 8192],
    make: () => ({
      toxics: { down: { blackhole: { closeAfter: 60 } } },
      delivered: 0,
      end: 'fin',
      faults: 1,
    }),
  },
  {
    name: 'stall 80ms',
    size: [2048, 8192],
    make: (p) => all(p, { down: { stall: { ms: 80 } } }),
  },
  {
    name: 'slice+latency+truncate',
    size: [1024, 6144],
    make: (p, r) => {
      const n = cutPoint(p, r);
      return {
        toxics: {
          down: { slice: { max: 5 }, latency: { ms: 1, jitter: 1 }, truncate: { after: n } },
        },
        delivered: n,
        end: 'fin',
        faults: 1,
      };
    },
  },
];
