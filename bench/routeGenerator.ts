// Realistic kernel-format routing tables of any size, deterministic from a seed: a router holding a
// full BGP table. /proc/net/route is written exactly as fib_route_seq_show does (net/ipv4/fib_trie.c:
// the header, "%08X" of the network-order bytes, every line padded with spaces to 127 characters,
// rows in trie order: destination as a big-endian number, then longest prefix first, then metric);
// /proc/net/fib_trie holds the same routes plus the host's own addresses, in Main: and Local:
// sections that are identical, as the kernel shows them while the two tables share one trie
// (test/fixtures/README.md). The trie's internal nodes are shaped like an LC-trie (path
// compression, multi-bit nodes) but not node for node what the kernel's inflate/halve would build:
// the parser only needs them to be well-formed.
import { maskOf } from "../core/ipv4";
import { buildFibTrie, FibAlias } from "./fibTrieGenerator";

export interface GeneratedTables {
  /** The text of /proc/net/route. */
  readonly route: string;
  /** The text of /proc/net/fib_trie. */
  readonly fibTrie: string;
  /** Rows in `route` (the header not counted). */
  readonly routes: number;
}

const HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";
const LINE_WIDTH = 127; // seq_setwidth(seq, 127) in fib_route_seq_show

interface FixedRoute {
  readonly iface: string;
  readonly network: number;
  readonly prefix: number;
  readonly gateway: number;
  readonly metric: number;
  /** The host's own address on a connected network. */
  readonly local?: number;
}

const ip = (a: number, b: number, c: number, d: number): number => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

// Uplink eth1 with two BGP peers; two LANs on eth0 (one wire, so a shared-network); Docker nets.
const PEERS = [ip(10, 0, 0, 1), ip(10, 0, 0, 2)] as const;
const FIXED: readonly FixedRoute[] = [
  { iface: "eth1", network: 0, prefix: 0, gateway: PEERS[0], metric: 0 },
  { iface: "eth1", network: ip(10, 0, 0, 0), prefix: 24, gateway: 0, metric: 0, local: ip(10, 0, 0, 10) },
  { iface: "eth0", network: ip(192, 168, 1, 0), prefix: 24, gateway: 0, metric: 0, local: ip(192, 168, 1, 1) },
  { iface: "eth0", network: ip(192, 168, 2, 0), prefix: 24, gateway: 0, metric: 0, local: ip(192, 168, 2, 1) },
  { iface: "docker0", network: ip(172, 17, 0, 0), prefix: 16, gateway: 0, metric: 0, local: ip(172, 17, 0, 1) },
  { iface: "br-5c0e8a1f3d2b", network: ip(172, 18, 0, 0), prefix: 16, gateway: 0, metric: 0, local: ip(172, 18, 0, 1) },
  { iface: "br-9a4d7c2e6b10", network: ip(172, 19, 0, 0), prefix: 16, gateway: 0, metric: 0, local: ip(172, 19, 0, 1) },
];
export const FIXED_ROUTES = FIXED.length;

// Never announced in BGP (RFC 6890 special-purpose blocks): the bulk avoids them, and with them the
// host's own networks, so every bulk route is a remote network.
const RESERVED: readonly (readonly [number, number])[] = [
  [ip(0, 0, 0, 0), 8], [ip(10, 0, 0, 0), 8], [ip(100, 64, 0, 0), 10], [ip(127, 0, 0, 0), 8],
  [ip(169, 254, 0, 0), 16], [ip(172, 16, 0, 0), 12], [ip(192, 0, 0, 0), 24], [ip(192, 0, 2, 0), 24],
  [ip(192, 168, 0, 0), 16], [ip(198, 18, 0, 0), 15], [ip(198, 51, 100, 0), 24], [ip(203, 0, 113, 0), 24],
  [ip(224, 0, 0, 0), 3],
];

// Share of each prefix length in a full IPv4 table (roughly the 2024 CIDR report): /24 dominates.
const PREFIX_WEIGHTS: readonly (readonly [number, number])[] = [
  [8, 0.00002], [9, 0.00005], [10, 0.0002], [11, 0.0005], [12, 0.0015], [13, 0.003], [14, 0.006],
  [15, 0.01], [16, 0.013], [17, 0.008], [18, 0.014], [19, 0.025], [20, 0.045], [21, 0.05],
  [22, 0.12], [23, 0.1], [24, 0.6],
];
const BACKUP_SHARE = 0.01; // prefixes also learned from the second peer, installed with a worse metric
const BGP_METRIC = 20; // FRR's metric for BGP routes
const BACKUP_METRIC = 30;

