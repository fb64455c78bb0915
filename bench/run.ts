// npm run bench -- [--quick] [--out FILE] [NAME ...]: runs the named benchmarks (all by default),
// prints a table for each and writes their figures to bench/results.json, keeping the entries of
// benchmarks not run this time. A new benchmark is one file exporting a Benchmark, listed below.
// Benchmarks marked `lab` need root and the lab's control namespace: started outside it, this runs
// the others here and then those through lab/inCtl.js (which takes the machine-wide lab lock only
// for them), so `npm run bench` and `node dist/lab/inCtl.js node dist/bench/run.js` both work.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Benchmark, BenchmarkResult } from "./benchmark";
import { fanoutBenchmark } from "./fanout";
import { inLabCtl } from "./inLab";
import { pipelineBenchmark } from "./pipeline";
import { rolloutBenchmark } from "./rollout";
import { servingBenchmark } from "./serving";
import { sshReadBenchmark } from "./sshRead";
import { formatNumber, formatTable } from "./table";

const BENCHMARKS: readonly Benchmark[] = [pipelineBenchmark, sshReadBenchmark, fanoutBenchmark, rolloutBenchmark, servingBenchmark];

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
  const throughLab = !inLabCtl() ? selected.filter((b) => b.lab === true) : [];
  const here = selected.filter((b) => !throughLab.includes(b));

  const entries: Record<string, ResultEntry> = {};
  let failed = 0;
  for (const benchmark of here) {
    const start = Date.now();
    try {
      const result = await benchmark.run({ quick, log });
      entries[benchmark.name] = { ...result, quick, node: process.version, date: new Date().toISOString(), durationMs: Date.now() - start };
      console.log(`\n${describe(result)}\n`);
      log(`bench: ${benchmark.name} took ${((Date.now() - start) / 1000).toFixed(1)} s`);
    } catch (error) {
      // The others still run and are written: one broken benchmark must not cost the rest.
      failed++;
      log(`bench: ${benchmark.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (Object.keys(entries).length > 0) {
    writeResults(out, entries);
    log(`bench: wrote ${out}`);
  }
  let code = failed > 0 ? 1 : 0;
  if (throughLab.length > 0) {
    const args = [...(quick ? ["--quick"] : []), "--out", out, ...throughLab.map((b) => b.name)];
    log(`bench: running ${throughLab.map((b) => b.name).join(", ")} in the lab (node dist/lab/inCtl.js node dist/bench/run.js ${args.join(" ")})`);
    code = Math.max(code, await runInLab(args));
  }
  return code;
}

function runInLab(args: readonly string[]): Promise<number> {
  const inCtl = join(__dirname, "..", "lab", "inCtl.js");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [inCtl, process.execPath, __filename, ...args], { stdio: "inherit" });
    child.on("error", (error) => {
      process.stderr.write(`bench: cannot start ${inCtl}: ${error.message}\n`);
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 130 : 143)));
  });
}

function describe(result: BenchmarkResult): string {
  const rows = result.figures.map((f) => [
    f.label,
    formatNumber(f.subject.medianMs, 2),
    formatNumber(f.baseline.medianMs, 2),
    `${formatNumber(f.ratio, 2)}x`,
    formatNumber(f.perSecond, f.perSecond < 10 ? 2 : 0),
    `${f.subject.runs}x${f.subject.callsPerRun}`,
    ...(result.figures.some((g) => g.note !== undefined) ? [f.note ?? ""] : []),
  ]);
  const notes = result.figures.some((f) => f.note !== undefined) ? ["note"] : [];
  const table = formatTable([result.name, "median ms", "baseline ms", "ratio", result.unit, "runs", ...notes], rows);
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
    // Exit rather than wait for the event loop to drain: an ssh2 socket that was ended just before its
    // lab host was deleted never sees the host's FIN, and would keep this process alive for good.
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
