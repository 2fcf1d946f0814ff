/**
 * What a stress run hands back: figures with their units and the limits they
 * are held to, invariant failures, and notes (scaling, seeds) that the
 * runner prints as they come.
 */

/** A limit a figure must meet; `text` says what it means. */
export interface Limit {
  readonly max?: number;
  readonly min?: number;
  readonly text: string;
}

/** One measured figure. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly limit?: Limit;
  /** `undefined` when the figure has no limit. */
  readonly pass: boolean | undefined;
}

/** Everything one run found. */
export interface RunResult {
  readonly run: string;
  readonly seconds: number;
  readonly figures: Figure[];
  readonly failures: string[];
  readonly notes: string[];
}

/** How many failures of one kind are listed before the rest are only counted. */
const LISTED = 20;

/** Collects one run's figures, failures and notes. */
export class Report {
  readonly figures: Figure[] = [];
  readonly failures: string[] = [];
  readonly notes: string[] = [];
  private readonly unlisted = new Map<string, number>();

  constructor(
    readonly run: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Records a figure; a limit it misses is a failure too. */
  figure(name: string, value: number, unit: string, limit?: Limit): number {
    const pass =
      limit === undefined
        ? undefined
        : Number.isFinite(value) &&
          (limit.max === undefined || value <= limit.max) &&
          (limit.min === undefined || value >= limit.min);
    this.figures.push({ name, value, unit, ...(limit !== undefined && { limit }), pass });
    if (pass === false) this.fail(`${name}: ${format(value)} ${unit} misses ${limit?.text ?? ''}`);
    return value;
  }

  /** Records an invariant that did not hold. Repeats of one `kind` past the first few are counted. */
  fail(text: string, kind = text): void {
    const seen = this.unlisted.get(kind) ?? 0;
    this.unlisted.set(kind, seen + 1);
    if (seen < LISTED) {
      this.failures.push(text);
      this.log(`  ✗ ${text}`);
    } else if (seen === LISTED) {
      this.failures.push(`${kind}: more of these follow, counted in the figures`);
    }
  }

  /** Fails with `text` unless `ok`. */
  check(ok: boolean, text: string, kind?: string): boolean {
    if (!ok) this.fail(text, kind);
    return ok;
  }

  note(text: string): void {
    this.notes.push(text);
    this.log(`  · ${text}`);
  }

  result(seconds: number): RunResult {
    return {
      run: this.run,
      seconds,
      figures: this.figures,
      failures: this.failures,
      notes: this.notes,
    };
  }
}

/** A number as the tables print it: thousands grouped, at most three decimals that matter. */
export function format(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const digits = a >= 100 || Number.isInteger(x) ? 0 : a >= 1 ? 2 : 3;
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/**
 * One stress run: its long and short scales, and the code that measures at
 * a scale into a {@link Report}. `seed` seeds its randomness.
 */
export interface StressRun<S> {
  readonly name: string;
  readonly title: string;
  readonly long: S;
  readonly short: S;
  run(scale: S, report: Report, seed: number): Promise<void>;
}
