/**
 * One direction of a proxied connection: the bytes read from `src` pass
 * through the toxics of that direction, in order, and are written to `dst`.
 */

import type { Socket } from 'node:net';

export type Direction = 'up' | 'down'; // up = client → server, down = server → client

export interface Toxics {
  /** Each chunk delayed ms ± jitter; a later chunk never overtakes an earlier one. */
  latency?: { ms: number; jitter?: number };
  /** Re-cut into pieces of min..max bytes (min default 1), `delay` ms between pieces (0 = next macrotask). */
  slice?: { max: number; min?: number; delay?: number };
  bandwidth?: { bytesPerSecond: number };
  /** Accept and read, forward nothing; optionally close both sides after ms. */
  blackhole?: { closeAfter?: number };
  /** Forward `after` bytes in this direction, then end (FIN) both sides. */
  truncate?: { after: number };
  /** Forward `after` bytes, then destroy both sides with RST. */
  reset?: { after: number };
  /** Stop reading the source side so its writer meets backpressure; resume after ms (never if omitted). */
  stall?: { ms?: number };
}

/** Injected faults, and `rst`: a peer's reset passed on (not counted as a fault). */
export type Fault = 'truncate' | 'reset' | 'close' | 'rst';

/** What a pipe needs from the connection it belongs to. */
export interface Link {
  readonly random: () => number;
  /** Resolves after `ms` on an unref'd timer; never settles once the connection is torn down. */
  later(ms: number): Promise<void>;
  /**
   * Resolves once the event loop went through a poll phase, likewise: a
   * reader in this process has then read what was written before.
   */
  turn(): Promise<void>;
  /** True once the connection was destroyed or cut: nothing more may be written. */
  gone(): boolean;
  forwarded(bytes: number): void;
  fault(kind: Fault): void;
}

/** Bytes queued in a pipe before its source is paused (backpressure reaches the writer). */
const HIGH_WATER = 64 * 1024;

/** The byte count and kind of the cut this direction's toxics ask for, if any. */
export function cutOf(t: Toxics): { after: number; kind: Fault } | undefined {
  const cuts: { after: number; kind: Fault }[] = [];
  if (t.truncate !== undefined) cuts.push({ after: t.truncate.after, kind: 'truncate' });
  if (t.reset !== undefined) cuts.push({ after: t.reset.after, kind: 'reset' });
  return cuts.sort((a, b) => a.after - b.after)[0];
}

export class Pipe {
  private readonly queue: { data: Buffer; due: number }[] = [];
  private queued = 0;
  private submitted = 0;
  private lastDue = 0;
  private nextSlot = 0;
  private running = false;
  private ended = false;
  private resetting = false;
  private finished = false;
  private stalled = false;
  private throttled = false;
  private readonly cut: { after: number; kind: Fault } | undefined;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly t: Toxics,
    private readonly link: Link,
  ) {
    this.cut = cutOf(t);
    src.on('data', (chunk: Buffer) => this.push(chunk));
    src.on('end', () => {
      // A blackhole swallows the FIN too: the far side hears nothing until closeAfter.
      if (t.blackhole !== undefined) return;
      this.ended = true;
      this.kick();
    });
    // After the 'data' listener: attaching it resumes the stream.
    if (t.stall !== undefined) {
      this.stalled = true;
      src.pause();
      if (t.stall.ms !== undefined)
        void link.later(t.stall.ms).then(() => {
          this.stalled = false;
          if (!this.throttled) src.resume();
        });
    }
  }

  private push(chunk: Buffer): void {
    // A blackhole or a cut connection still reads, so that the writer is never blocked.
    if (this.link.gone() || this.t.blackhole !== undefined) return;
    if (this.cut !== undefined && this.submitted + this.queued >= this.cut.after) return;
    this.queue.push({ data: chunk, due: this.due() });
    this.queued += chunk.length;
    if (this.queued >= HIGH_WATER && !this.throttled) {
      this.throttled = true;
      this.src.pause();
    }
    this.kick();
  }

  private due(): number {
    const l = this.t.latency;
    if (l === undefined) return 0;
    const jitter = l.jitter === undefined ? 0 : (this.link.random() * 2 - 1) * l.jitter;
    // Never earlier than the chunk before: latency must not reorder the stream.
    this.lastDue = Math.max(this.lastDue, performance.now() + Math.max(0, l.ms + jitter));
    return this.lastDue;
  }

  /** The source was reset by its peer: the data queued before still goes, then the RST. */
  reset(): void {
    if (this.t.blackhole !== undefined) return;
    this.resetting = true;
    this.ended = true;
    this.kick();
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      this.queued -= next.data.length;
      if (this.throttled && this.queued < HIGH_WATER) {
        this.throttled = false;
        if (!this.stalled) this.src.resume();
      }
      const wait = next.due - performance.now();
      if (wait > 0) await this.link.later(wait);
      if (this.link.gone()) return;
      await this.forward(next.data);
      if (this.link.gone()) return;
    }
    this.running = false;
    if (!this.ended || this.finished) return;
    this.finished = true;
    if (!this.resetting) {
      this.dst.end();
      return;
    }
    // Right after the data an RST would overtake it: libuv reports a read that
    // meets an RST as EOF (or the kernel drops the unread bytes).
    await this.link.turn();
    this.link.fault('rst');
  }

  private async forward(data: Buffer): Promise<void> {
    const room = this.cut === undefined ? Infinity : this.cut.after - this.submitted;
    const head = data.length > room ? data.subarray(0, room) : data;
    this.submitted += head.length;
    const bw = this.t.bandwidth;
    for (const piece of this.pieces(head)) {
      if (bw !== undefined) {
        this.nextSlot =
          Math.max(this.nextSlot, performance.now()) + (piece.length * 1000) / bw.bytesPerSecond;
        const wait = this.nextSlot - performance.now();
        if (wait > 0) await this.link.later(wait);
      }
      if (this.link.gone()) return;
      // One write at a time, each handed to the kernel before the next: Node.js
      // would otherwise merge queued pieces into one writev.
      if (!(await written(this.dst, piece))) return;
      this.link.forwarded(piece.length);
      if (this.t.slice !== undefined) {
        // The reader's poll phase first: a timer alone may fire before it.
        await this.link.turn();
        const delay = this.t.slice.delay ?? 0;
        if (delay > 0) await this.link.later(delay);
      }
    }
    if (this.cut === undefined || this.submitted < this.cut.after) return;
    if (this.cut.kind === 'reset') await this.link.turn();
    this.link.fault(this.cut.kind);
  }

  private *pieces(data: Buffer): Generator<Buffer> {
    const s = this.t.slice;
    const bw = this.t.bandwidth;
    // Bandwidth in steps of about 50 ms, so that a big chunk does not go as one burst.
    const step = bw === undefined ? Infinity : Math.max(1, Math.floor(bw.bytesPerSecond / 20));
    for (let at = 0; at < data.length;) {
      let size = data.length - at;
      if (s !== undefined) {
        const min = Math.max(1, s.min ?? 1);
        const max = Math.max(min, s.max);
        size = Math.min(size, min + Math.floor(this.link.random() * (max - min + 1)));
      }
      size = Math.min(size, step);
      yield data.subarray(at, at + size);
      at += size;
    }
  }
}

/** Writes `data` and resolves true once Node.js handed it to the kernel, false on failure. */
function written(socket: Socket, data: Buffer): Promise<boolean> {
  if (socket.destroyed || socket.writableEnded) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => socket.write(data, (err) => resolve(!err)));
}
