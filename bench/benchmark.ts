// What every benchmark (one file each: pipeline.ts, and later sshRead.ts, fanout.ts, ...) gives
// run.ts: figures measured against a baseline, so a number means something on any machine.
import type { Measurement } from "./measure";
import type { Growth } from "./stats";

export interface BenchOptions {
  /** CI mode: small sizes, one or two runs; proves the benchmark runs, measures little. */
  readonly quick: boolean;
  /** Progress lines (stderr), so the table on stdout stays clean. */
  readonly log: (line: string) => void;
}

export interface Figure {
  /** "1M routes". */
  readonly label: string;
  /** The problem size, for the growth fit. */
  readonly size: number;
  readonly subject: Measurement;
  readonly baseline: Measurement;
  /** subject median / baseline median. */
  readonly ratio: number;
  /** Work per second at the subject's median, in the benchmark's unit ("routes/s"). */
  readonly perSecond: number;
  /** Anything else worth keeping (per-stage times, bytes). */
  readonly details?: Readonly<Record<string, number>>;
  /** A short remark for the table's last column ("drops 0% / 0%"). */
  readonly note?: string;
}

export interface BenchmarkResult {
  readonly name: string;
  /** What is measured, and the baseline it is held against. */
  readonly subject: string;
  readonly baseline: string;
  readonly unit: string;
  readonly figures: readonly Figure[];
  readonly growth: { readonly subject: Growth; readonly baseline: Growth } | null;
  /** null when this run could not check the target (--quick skips the large sizes). */
  readonly target: { readonly description: string; readonly met: boolean | null };
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  /** Needs root and the lab (network namespaces, sshd, dockerd): run.ts runs it through lab/inCtl. */
  readonly lab?: boolean;
  run(options: BenchOptions): Promise<BenchmarkResult>;
}
