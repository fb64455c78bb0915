// The self-configuring image's start (the paper's Figure 10, done with the same core as the Pulumi
// path): read the routing table this container sees, discover -> plan -> render -> validate with
// the image's own dhcpd, write /etc/dhcp/dhcpd.conf, print it to the log (stderr), and print the
// interfaces for dhcpd's command line on stdout. The container command then execs dhcpd on them
// (sdk/containerSpec.ts), so dhcpd is the container's main process.
import * as fs from "node:fs";
import * as os from "node:os";
import { buildDhcpConfig } from "../core/pipeline";
import { formatCidr } from "../core/ipv4";
import { ParseError } from "../core/parseError";
import { OptionError } from "../core/optionError";
import { NothingToServeError } from "../core/nothingToServeError";
import { readProcDir } from "../io/readProcDir";
import { ReadError } from "../io/readError";
import { checkWithLocalDhcpd } from "../io/checkConfig";
import { namingVariables, optionsFromEnv } from "./optionsEnv";
import { NetworkFacts, ownContainerNetwork } from "./containerNetwork";

export const CONF_PATH = "/etc/dhcp/dhcpd.conf";

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const log = (line: string) => process.stderr.write(`routedhcp: ${line}\n`);
  try {
    const options = optionsFromEnv(env);
    const snapshot = await readProcDir(env.ROUTEDHCP_PROC ?? "/proc");
    const config = buildDhcpConfig(snapshot, options);
    const refusal = ownContainerNetwork(gatherFacts(config.plan.networks.flatMap((n) => n.subnets.map((s) => ({ iface: n.iface, cidr: formatCidr(s.network, s.prefix) })))));
    if (refusal !== null) {
      log(refusal);
      return 1;
    }
    const check = await checkWithLocalDhcpd(config.dhcpdConf, env.ROUTEDHCP_DHCPD ?? "dhcpd");
    if (!check.ok) {
      log(`dhcpd -t refused the rendered config; not starting:\n${check.message}`);
      return 1;
    }
    fs.writeFileSync(env.ROUTEDHCP_CONF ?? CONF_PATH, config.dhcpdConf);
    log(`configured from ${snapshot.route.source}; dhcpd listens on ${config.interfaces.join(" ")}; dhcpd.conf:`);
    process.stderr.write(config.dhcpdConf);
    process.stdout.write(`${config.interfaces.join(" ")}\n`);
    return 0;
  } catch (error) {
    if (error instanceof OptionError) {
      // Options come from ROUTEDHCP_* variables here: name the variable, not the option.
      log(namingVariables(error).message);
    } else if (error instanceof ParseError || error instanceof NothingToServeError || error instanceof ReadError) {
      log(error.message);
    } else {
      log(`unexpected failure: ${(error as Error).message ?? String(error)}`);
      if (env.ROUTEDHCP_DEBUG) process.stderr.write(`${(error as Error).stack ?? ""}\n`);
    }
    return 1;
  }
}

function gatherFacts(lans: { iface: string; cidr: string }[]): NetworkFacts {
  const read = (path: string) => {
    try {
      return fs.readFileSync(path, "utf8").trim();
    } catch {
      return null;
    }
  };
  const mountinfo = read("/proc/self/mountinfo") ?? "";
  const id = /\/containers\/([0-9a-f]{64})\//.exec(mountinfo)?.[1] ?? null;
  return {
    inContainer: fs.existsSync("/.dockerenv") || fs.existsSync("/run/.containerenv"),
    hostname: os.hostname(),
    containerId: id,
    lans: lans.map((l) => {
      // One end of a veth pair links to its peer's index, not its own.
      const iflink = read(`/sys/class/net/${l.iface}/iflink`);
      const ifindex = read(`/sys/class/net/${l.iface}/ifindex`);
      return { ...l, veth: iflink !== null && ifindex !== null && iflink !== ifindex };
    }),
  };
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
