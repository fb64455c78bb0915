// DHCP clients in lab namespaces: ISC dhclient and busybox udhcpc, each with a lab script that
// records the lease (the variables the client hands its script) and sets the address with `ip`
// inside the client's namespace. The default scripts would rewrite /etc/resolv.conf: never used.
import * as fs from "node:fs";
import * as path from "node:path";
import { isAlive, readPidFile, run, runIn, sleep } from "./exec";
import { LabError } from "./labError";
import { clientDir, statePath } from "./paths";

export type DhcpClientTool = "dhclient" | "udhcpc";

export interface LeaseOptions {
  readonly tool?: DhcpClientTool;
  /** Upper bound for one exchange; a lease() that gets no answer throws after this long. */
  readonly timeoutMs?: number;
  readonly iface?: string;
  /** dhclient: leave it running (it renews at T1) instead of stopping it once bound. */
  readonly keepRunning?: boolean;
}

export interface Lease {
  readonly tool: DhcpClientTool;
  readonly clientNs: string;
  readonly iface: string;
  /** dhclient: BOUND, REBOOT (the same address asked for again), RENEW...; udhcpc: bound, renew. */
  readonly reason: string;
  readonly address: string;
  readonly mask: string;
  readonly prefix: number;
  readonly routers: string[];
  readonly serverId: string;
  /** Seconds. */
  readonly leaseTime: number;
  readonly domainNameServers: string[];
  readonly domainName?: string;
  readonly broadcast?: string;
  /** Everything the client gave its script. */
  readonly raw: Readonly<Record<string, string>>;
}

const DHCLIENT_SCRIPT = `#!/bin/sh
# routedhcp lab dhclient script (dhclient -sf): records the lease to $LAB_LEASE_OUT and sets the address
# with ip, in the client's namespace only. Unlike /sbin/dhclient-script it never touches /etc/resolv.conf.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
echo "$reason" >> "$LAB_LEASE_OUT.events"
case "$reason" in
  PREINIT) ip link set dev "$interface" up ;;
  BOUND|RENEW|REBIND|REBOOT)
    if [ -n "$old_ip_address" ] && [ "$old_ip_address" != "$new_ip_address" ]; then ip -4 addr flush dev "$interface"; fi
    ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface"
    router=\${new_routers%% *}
    if [ -n "$router" ]; then ip route replace default via "$router" dev "$interface"; fi
    env | grep -E '^(reason|interface|new_|old_)' > "$LAB_LEASE_OUT.tmp" && mv "$LAB_LEASE_OUT.tmp" "$LAB_LEASE_OUT" ;;
  EXPIRE|FAIL|RELEASE|STOP) ip -4 addr flush dev "$interface" ;;
  # TIMEOUT: dhclient offers the old lease from its file; exit 1 = not usable, so only a lease a server
  # actually gave counts.
  TIMEOUT) exit 1 ;;
esac
exit 0
`;

const UDHCPC_SCRIPT = `#!/bin/sh
# routedhcp lab udhcpc script (udhcpc -s): records the lease to $LAB_LEASE_OUT and sets the address
# with ip, in the client's namespace only (busybox's default script would rewrite /etc/resolv.conf).
PATH=/usr/sbin:/usr/bin:/sbin:/bin
echo "$1" >> "$LAB_LEASE_OUT.events"
case "$1" in
  deconfig) ip link set dev "$interface" up; ip -4 addr flush dev "$interface" ;;
  bound|renew)
    ip addr replace "$ip/$mask" dev "$interface"
    r=\${router%% *}
    if [ -n "$r" ]; then ip route replace default via "$r" dev "$interface"; fi
    { echo "reason=$1"; env | grep -E '^(interface|ip|subnet|mask|router|serverid|lease|dns|domain|broadcast|siaddr|hostname)='; } > "$LAB_LEASE_OUT.tmp" && mv "$LAB_LEASE_OUT.tmp" "$LAB_LEASE_OUT" ;;
esac
exit 0
`;

