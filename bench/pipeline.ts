// Benchmark "pipeline": the pure core end to end (read both files, parse /proc/net/route and
// /proc/net/fib_trie, discover, plan, render with default options: relay off) on a router's table of
// 1k to 1M routes, held against the bare cost of reading the same files and splitting them into
// lines in the same process. Target: within 3x of that at 1M routes, and linear growth. Up to 100k
// routes the same with relay on is measured in the same rounds (the note and details).
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDhcpConfig } from "../core/pipeline";
import { parseRouteTable } from "../core/routeTable";
import { parseFibTrie } from "../core/fibTrie";
import { discoverSubnets } from "../core/discover";
import { checkOptions } from "../core/options";
import { planPools } from "../core/plan";
import { renderDhcpdConf } from "../core/render";
import type { Benchmark, BenchOptions, BenchmarkResult, Figure } from "./benchmark";
import { measureInterleaved, MeasureOptions } from "./measure";
import { fitGrowth } from "./stats";
import { formatSize } from "./table";
import { FIXED_ROUTES, generateRouteTables } from "./routeGenerator";

// Full: 7 runs of at least 200 ms each after 1 s of warm-up (2 calls at 1M); about 90 s in all.
const FULL = { sizes: [1e3, 1e4, 1e5, 1e6], warmup: 2, warmupMs: 1000, runs: 7, stageRuns: 3, minRunMs: 200 } as const;
const QUICK = { sizes: [1e3, 1e4], warmup: 1, warmupMs: 20, runs: 2, stageRuns: 1, minRunMs: 5 } as const;
const MAX_RATIO = 3;
const MAX_EXPONENT = 1.15; // "linear": a fitted exponent this close to 1
const TARGET_SIZE = 1e6;
const MAX_RELAY_SIZE = 1e5;

export const pipelineBenchmark: Benchmark = {
  name: "pipeline",
  description: "parse + discover + plan + render vs reading and splitting the same text",
  run: runPipeline,
};

