// Benchmark "rollout": from container create to a client's first lease. The subject is the container
// that DepartmentDhcp declares, created over ssh:// with the Engine API calls the provider makes
// (lab/applyContainerSpec.ts: create, upload dhcpd.conf, start), then a LAN client's dhclient; the
// baseline is the same dhcpd with the same config started by hand in the host's namespace
// (`ip netns exec HOST dhcpd -4 -d -cf CONF -lf LEASES -pf PID eth0`). The window opens at the
// Container's create: as in `pulumi up`, where the RemoteImage and the leases Volume come first, the
// provider's connection (`ssh HOST docker system dial-stdio`) is open and the volume made; what the
// dial costs is reported beside the figure, and the whole pulumi-up path once per variant. Each run
// starts with no container and no client lease. Both wait until dhcpd has bound port 67 before the
// client starts (polling the host namespace's /proc/net/udp every 5 ms), so neither pays dhclient's
// retransmission back-off. Measured with ping-check on (the default: dhcpd waits 1 s for an echo
// reply before offering) and off. Target: within 1.5x.
import type { PlanOptions } from "../core/options";
import { lease } from "../lab/client";
import { createAndStart, prepareContainer } from "../lab/applyContainerSpec";
import { withDockerEngine } from "../lab/dockerEngine";
import type { Deployed } from "../lab/rollout";
import type { Benchmark, BenchOptions, BenchmarkResult, Figure } from "./benchmark";
import { startBareDhcpd, waitForDhcpPort } from "./bareDhcpd";
import { removeDhcpContainer, resetClient, departmentBenchmark, type DhcpDepartment } from "./dhcpDepartment";
import { measureAsyncInterleaved, timeAsync } from "./measure";
import { median } from "./stats";

const FULL = { warmup: 0, runs: 5, variants: [true, false] } as const;
const QUICK = { warmup: 0, runs: 1, variants: [false] } as const;
const MAX_RATIO = 1.5;
const DEPARTMENT = { name: "benchroll", index: 91 } as const;

export const rolloutBenchmark: Benchmark = departmentBenchmark(
  { name: "rollout", description: "container create to a client's first lease vs the same dhcpd started by hand", department: DEPARTMENT },
  runRollout,
);

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
          // The provider's connection is open and the volume made before the Container is created
          // (pulumi up creates the RemoteImage and the Volume first, over the same connection).
          return withDockerEngine(d.host, async (engine) => {
            await prepareContainer(engine, spec);
            const t0 = performance.now();
            await createAndStart(engine, spec);
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
          });
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
  // Beside the window: what opening the provider's connection costs here (ssh, then `docker system
  // dial-stdio` on the host, then one API round trip), and the floor Docker itself puts under
  // create->started: the same create, upload and start over the host's unix socket, no SSH.
  const dials: number[] = [];
  const local: number[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    dials.push(await timeAsync(() => withDockerEngine(d.host, (engine) => engine.expect([200], "GET", "/_ping"))));
    await withDockerEngine(d.host, async (engine) => {
      await prepareContainer(engine, previous!.spec);
      local.push(await timeAsync(() => createAndStart(engine, previous!.spec)));
    }, "local");
    await removeDhcpContainer(lab, previous!.spec);
  }
  const dialMs = Math.round(median(dials));
  const engineLocalMs = Math.round(median(local));
  for (const [i, f] of figures.entries()) figures[i] = { ...f, details: { ...f.details, engineDialMs: dialMs, localSocketCreateToStartedMs: engineLocalMs } };
  const on = figures.find((f) => f.label === "ping-check on");
  return {
    name: "rollout",
    subject: "Engine API over the open ssh:// connection: create, upload dhcpd.conf, start -> dhcpd binds :67 -> dhclient's first lease",
    baseline: `ip netns exec HOST dhcpd -4 -d -cf CONF -lf LEASES -pf PID eth0 (same config) -> binds :67 -> the same first lease; opening the provider's Engine API connection over ssh:// (before the window) takes ${dialMs} ms here`,
    unit: "rollouts/s",
    figures,
    growth: null,
    target: {
      description: `ratio <= ${MAX_RATIO} with ping-check on, the default (off is reported: Docker's create and start alone take ${engineLocalMs} ms here)`,
      met: on === undefined ? null : on.ratio <= MAX_RATIO,
    },
  };
}
