// Benchmark "fanout": N light lab hosts (lab/sshHosts.ts: sshd only, each its own namespace) read over
// SSH and rendered concurrently, readOverSsh + buildDhcpConfig per host, all started at once: the
// wall time for N hosts against the time for one, measured in the same rounds. Each host's table is
// its own (a connected /24), so the figure is about connections, not parsing (see "pipeline").
// Target: 32 hosts within 3x of one.
//
// All lab hosts share this machine's CPUs, so the figure also measures their sshds (each host a fresh
// Debian root, lab/sshd.ts). Each row also records this process's CPU time and the whole machine's
// busy time for the batch, to show where the time goes.
import * as fs from "node:fs";
import { cpus } from "node:os";
import { buildDhcpConfig } from "../core/pipeline";
import { readOverSsh } from "../io/readOverSsh";
import type { SshTarget } from "../io/sshSession";
import { createSshHosts, destroySshHosts } from "../lab/sshHosts";
import { sshTargetOf, type LabHost } from "../lab/sshd";
import type { Benchmark, BenchOptions, BenchmarkResult, Figure } from "./benchmark";
import { requireLab, withCleanup } from "./inLab";
import { measureAsyncInterleaved, timeAsync } from "./measure";
import { median } from "./stats";

const FULL = { hosts: [1, 8, 32], warmup: 1, runs: 5 } as const;
const QUICK = { hosts: [1, 2], warmup: 1, runs: 2 } as const;
const MAX_RATIO = 3;
const TARGET_HOSTS = 32;

export const fanoutBenchmark: Benchmark = {
  name: "fanout",
  description: "1, 8, 32 lab hosts read over SSH and rendered concurrently vs one host",
  lab: true,
  run: runFanout,
};

async function runFanout({ quick, log }: BenchOptions): Promise<BenchmarkResult> {
  requireLab("fanout");
  const config = quick ? QUICK : FULL;
  const most = Math.max(...config.hosts);
  let hosts: LabHost[] = [];
  return withCleanup(async () => {
    log(`fanout: creating ${most} lab hosts`);
    const setupMs = await timeAsync(async () => (hosts = await createSshHosts(most)));
    const targets: SshTarget[] = hosts.map((h) => sshTargetOf(h, 30_000));
    const cpu = new Map<number, { client: number[]; machine: number[] }>();
    const readAndRender = (count: number) => async () => {
      const usage = process.cpuUsage();
      const busy = machineBusyMs();
      const ms = await timeAsync(() =>
        Promise.all(targets.slice(0, count).map(async (t) => {
          const config = buildDhcpConfig(await readOverSsh(t));
          // The work is real: every host serves its own connected network.
          if (config.interfaces.join() !== "eth0" || !config.dhcpdConf.includes("subnet 10.255.1.0 netmask 255.255.255.0")) {
            throw new Error(`fanout: ${t.host} rendered no subnet for 10.255.1.0/24 on eth0`);
          }
        })),
      );
      const used = process.cpuUsage(usage);
      const record = cpu.get(count) ?? { client: [], machine: [] };
      cpu.set(count, record);
      record.client.push((used.user + used.system) / 1000);
      record.machine.push(machineBusyMs() - busy);
      return ms;
    };
    log(`fanout: measuring ${config.hosts.join(", ")} hosts (${config.runs} runs)`);
    const m = await measureAsyncInterleaved(Object.fromEntries(config.hosts.map((n) => [String(n), readAndRender(n)])), config);
    const one = m["1"]!;
    const usageOf = (n: number) => ({ clientCpuMs: Math.round(median(cpu.get(n)!.client)), machineBusyMs: Math.round(median(cpu.get(n)!.machine)) });
    const cpuCount = cpus().length;
    const figures: Figure[] = config.hosts.filter((n) => n > 1).map((n) => {
      const subject = m[String(n)]!;
      const usage = usageOf(n);
      // However the work is spread, the batch cannot end before the machine's CPUs have done it.
      const cpuFloorRatio = usage.machineBusyMs / cpuCount / one.medianMs;
      return {
        label: `${n} hosts`,
        size: n,
        subject,
        baseline: one,
        ratio: subject.medianMs / one.medianMs,
        perSecond: n / (subject.medianMs / 1000),
        details: { perHostMs: subject.medianMs / n, ...usage, oneHostClientCpuMs: usageOf(1).clientCpuMs, oneHostMachineBusyMs: usageOf(1).machineBusyMs, cpus: cpuCount, cpuFloorRatio },
        note: `CPU ms: ours ${usage.clientCpuMs}, machine ${usage.machineBusyMs}; CPU floor ${cpuFloorRatio.toFixed(2)}x`,
      };
    });
    const largest = figures.find((f) => f.size === Math.max(...config.hosts))!;
    return {
      name: "fanout",
      subject: "N hosts at once: readOverSsh (one ssh2 connection each) + buildDhcpConfig, wall time of the whole batch",
      baseline: `the same for 1 host, same rounds (lab hosts set up in ${(setupMs / 1000).toFixed(1)} s; ${cpuCount} CPUs shared by client and all sshds; CPU floor: the machine's busy time for the batch / CPUs, over the 1-host time)`,
      unit: "hosts/s",
      figures,
      growth: null,
      target: {
        description: `ratio <= ${MAX_RATIO} at ${TARGET_HOSTS} hosts`,
        met: largest.size >= TARGET_HOSTS ? largest.ratio <= MAX_RATIO : null,
      },
    };
  }, () => destroySshHosts(hosts), log);
}

/** Milliseconds all CPUs of this machine spent busy so far (/proc/stat: user, nice, system, irq, softirq). */
function machineBusyMs(): number {
  const fields = (fs.readFileSync("/proc/stat", "latin1").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  return [0, 1, 2, 5, 6].reduce((sum, i) => sum + (fields[i] ?? 0), 0) * tick;
}
