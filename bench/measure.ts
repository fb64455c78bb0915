// Timing: warm-up, then several runs of each subject, interleaved so that drift in the machine's
// speed (other processes, frequency scaling) falls on all subjects alike. A run repeats a fast
// subject until it lasts long enough for the clock; figures are per call.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { median } from "./stats";

export interface Measurement {
  /** Median over the runs, milliseconds per call. */
  readonly medianMs: number;
  /** Each run's milliseconds per call. */
  readonly runsMs: readonly number[];
  readonly runs: number;
  /** Calls per run. */
  readonly callsPerRun: number;
}

export interface MeasureOptions {
  /** Calls before measuring, and at least warmupMs of them: the JIT must be done optimizing. */
  readonly warmup: number;
  readonly warmupMs: number;
  readonly runs: number;
  /** A run repeats the call until it has taken at least this long (calibrated during warm-up). */
  readonly minRunMs: number;
}

// Collect garbage before each run so one subject's garbage is not charged to the next; without
// --expose-gc on the command line, the flag can still be set at run time.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

const sink: unknown[] = []; // keeps results alive so no call is optimized away

export function measureInterleaved<K extends string>(subjects: Readonly<Record<K, () => unknown>>, options: MeasureOptions): Record<K, Measurement> {
  const names = Object.keys(subjects) as K[];
  const calls = {} as Record<K, number>;
  for (const name of names) {
    const times: number[] = [];
    const start = Date.now();
    while (times.length < Math.max(1, options.warmup) || Date.now() - start < options.warmupMs) times.push(timeCalls(subjects[name], 1));
    // Calibrate on the warm calls: the median of the last few.
    calls[name] = Math.max(1, Math.ceil(options.minRunMs / Math.max(median(times.slice(-5)), 1e-3)));
  }
  const runs = {} as Record<K, number[]>;
  for (const name of names) runs[name] = [];
  for (let r = 0; r < options.runs; r++) {
    for (const name of names) runs[name].push(timeCalls(subjects[name], calls[name]) / calls[name]);
  }
  const result = {} as Record<K, Measurement>;
  for (const name of names) {
    result[name] = { medianMs: median(runs[name]), runsMs: runs[name], runs: options.runs, callsPerRun: calls[name] };
  }
  return result;
}

/** Milliseconds for `calls` calls, after a collection. */
function timeCalls(fn: () => unknown, calls: number): number {
  collect();
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) sink[0] = fn();
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  sink.length = 0;
  return elapsed;
}

/** Milliseconds for one call of `fn`, with its result. */
export function timeOnce<T>(fn: () => T): { readonly ms: number; readonly value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/**
 * For subjects that are slow and asynchronous (a connection, a rollout, a perfdhcp run): each call
 * times itself and returns its milliseconds, so that set-up and tear-down around the timed part stay
 * out of the figure. Warm-up calls first, then `runs` rounds, each calling every subject once; the
 * order flips every round, so that neither subject always follows the other's tear-down.
 */
export async function measureAsyncInterleaved<K extends string>(
  subjects: Readonly<Record<K, (run: number) => Promise<number>>>,
  options: { readonly warmup: number; readonly runs: number },
): Promise<Record<K, Measurement>> {
  const names = Object.keys(subjects) as K[];
  for (let w = 0; w < options.warmup; w++) for (const name of names) await subjects[name](-1 - w);
  const runs = {} as Record<K, number[]>;
  for (const name of names) runs[name] = [];
  for (let r = 0; r < options.runs; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) runs[name].push(await subjects[name](r));
  }
  const result = {} as Record<K, Measurement>;
  for (const name of names) result[name] = { medianMs: median(runs[name]), runsMs: runs[name], runs: options.runs, callsPerRun: 1 };
  return result;
}

/** Milliseconds that `fn` takes to settle. */
export async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