async function runPipeline({ quick, log }: BenchOptions): Promise<BenchmarkResult> {
  const config = quick ? QUICK : FULL;
  const dir = mkdtempSync(join(tmpdir(), "routedhcp-bench-"));
  try {
    const figures: Figure[] = [];
    for (const size of config.sizes) {
      log(`pipeline: ${formatSize(size)} routes: generating`);
      figures.push(measureSize(dir, size, config, log));
    }
    const largest = figures[figures.length - 1]!;
    const checked = largest.size >= TARGET_SIZE;
    const growth = {
      subject: fitGrowth(figures.map((f) => ({ size: f.size, time: f.subject.medianMs }))),
      baseline: fitGrowth(figures.map((f) => ({ size: f.size, time: f.baseline.medianMs }))),
    };
    return {
      name: "pipeline",
      subject: "read /proc/net/route and /proc/net/fib_trie from disk (latin1), buildDhcpConfig with default options",
      baseline: "read the same files from disk (latin1) and split(\"\\n\") them, same process",
      unit: "routes/s",
      figures,
      growth,
      target: {
        description: `ratio <= ${MAX_RATIO} at ${formatSize(TARGET_SIZE)} routes, growth exponent <= ${MAX_EXPONENT}`,
        met: checked ? largest.ratio <= MAX_RATIO && growth.subject.exponent <= MAX_EXPONENT : null,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measureSize(dir: string, size: number, config: MeasureOptions & { readonly stageRuns: number }, log: (line: string) => void): Figure {
  const proc = join(dir, String(size));
  const routePath = join(proc, "net", "route");
  const fibPath = join(proc, "net", "fib_trie");
  let bytes = 0;
  {
    const tables = generateRouteTables(size);
    mkdirSync(join(proc, "net"), { recursive: true });
    writeFileSync(routePath, tables.route, "latin1");
    writeFileSync(fibPath, tables.fibTrie, "latin1");
    bytes = tables.route.length + tables.fibTrie.length;
  }
  const read = (path: string) => readFileSync(path, "latin1");
  const pipeline = () =>
    buildDhcpConfig({ route: { text: read(routePath), source: routePath }, fibTrie: { text: read(fibPath), source: fibPath } });
  const baseline = () => read(routePath).split("\n").length + read(fibPath).split("\n").length;
  // Relay on: every remote network becomes a subnet of its own (up to 100k: at 1M the config alone
  // is ~220 MB, more than any dhcpd should load), to show that mode grows linearly too.
  const relay = () =>
    buildDhcpConfig({ route: { text: read(routePath), source: routePath }, fibTrie: { text: read(fibPath), source: fibPath } }, { relay: true });
  const withRelay = size <= MAX_RELAY_SIZE;

  // The work is real: every bulk route must come out as a remote network.
  const check = pipeline();
  const remote = check.discovery.subnets.filter((s) => s.kind === "remote").length;
  if (check.plan.networks.length !== 2 || remote < (size - FIXED_ROUTES) * 0.98) {
    throw new Error(`pipeline at ${size} routes: ${check.plan.networks.length} LAN interfaces, ${remote} remote networks`);
  }

  log(`pipeline: ${formatSize(size)} routes: measuring (${config.runs} runs)`);
  const subjects: Record<string, () => unknown> = withRelay ? { pipeline, baseline, relay } : { pipeline, baseline };
  const m = measureInterleaved(subjects, config);
  log(`pipeline: ${formatSize(size)} routes: per stage`);
  const stages = measureStages(routePath, fibPath, { ...config, runs: config.stageRuns, warmup: 1, warmupMs: config.warmupMs / 4 });
  rmSync(proc, { recursive: true, force: true });
  return {
    label: `${formatSize(size)} routes`,
    size,
    subject: m.pipeline!,
    baseline: m.baseline!,
    ratio: m.pipeline!.medianMs / m.baseline!.medianMs,
    perSecond: size / (m.pipeline!.medianMs / 1000),
    details: {
      bytes,
      remoteNetworks: remote,
      ...(m.relay ? { relayMs: m.relay.medianMs, relayRatio: m.relay.medianMs / m.baseline!.medianMs } : {}),
      ...stages,
    },
    ...(m.relay ? { note: `relay on: ${m.relay.medianMs.toFixed(1)} ms, ${(m.relay.medianMs / m.baseline!.medianMs).toFixed(2)}x` } : {}),
  };
}

/**
 * Median milliseconds of each stage alone, for profiling: where the time over the baseline goes.
 * Indicative only: the inputs of every stage stay alive meanwhile, so collections cost more than in
 * the pipeline, and the stages add up to more than the pipeline's median.
 */
function measureStages(routePath: string, fibPath: string, options: MeasureOptions): Record<string, number> {
  const routeText = readFileSync(routePath, "latin1");
  const fibText = readFileSync(fibPath, "latin1");
  const checked = checkOptions({});
  const routes = parseRouteTable(routeText, routePath);
  const addresses = parseFibTrie(fibText, fibPath);
  const discovery = discoverSubnets(routes, addresses, checked);
  const plan = planPools(discovery, checked, routePath);
  const m = measureInterleaved(
    {
      readMs: () => readFileSync(routePath, "latin1").length + readFileSync(fibPath, "latin1").length,
      splitMs: () => routeText.split("\n").length + fibText.split("\n").length,
      parseRouteMs: () => parseRouteTable(routeText, routePath),
      parseFibTrieMs: () => parseFibTrie(fibText, fibPath),
      discoverMs: () => discoverSubnets(routes, addresses, checked),
      planMs: () => planPools(discovery, checked, routePath),
      renderMs: () => renderDhcpdConf(plan),
    },
    options,
  );
  return Object.fromEntries(Object.entries(m).map(([stage, measurement]) => [stage, measurement.medianMs]));
}
