/**
 * Handle-leak detection: a test must leave no socket, server, timer or child
 * process behind. Used by the global setup file.
 */

const WATCHED = new Set([
  'TCPSocketWrap',
  'TCPServerWrap',
  'TCPWRAP',
  'UDPWrap',
  'Timeout',
  'ProcessWrap',
  'PipeServerWrap',
  'PipeWrap',
]);

let exempt = false;

/** Lets the current test leave handles behind (say why at the call site). */
export function exemptFromLeakCheck(): void {
  exempt = true;
}

/** Counts of the watched handle kinds now active. */
export function activeHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) {
    if (WATCHED.has(name)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** @internal For the setup file. */
export function takeExemption(): boolean {
  const was = exempt;
  exempt = false;
  return was;
}

/**
 * Waits (bounded) until no more watched handles are active than in
 * `baseline`; closes happen asynchronously, so a handle may need a few turns
 * of the event loop to go. Returns what is still left over.
 */
export async function leftovers(baseline: Map<string, number>, waitMs = 2000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const now = activeHandles();
    const extra: string[] = [];
    for (const [name, count] of now) {
      const before = baseline.get(name) ?? 0;
      if (count > before) extra.push(`${name} ×${count - before}`);
    }
    if (extra.length === 0 || Date.now() > deadline) return extra;
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Timers alive in the process now. */
export const timers = (): number => activeHandles().get('Timeout') ?? 0;

/** Whether `promise` has settled after the microtasks queued so far ran. */
export async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return settled;
}
