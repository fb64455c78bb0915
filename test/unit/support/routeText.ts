// Route tables and fib_tries written the way the kernel writes them (test/fixtures/README.md,
// "How the kernel writes these files"), for table-driven and generated tests.
import { formatAddress, maskOf, parseAddress } from "../../../core/ipv4";

export const ROUTE_HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

export interface RouteRow {
  /** null is the kernel's "*" (a route with no device). */
  readonly iface: string | null;
  readonly destination: number;
  readonly prefix: number;
  readonly gateway: number;
  readonly flags: number;
  readonly metric: number;
}

/** "10.1.2.3" -> 0x0A010203. */
export const ip = (text: string): number => parseAddress(text);

/** An address in /proc/net/route form: the network-order bytes printed as a little-endian %08X. */
export function hexLE(address: number): string {
  const swapped = ((address & 0xff) << 24) | (((address >>> 8) & 0xff) << 16) | (((address >>> 16) & 0xff) << 8) | (address >>> 24);
  return (swapped >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

/** One line as fib_route_seq_show writes it: %-127s. The metric is a u32 printed with %d. */
export function formatRouteRow(row: RouteRow): string {
  const flags = row.flags.toString(16).toUpperCase().padStart(4, "0");
  const fields = [row.iface ?? "*", hexLE(row.destination), hexLE(row.gateway), flags, "0", "0", String(row.metric | 0), hexLE(maskOf(row.prefix)), "0", "0", "0"];
  return fields.join("\t").padEnd(127, " ");
}

export function formatRouteTable(rows: readonly RouteRow[]): string {
  return [ROUTE_HEADER.padEnd(127, " "), ...rows.map(formatRouteRow)].map((line) => `${line}\n`).join("");
}

/** Shorthand for tables in tests: "eth0 10.0.0.0/24", "eth0 0.0.0.0/0 via 10.0.0.1 metric 100". */
export function route(spec: string): RouteRow {
  const m = /^(\S+) (\S+)\/(\d+)(?: via (\S+))?(?: metric (\d+))?(?: flags ([0-9A-Fa-f]{4}))?$/.exec(spec);
  if (m === null) throw new Error(`bad route spec "${spec}"`);
  const [, iface, destination, prefix, via, metric, flags] = m;
  const gateway = via === undefined ? 0 : ip(via);
  const defaultFlags = 0x1 | (gateway !== 0 ? 0x2 : 0) | (prefix === "32" ? 0x4 : 0);
  return {
    iface: iface === "*" ? null : iface!,
    destination: ip(destination!),
    prefix: Number(prefix),
    gateway,
    flags: flags === undefined ? defaultFlags : parseInt(flags, 16),
    metric: metric === undefined ? 0 : Number(metric),
  };
}

export function routeTable(...specs: string[]): string {
  return formatRouteTable(specs.map(route));
}

/**
 * A fib_trie the parser reads like the kernel's: both sections, each connected subnet with its
 * network leaf, the host's address as "/32 host LOCAL" and the broadcast, plus the loopback.
 */
export function formatFibTrie(connected: readonly { network: number; prefix: number; address: number }[], extraLocal: readonly number[] = []): string {
  const leaves: [number, string[]][] = [
    [ip("127.0.0.0"), ["/8 host LOCAL"]],
    [ip("127.0.0.1"), ["/32 host LOCAL"]],
  ];
  for (const c of connected) {
    leaves.push([c.network, [`/${c.prefix} link UNICAST`]], [c.address, ["/32 host LOCAL"]]);
    if (c.prefix <= 30) leaves.push([(c.network | ~maskOf(c.prefix)) >>> 0, ["/32 link BROADCAST"]]);
  }
  for (const a of extraLocal) leaves.push([a, ["/32 host LOCAL"]]);
  leaves.sort((a, b) => a[0] - b[0]);
  const section = ["  +-- 0.0.0.0/0 3 0 4"];
  for (const [leaf, lines] of leaves) section.push(`     |-- ${formatAddress(leaf)}`, ...lines.map((l) => `        ${l}`));
  return ["Main:", ...section, "Local:", ...section].join("\n") + "\n";
}
