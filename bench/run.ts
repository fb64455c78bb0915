// npm run bench -- [--quick] [--out FILE] [NAME ...]: runs the named benchmarks (all by default),
// prints a table for each and writes their figures to bench/results.json, keeping the entries of
// benchmarks not run this time. A new benchmark is one file exporting a Benchmark, listed below.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Benchmark, BenchmarkResult } from "./benchmark";
import { pipelineBenchmark } from "./pipeline";
import { formatNumber, formatTable } from "./table";

const BENCHMARKS: readonly Benchmark[] = [pipelineBenchmark];

const RESULTS = join(__dirname, "..", "..", "bench", "results.json"); // dist/bench -> bench

interface ResultEntry extends BenchmarkResult {
  readonly quick: boolean;
  readonly node: string;
  readonly date: string;
  readonly durationMs: number;
}

export async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { quick: { type: "boolean" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
  });
  if (values.help) {
    console.log(`usage: node dist/bench/run.js [--quick] [--out FILE] [${BENCHMARKS.map((b) => b.name).join("|")} ...]`);
    for (const b of BENCHMARKS) console.log(`  ${b.name.padEnd(10)} ${b.description}`);
    return 0;
  }
  const unknown = positionals.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.map((n) => `"${n}"`).join(", ")} (there are ${BENCHMARKS.map((b) => b.name).join(", ")})`);
    return 2;
  }
  const selected = positionals.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => positionals.includes(b.name));
  const quick = values.quick ?? false;
  const out = values.out ?? RESULTS;
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const entries: Record<string, ResultEntry> = {};
  for (const benchmark of selected) {
    const start = Date.now();
    const result = await benchmark.run({ quick, log });
    entries[benchmark.name] = { ...result, quick, node: process.version, date: new Date().toISOString(), durationMs: Date.now() - start };
    console.log(`\n${describe(result)}\n`);
  }
  writeResults(out, entries);
  log(`bench: wrote ${out}`);
  return 0;
}

function describe(result: BenchmarkResult): string {
  const rows = result.figures.map((f) => [
    f.label,
    formatNumber(f.subject.medianMs, 2),
    formatNumber(f.baseline.medianMs, 2),
    `${formatNumber(f.ratio, 2)}x`,
    formatNumber(f.perSecond),
    `${f.subject.runs}x${f.subject.callsPerRun}`,
  ]);
  const table = formatTable([result.name, "median ms", "baseline ms", "ratio", result.unit, "runs"], rows);
  const growth =
    result.growth === null
      ? ""
      : `\ngrowth exponent: ${formatNumber(result.growth.subject.exponent, 3)} (r2 ${formatNumber(result.growth.subject.r2, 4)}); ` +
        `baseline ${formatNumber(result.growth.baseline.exponent, 3)}`;
  const verdict = result.target.met === null ? "not checked (sizes too small)" : result.target.met ? "met" : "NOT MET";
  return `${result.name}: ${result.subject}\nbaseline: ${result.baseline}\n${table}${growth}\ntarget: ${result.target.description}: ${verdict}`;
}

function writeResults(path: string, entries: Record<string, ResultEntry>): void {
  let previous: Record<string, unknown> = {};
  try {
    previous = (JSON.parse(readFileSync(path, "utf8")) as { benchmarks?: Record<string, unknown> }).benchmarks ?? {};
  } catch {
    // no results yet, or unreadable: start afresh
  }
  const document = {
    node: process.version,
    date: new Date().toISOString(),
    platform: `${process.platform} ${process.arch}`,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? "unknown"}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    benchmarks: { ...previous, ...entries },
  };
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