/** Tables with `routes` rows (at least the fixed ones), the same text for the same seed. */
export function generateRouteTables(routes: number, seed = 1): GeneratedTables {
  if (!Number.isInteger(routes) || routes < FIXED.length) throw new Error(`routes must be a whole number >= ${FIXED.length}`);
  const random = mulberry32(seed);
  const bulk = routes - FIXED.length;
  // Keys sort in kernel order: destination, then longest prefix first (slen = 32 - prefix ascending).
  const keyOf = (network: number, prefix: number) => network * 64 + (32 - prefix);
  const seen = new Set<number>(FIXED.map((r) => keyOf(r.network, r.prefix)));
  const keys = new Float64Array(bulk);
  for (let n = 0; n < bulk; ) {
    const prefix = pickPrefix(random());
    const network = ((random() * 0x100000000) & maskOf(prefix)) >>> 0;
    const key = keyOf(network, prefix);
    if (seen.has(key) || RESERVED.some(([net, len]) => overlaps(net, len, network, prefix))) continue;
    seen.add(key);
    keys[n++] = key;
    if (n < bulk && random() < BACKUP_SHARE) {
      keys[n++] = key + 0.5; // the backup row sorts right after its primary
    }
  }
  keys.sort();

  const fixedByKey = new Map(FIXED.map((r) => [keyOf(r.network, r.prefix), r]));
  const lines: string[] = [pad(HEADER)];
  const aliases: FibAlias[] = [];
  let next = 0;
  const fixedKeys = [...fixedByKey.keys()].sort((a, b) => a - b);
  const emit = (r: FixedRoute) => {
    lines.push(row(r.iface, r.network, r.gateway, r.gateway === 0 ? 0x0001 : 0x0003, r.metric, r.prefix));
    aliases.push({ key: r.network, prefix: r.prefix, scope: r.gateway === 0 ? "link" : "universe", type: "UNICAST" });
  };
  for (let i = 0; i < bulk; i++) {
    const key = keys[i]!;
    while (next < fixedKeys.length && fixedKeys[next]! < key) emit(fixedByKey.get(fixedKeys[next++]!)!);
    const primary = Math.floor(key);
    const network = Math.floor(primary / 64);
    const prefix = 32 - (primary % 64);
    // The same prefix always goes through the same peer: a hash of the key, not of the order.
    const peer = (Math.imul(network ^ (prefix << 27), 0x9e3779b1) >>> 31) as 0 | 1;
    const isBackup = key !== primary;
    const gateway = PEERS[isBackup ? 1 - peer : peer]!;
    lines.push(row("eth1", network, gateway, 0x0003, isBackup ? BACKUP_METRIC : BGP_METRIC, prefix));
    aliases.push({ key: network, prefix, scope: "universe", type: "UNICAST" });
  }
  while (next < fixedKeys.length) emit(fixedByKey.get(fixedKeys[next++]!)!);
  lines.push("");

  for (const r of FIXED) {
    if (r.local === undefined) continue;
    aliases.push({ key: r.local, prefix: 32, scope: "host", type: "LOCAL", local: true });
    aliases.push({ key: (r.network | ~maskOf(r.prefix)) >>> 0, prefix: 32, scope: "link", type: "BROADCAST", local: true });
  }
  aliases.push({ key: ip(127, 0, 0, 0), prefix: 8, scope: "host", type: "LOCAL", local: true });
  aliases.push({ key: ip(127, 0, 0, 1), prefix: 32, scope: "host", type: "LOCAL", local: true });
  aliases.push({ key: ip(127, 255, 255, 255), prefix: 32, scope: "link", type: "BROADCAST", local: true });
  return { route: lines.join("\n"), fibTrie: buildFibTrie(aliases), routes };
}

function row(iface: string, network: number, gateway: number, flags: number, metric: number, prefix: number): string {
  // Fields as fib_route_seq_show prints them: "%s\t%08X\t%08X\t%04X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u".
  const fields = [iface, hexLE(network), hexLE(gateway), hex4(flags), "0", "0", String(metric), hexLE(maskOf(prefix)), "0", "0", "0"];
  return pad(fields.join("\t"));
}

function pad(line: string): string {
  return line.padEnd(LINE_WIDTH, " ");
}

/** The in-memory bytes of a network-order address, printed by %08X on a little-endian host. */
function hexLE(address: number): string {
  const swapped = (((address & 0xff) << 24) | (((address >>> 8) & 0xff) << 16) | (((address >>> 16) & 0xff) << 8) | (address >>> 24)) >>> 0;
  return swapped.toString(16).toUpperCase().padStart(8, "0");
}

function hex4(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, "0");
}

const WEIGHT_TOTAL = PREFIX_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);

/** A prefix length drawn from PREFIX_WEIGHTS, for u uniform in [0, 1). */
function pickPrefix(u: number): number {
  let acc = 0;
  for (const [prefix, weight] of PREFIX_WEIGHTS) {
    acc += weight / WEIGHT_TOTAL;
    if (u < acc) return prefix;
  }
  return 24;
}

function overlaps(aNet: number, aLen: number, bNet: number, bLen: number): boolean {
  const mask = maskOf(Math.min(aLen, bLen));
  return ((aNet & mask) >>> 0) === ((bNet & mask) >>> 0);
}

/** A small seeded PRNG (mulberry32): the same tables on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