function ensureScript(tool: DhcpClientTool): string {
  const file = statePath("bin", `${tool}-script`);
  const body = tool === "dhclient" ? DHCLIENT_SCRIPT : UDHCPC_SCRIPT;
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== body) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body, { mode: 0o755 });
  }
  return file;
}

function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export function maskToPrefix(mask: string): number {
  const bits = mask.split(".").map((o) => Number.parseInt(o, 10).toString(2).padStart(8, "0")).join("");
  if (!/^1*0*$/.test(bits) || bits.length !== 32) throw new LabError(`"${mask}" is not a netmask`);
  return bits.indexOf("0") === -1 ? 32 : bits.indexOf("0");
}

function prefixToMask(prefix: number): string {
  const n = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

const words = (s: string | undefined): string[] => (s ?? "").split(/\s+/).filter(Boolean);

/** A Lease from the variables the lab script recorded. */
export function parseLease(tool: DhcpClientTool, clientNs: string, raw: Record<string, string>): Lease {
  if (tool === "dhclient") {
    const mask = raw["new_subnet_mask"] ?? "";
    return {
      tool, clientNs, raw,
      iface: raw["interface"] ?? "",
      reason: raw["reason"] ?? "",
      address: raw["new_ip_address"] ?? "",
      mask,
      prefix: maskToPrefix(mask),
      routers: words(raw["new_routers"]),
      serverId: raw["new_dhcp_server_identifier"] ?? "",
      leaseTime: Number(raw["new_dhcp_lease_time"] ?? "0"),
      domainNameServers: words(raw["new_domain_name_servers"]),
      ...(raw["new_domain_name"] ? { domainName: raw["new_domain_name"] } : {}),
      ...(raw["new_broadcast_address"] ? { broadcast: raw["new_broadcast_address"] } : {}),
    };
  }
  const prefix = Number(raw["mask"] ?? "0");
  return {
    tool, clientNs, raw,
    iface: raw["interface"] ?? "",
    reason: raw["reason"] ?? "",
    address: raw["ip"] ?? "",
    mask: raw["subnet"] ?? prefixToMask(prefix),
    prefix,
    routers: words(raw["router"]),
    serverId: raw["serverid"] ?? "",
    leaseTime: Number(raw["lease"] ?? "0"),
    domainNameServers: words(raw["dns"]),
    ...(raw["domain"] ? { domainName: raw["domain"] } : {}),
    ...(raw["broadcast"] ? { broadcast: raw["broadcast"] } : {}),
  };
}

interface ClientFiles { dir: string; out: string; leases: string; pid: string; conf: string }

function clientFiles(clientNs: string, tool: DhcpClientTool): ClientFiles {
  const dir = clientDir(clientNs);
  fs.mkdirSync(dir, { recursive: true });
  return {
    dir,
    out: path.join(dir, `${tool}.lease.env`),
    leases: path.join(dir, "dhclient.leases"),
    pid: path.join(dir, "dhclient.pid"),
    conf: path.join(dir, "dhclient.conf"),
  };
}

async function stopPid(pid: number | undefined): Promise<void> {
  if (pid === undefined || !isAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 40 && isAlive(pid); i++) await sleep(50);
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

/**
 * One DHCP exchange from clientNs. dhclient keeps a lease file per client namespace, so a second
 * call asks for the same address again (INIT-REBOOT, reason REBOOT); udhcpc is given `-r` with the
 * address it had. Throws a LabError if no lease came within timeoutMs.
 */
export async function lease(clientNs: string, opts: LeaseOptions = {}): Promise<Lease> {
  const tool = opts.tool ?? "dhclient";
  const iface = opts.iface ?? "eth0";
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const seconds = Math.max(2, Math.ceil(timeoutMs / 1000));
  const f = clientFiles(clientNs, tool);
  const script = ensureScript(tool);
  const previous = fs.existsSync(f.out) ? parseEnvFile(fs.readFileSync(f.out, "utf8")) : undefined;
  fs.rmSync(f.out, { force: true });
  const env = { ...process.env, LAB_LEASE_OUT: f.out };
  let argv: string[];
  if (tool === "dhclient") {
    await stopPid(readPidFile(f.pid)); // one dhclient per client namespace
    fs.writeFileSync(
      f.conf,
      [
        "# routedhcp lab dhclient.conf: bounded and quick (dhclient.conf(5))",
        `timeout ${seconds};`,
        "retry 1;",
        "initial-interval 1;",
        "backoff-cutoff 2;",
        "request subnet-mask, broadcast-address, routers, domain-name, domain-name-servers, host-name;",
        "",
      ].join("\n"),
    );
    // -1: one try, exit 2 on failure; without -d it forks to the background once bound.
    argv = ["dhclient", "-4", "-1", "-v", "-cf", f.conf, "-lf", f.leases, "-pf", f.pid, "-sf", script, "-e", `LAB_LEASE_OUT=${f.out}`, iface];
  } else {
    const again = previous?.["ip"];
    // -q: quit once bound; -n: fail if no lease; -t/-T: discover tries, 1 s apart.
    argv = ["udhcpc", "-i", iface, "-s", script, "-f", "-q", "-n", "-t", String(seconds), "-T", "1", "-A", "1", ...(again ? ["-r", again] : [])];
  }
  const r = await runIn(clientNs, argv, { env, allowFail: true, timeoutMs: timeoutMs + 5000 }).catch((e: unknown) => {
    throw new LabError(`${tool} in ${clientNs} got no lease within ${timeoutMs} ms`, {}, { cause: e });
  });
  if (r.code !== 0 || !fs.existsSync(f.out)) {
    const events = fs.existsSync(`${f.out}.events`) ? fs.readFileSync(`${f.out}.events`, "utf8").trim().split("\n").slice(-6).join(",") : "";
    throw new LabError(`${tool} in ${clientNs} got no lease within ${timeoutMs} ms (exit ${r.code}, script saw ${events || "nothing"}): ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`, { argv, code: r.code, stderr: r.stderr });
  }
  if (tool === "dhclient" && !opts.keepRunning) await stopPid(readPidFile(f.pid));
  return parseLease(tool, clientNs, parseEnvFile(fs.readFileSync(f.out, "utf8")));
}

/** Sends DHCPRELEASE for the client's lease (dhclient -r with its lease file; udhcpc -R) and removes the address. */
export async function release(clientNs: string, opts: Pick<LeaseOptions, "tool" | "iface" | "timeoutMs"> = {}): Promise<void> {
  const tool = opts.tool ?? "dhclient";
  const iface = opts.iface ?? "eth0";
  const f = clientFiles(clientNs, tool);
  const env = { ...process.env, LAB_LEASE_OUT: f.out };
  const script = ensureScript(tool);
  if (tool === "dhclient") {
    await runIn(clientNs, ["dhclient", "-4", "-r", "-v", "-cf", f.conf, "-lf", f.leases, "-pf", f.pid, "-sf", script, "-e", `LAB_LEASE_OUT=${f.out}`, iface], {
      env, timeoutMs: opts.timeoutMs ?? 10_000,
    });
  } else {
    const had = fs.existsSync(f.out) ? parseEnvFile(fs.readFileSync(f.out, "utf8"))["ip"] : undefined;
    if (had === undefined) throw new LabError(`udhcpc in ${clientNs} has no lease to release`);
    // busybox udhcpc releases only a lease it holds: ask for the same address again, -R releases on quit.
    await runIn(clientNs, ["udhcpc", "-i", iface, "-s", script, "-f", "-q", "-n", "-R", "-t", "5", "-T", "1", "-r", had], { env, timeoutMs: opts.timeoutMs ?? 10_000 });
    await run(["ip", "-n", clientNs, "-4", "addr", "flush", "dev", iface]);
  }
  fs.rmSync(f.out, { force: true });
}
