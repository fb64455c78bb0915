// Benchmark "rollout": from container create to a client's first lease. The subject is the container
// that DepartmentDhcp declares, applied over ssh:// as `pulumi up` does (lab/rollout.ts), then a LAN
// client's dhclient; the baseline is the same dhcpd with the same config started by hand in the
// host's namespace (`ip netns exec HOST dhcpd -4 -d -cf CONF -lf LEASES -pf PID eth0`). Each run
// starts from nothing: no container, no leases volume, no client lease. Both wait until dhcpd has
// bound port 67 before the client starts (polling the host namespace's /proc/net/udp every 5 ms), so
// neither pays dhclient's retransmission back-off. Measured with ping-check on (the default: dhcpd
// waits 1 s for an echo reply before offering) and off. Target: within 1.5x.
import type { PlanOptions } from "../core/options";
import { lease } from "../lab/client";
import { dockerOver } from "../lab/applyContainerSpec";
import type { Deployed } from "../lab/rollout";
import type { Benchmark, BenchOptions, BenchmarkResult, Figure } from "./benchmark";
import { startBareDhcpd, waitForDhcpPort } from "./bareDhcpd";
import { deployDhcpContainer, removeDhcpContainer, resetClient, withDhcpDepartment, type DhcpDepartment } from "./dhcpDepartment";
import { requireLab, skipShellRc } from "./inLab";
import { measureAsyncInterleaved, timeAsync } from "./measure";
import { median } from "./stats";

const FULL = { warmup: 0, runs: 5, variants: [true, false] } as const;
const QUICK = { warmup: 0, runs: 1, variants: [false] } as const;
const MAX_RATIO = 1.5;
const DEPARTMENT = { name: "benchroll", index: 91 } as const;

export const rolloutBenchmark: Benchmark = {
  name: "rollout",
  description: "container create to a client's first lease vs the same dhcpd started by hand",
  lab: true,
  run: (options) => {
    requireLab("rollout");
    return withDhcpDepartment(DEPARTMENT, options.log, (lab) => runRollout(lab, options));
  },
};

async function runRollout(lab: DhcpDepartment, { quick, log }: BenchOptions): Promise<BenchmarkResult> {
  const config = quick ? QUICK : FULL;
  const d = lab.department;
  const client = d.clients[0]!;
  const figures: Figure[] = [];
  let previous: Deployed | undefined;
  for (const pingCheck of config.variants) {
    const options: PlanOptions = { pingCheck };
    log(`rollout: pulumi-up path (provider check/create, container) with ping-check ${pingCheck ? "on" : "off"}`);
    let deployed: Deployed | undefined;
    const upMs = await timeAsync(async () => (deployed = await lab.rollout.up(d, options, previous)));
    previous = deployed!;
    const { spec, props } = previous;
    const dhcpdConf = props["dhcpdConf"] as string;
    const interfaces = props["interfaces"] as string[];
    if (!dhcpdConf.includes(`ping-check ${pingCheck}`)) throw new Error(`rollout: the rendered config does not say ping-check ${pingCheck}`);
    await removeDhcpContainer(lab, spec);

    const stages: Record<string, number[]> = { createToStartedMs: [], startedToBoundMs: [], containerBoundToLeaseMs: [], spawnToBoundMs: [], bareBoundToLeaseMs: [] };
    const firstLease = async () => {
      const got = await lease(client, { timeoutMs: 15_000 });
      if (got.serverId !== d.host.address) throw new Error(`rollout: ${client} got its lease from ${got.serverId}, not ${d.host.address}`);
    };
    log(`rollout: measuring with ping-check ${pingCheck ? "on" : "off"} (${config.runs} runs)`);
    const m = await measureAsyncInterleaved(
      {
        container: async () => {
          await resetClient(client);
          const t0 = performance.now();
          await deployDhcpContainer(lab, spec);
          const t1 = performance.now();
          await waitForDhcpPort(lab.hostPid, true, 20_000, `container ${spec.name}`);
          const t2 = performance.now();
          await firstLease();
          const t3 = performance.now();
          await removeDhcpContainer(lab, spec);
          stages["createToStartedMs"]!.push(t1 - t0);
          stages["startedToBoundMs"]!.push(t2 - t1);
          stages["containerBoundToLeaseMs"]!.push(t3 - t2);
          return t3 - t0;
        },
        bare: async () => {
          await resetClient(client);
          const t0 = performance.now();
          const dhcpd = startBareDhcpd(d.host.netns, dhcpdConf, interfaces);
          try {
            await waitForDhcpPort(lab.hostPid, true, 20_000, "bare dhcpd", dhcpd.running).catch((e: unknown) => {
              throw new Error(`${(e as Error).message}: ${dhcpd.log()}`);
            });
            const t2 = performance.now();
            await firstLease();
            const t3 = performance.now();
            stages["spawnToBoundMs"]!.push(t2 - t0);
            stages["bareBoundToLeaseMs"]!.push(t3 - t2);
            return t3 - t0;
          } finally {
            await dhcpd.stop();
            await waitForDhcpPort(lab.hostPid, false, 10_000, "bare dhcpd");
          }
        },
      },
      config,
    );
    figures.push({
      label: `ping-check ${pingCheck ? "on" : "off"}`,
      size: pingCheck ? 1 : 0,
      subject: m.container,
      baseline: m.bare,
      ratio: m.container.medianMs / m.bare.medianMs,
      perSecond: 1000 / m.container.medianMs,
      details: { pulumiUpMs: Math.round(upMs), ...Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, Math.round(median(v))])) },
      note: `create->started ${Math.round(median(stages["createToStartedMs"]!))} ms`,
    });
  }
  // What one docker CLI call over ssh:// costs here (applyContainerSpec makes five: volume create,
  // rm, create, cp, start): the floor under the container's figure.
  // Each call is a new SSH connection running `docker system dial-stdio` through root's shell, so
  // it also pays root's ~/.bashrc (bench/inLab.ts skipShellRc): measured with and without it.
  const dockerCall = async () => {
    const times: number[] = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) times.push(await timeAsync(() => dockerOver(d.host)(["version", "--format", "{{.Server.Version}}"])));
    return Math.round(median(times));
  };
  const dockerCallMs = await dockerCall();
  await skipShellRc([d.host]);
  const dockerCallNoRcMs = await dockerCall();
  for (const [i, f] of figures.entries()) figures[i] = { ...f, details: { ...f.details, dockerCallOverSshMs: dockerCallMs, dockerCallOverSshNoRcMs: dockerCallNoRcMs } };
  const off = figures.find((f) => f.label === "ping-check off");
  return {
    name: "rollout",
    subject: "applyContainerSpec over ssh:// (volume, create, cp dhcpd.conf, start) -> dhcpd binds :67 -> dhclient's first lease",
    baseline: `ip netns exec HOST dhcpd -4 -d -cf CONF -lf LEASES -pf PID eth0 (same config) -> binds :67 -> the same first lease; one docker CLI call over ssh:// takes ${dockerCallMs} ms here (${dockerCallNoRcMs} ms without root's ~/.bashrc)`,
    unit: "rollouts/s",
    figures,
    growth: null,
    target: {
      description: `ratio <= ${MAX_RATIO} with ping-check off (and on, in the full run)`,
      met: quick ? null : figures.every((f) => f.ratio <= MAX_RATIO) && off !== undefined,
    },
  };
}
