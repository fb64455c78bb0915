// Benchmark "serving": ISC's perfdhcp from a LAN client namespace (static 10.n.1.50/24, outside the
// pool: perfdhcp sends from an IPv4 address, as a relay would) against the deployed container (the
// spec DepartmentDhcp declares, rolled out as `pulumi up` does) and against the same dhcpd with the
// same config started by hand in the host's namespace. Rate-limited and bounded: 100 simulated
// clients (the LAN's pool has 127 addresses), a fixed offered rate, a fixed duration; each run starts
// a fresh server with an empty lease database. Figures are milliseconds per completed DORA exchange
// (1000 / perfdhcp's "Rate"), so the ratio is bare exchanges/s over container exchanges/s; with
// ping-check on (the default) and off. Target: the container within 5% of bare dhcpd.
import type { PlanOptions } from "../core/options";
import { applyContainerSpec } from "../lab/applyContainerSpec";
import { runIn } from "../lab/exec";
import { ipIn } from "../lab/netns";
import type { Deployed } from "../lab/rollout";
import type { Benchmark, BenchOptions, BenchmarkResult, Figure } from "./benchmark";
import { startBareDhcpd, waitForDhcpPort } from "./bareDhcpd";
import { removeDhcpContainer, departmentBenchmark, type DhcpDepartment } from "./dhcpDepartment";
import { measureAsyncInterleaved } from "./measure";
import { median } from "./stats";

const FULL = { warmup: 0, runs: 3, seconds: 5, rate: 500, clients: 100, variants: [true, false] } as const;
const QUICK = { warmup: 0, runs: 1, seconds: 2, rate: 200, clients: 100, variants: [false] } as const;
const MAX_RATIO = 1.05;
const DEPARTMENT = { name: "benchserve", index: 92 } as const;

export const servingBenchmark: Benchmark = departmentBenchmark(
  { name: "serving", description: "perfdhcp exchanges/s against the deployed container vs bare dhcpd, ping-check on and off", department: DEPARTMENT },
  runServing,
);

export interface PerfdhcpReport {
  /** Completed 4-way exchanges per second. */
  readonly rate: number;
  /** Requests that got no answer within perfdhcp's drop time (1 s), DISCOVER-OFFER and REQUEST-ACK. */
  readonly sent: number;
  readonly drops: number;
}

/** perfdhcp's final report: "Rate: N 4-way exchanges/second" and the "sent packets"/"drops" lines. */
export function parsePerfdhcp(output: string): PerfdhcpReport {
  const rate = /^Rate:\s*([\d.]+)\s+4-way exchanges\/second/m.exec(output);
  if (rate === null) throw new Error(`perfdhcp printed no rate: ${output.trim().split("\n").slice(-5).join(" | ")}`);
  const sum = (label: string) => [...output.matchAll(new RegExp(`^${label}:\\s*(\\d+)`, "gm"))].reduce((s, m) => s + Number(m[1]), 0);
  return { rate: Number(rate[1]), sent: sum("sent packets"), drops: sum("drops") };
}

async function runServing(lab: DhcpDepartment, { quick, log }: BenchOptions): Promise<BenchmarkResult> {
  const config = quick ? QUICK : FULL;
  const d = lab.department;
  const client = d.clients[0]!;
  const clientAddress = `10.${d.index}.1.50`;
  await ipIn(client, ["addr", "add", `${clientAddress}/24`, "dev", "eth0"]);
  const perfdhcp = async (): Promise<PerfdhcpReport> => {
    const argv = ["perfdhcp", "-4", "-l", "eth0", "-R", String(config.clients), "-r", String(config.rate), "-p", String(config.seconds), d.host.address];
    const result = await runIn(client, argv, { allowFail: true, timeoutMs: (config.seconds + 30) * 1000 });
    // perfdhcp exits 3 when packets were dropped: the report is still complete.
    if (result.code !== 0 && result.code !== 3) throw new Error(`perfdhcp exit ${result.code}: ${(result.stderr || result.stdout).trim().split("\n").slice(-3).join(" | ")}`);
    return parsePerfdhcp(result.stdout);
  };

  const figures: Figure[] = [];
  let previous: Deployed | undefined;
  for (const pingCheck of config.variants) {
    const options: PlanOptions = { pingCheck };
    log(`serving: rolling out with ping-check ${pingCheck ? "on" : "off"}`);
    previous = await lab.rollout.up(d, options, previous);
    const { spec, props } = previous;
    const dhcpdConf = props["dhcpdConf"] as string;
    const interfaces = props["interfaces"] as string[];
    const reports: Record<"container" | "bare", PerfdhcpReport[]> = { container: [], bare: [] };
    const perExchangeMs = (r: PerfdhcpReport) => (r.rate > 0 ? 1000 / r.rate : Number.POSITIVE_INFINITY);

    log(`serving: perfdhcp ${config.seconds} s at ${config.rate}/s, ping-check ${pingCheck ? "on" : "off"} (${config.runs} runs each)`);
    const m = await measureAsyncInterleaved(
      {
        container: async () => {
          await removeDhcpContainer(lab, spec); // a fresh container and leases volume each run
          await applyContainerSpec(lab.department.host, spec);
          try {
            await waitForDhcpPort(lab.hostPid, true, 20_000, `container ${spec.name}`);
            const report = await perfdhcp();
            reports.container.push(report);
            return perExchangeMs(report);
          } finally {
            await removeDhcpContainer(lab, spec);
          }
        },
        bare: async () => {
          const dhcpd = startBareDhcpd(d.host.netns, dhcpdConf, interfaces);
          try {
            await waitForDhcpPort(lab.hostPid, true, 20_000, "bare dhcpd", dhcpd.running).catch((e: unknown) => {
              throw new Error(`${(e as Error).message}: ${dhcpd.log()}`);
            });
            const report = await perfdhcp();
            reports.bare.push(report);
            return perExchangeMs(report);
          } finally {
            await dhcpd.stop();
            await waitForDhcpPort(lab.hostPid, false, 10_000, "bare dhcpd");
          }
        },
      },
      config,
    );
    const dropShare = (rs: readonly PerfdhcpReport[]) => median(rs.map((r) => (r.sent > 0 ? r.drops / r.sent : 0)));
    const rate = (rs: readonly PerfdhcpReport[]) => median(rs.map((r) => r.rate));
    figures.push({
      label: `ping-check ${pingCheck ? "on" : "off"}`,
      size: pingCheck ? 1 : 0,
      subject: m.container,
      baseline: m.bare,
      ratio: m.container.medianMs / m.bare.medianMs,
      perSecond: rate(reports.container),
      details: {
        offeredRate: config.rate,
        seconds: config.seconds,
        clients: config.clients,
        containerRate: rate(reports.container),
        bareRate: rate(reports.bare),
        containerDropShare: dropShare(reports.container),
        bareDropShare: dropShare(reports.bare),
      },
      note: `bare ${Math.round(rate(reports.bare))}/s; drops ${percent(dropShare(reports.container))} vs ${percent(dropShare(reports.bare))}`,
    });
  }
  return {
    name: "serving",
    subject: `perfdhcp -R ${config.clients} -r ${config.rate} -p ${config.seconds} from ${client} (${clientAddress}) against the deployed container (host network)`,
    baseline: "the same against dhcpd started by hand in the host's namespace with the same config and a fresh lease file",
    unit: "exchanges/s",
    figures,
    growth: null,
    target: {
      description: `container exchanges/s within 5% of bare dhcpd (ratio <= ${MAX_RATIO}), ping-check on and off`,
      met: quick ? null : figures.every((f) => f.ratio <= MAX_RATIO),
    },
  };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
