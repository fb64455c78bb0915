// Stage 3: plan the pools. Pure: which subnets to declare, on which interfaces dhcpd listens, and
// which addresses each pool may hand out.
//
// Default pool policy (README, "Pools"): the lower half of a subnet's usable addresses is left to
// static hosts (routers, servers, printers); the pool is the upper half, at most maxPoolSize
// addresses ending at the last usable one. From any pool, default or explicit, these are always
// cut out: the network and broadcast addresses, the router, every address of the host itself,
// addresses the routing table shows in use (gateway-less host routes), excludeAddresses and
// reserved addresses. A subnet with nothing left (a /30 holding host and router, a /31) is declared
// without a pool, so dhcpd still knows the network it listens on.
import { Discovery, Subnet } from "./discover";
import { CheckedOptions, Range } from "./options";
import { OptionError } from "./optionError";
import { NothingToServeError } from "./nothingToServeError";
import { broadcastOf, contains, formatAddress, formatCidr, maskOf } from "./ipv4";

export interface PlannedReservation {
  readonly name: string;
  readonly mac: string;
  readonly address: number;
}

export interface PlannedSubnet {
  readonly iface: string;
  readonly kind: "lan" | "remote";
  readonly network: number;
  readonly prefix: number;
  readonly router: number | null;
  readonly ranges: readonly Range[];
  readonly reservations: readonly PlannedReservation[];
}

export interface DhcpPlan {
  readonly options: CheckedOptions;
  /** LAN subnets by interface; an interface with several becomes a shared-network. */
  readonly networks: readonly { readonly iface: string; readonly subnets: readonly PlannedSubnet[] }[];
  /** Remote networks, served through a relay (only with options.relay). */
  readonly remote: readonly PlannedSubnet[];
  /** The interfaces dhcpd listens on: its command-line arguments. */
  readonly interfaces: readonly string[];
}

export function planPools(discovery: Discovery, options: CheckedOptions, source = "/proc/net/route"): DhcpPlan {
  const lan = nonOverlapping(discovery.subnets.filter((s) => s.kind === "lan" && !s.excluded));
  if (lan.length === 0) throw new NothingToServeError(source, explainNothing(discovery));
  const remote = options.relay ? mostSpecific(discovery.subnets.filter((s) => s.kind === "remote" && !s.excluded), lan) : [];

  const served = [...lan, ...remote];
  const servedCidrs = new Set(served.map((s) => formatCidr(s.network, s.prefix)));
  const servedList = [...servedCidrs].join(", ");
  for (const [key, name] of [...[...options.pools.keys()].map((k) => [k, "pools"]), ...[...options.routers.keys()].map((k) => [k, "routers"])]) {
    if (!servedCidrs.has(key!)) throw new OptionError(`${name}["${key}"]`, `is not a subnet this host serves (it serves ${servedList})`);
  }
  const reservations = options.reservations.map((r) => {
    const subnet = served.find((s) => contains(s.network, s.prefix, r.address));
    if (subnet === undefined) {
      throw new OptionError(`${r.argument}.address`, `${formatAddress(r.address)} is in no subnet this host serves (it serves ${servedList})`);
    }
    return { ...r, subnet };
  });

  const plan = (subnet: Subnet, kind: "lan" | "remote"): PlannedSubnet => {
    const cidr = formatCidr(subnet.network, subnet.prefix);
    const router = chooseRouter(subnet, kind, options, discovery, cidr);
    const own = reservations.filter((r) => r.subnet === subnet);
    const cut: number[] = [...discovery.addresses, ...discovery.inUse, ...own.map((r) => r.address)];
    if (router !== null) cut.push(router);
    for (const r of own) {
      if (r.address === router) throw new OptionError(`${r.argument}.address`, `${formatAddress(r.address)} is the router of ${cidr}`);
      if (discovery.addresses.includes(r.address)) throw new OptionError(`${r.argument}.address`, `${formatAddress(r.address)} is the host's own address`);
      if (!isUsable(subnet, r.address)) throw new OptionError(`${r.argument}.address`, `${formatAddress(r.address)} is the network or broadcast address of ${cidr}`);
    }
    const explicit = options.pools.get(cidr);
    explicit?.forEach((range, i) => {
      if (!isUsable(subnet, range.start) || !isUsable(subnet, range.end)) {
        throw new OptionError(`pools["${cidr}"][${i}]`, `${formatAddress(range.start)}-${formatAddress(range.end)} is not inside the usable addresses of ${cidr}`);
      }
    });
    const base = explicit ?? defaultPool(subnet, options.maxPoolSize);
    return {
      iface: subnet.iface,
      kind,
      network: subnet.network,
      prefix: subnet.prefix,
      router,
      ranges: subtract(base, cut, options.excludeAddresses),
      reservations: own.map(({ name, mac, address }) => ({ name, mac, address })),
    };
  };

  const networks = new Map<string, PlannedSubnet[]>();
  for (const subnet of lan) {
    const list = networks.get(subnet.iface) ?? [];
    list.push(plan(subnet, "lan"));
    networks.set(subnet.iface, list);
  }
  const ifaces = [...networks.keys()].sort();
  return {
    options,
    networks: ifaces.map((iface) => ({ iface, subnets: networks.get(iface)! })),
    remote: remote.map((s) => plan(s, "remote")),
    interfaces: ifaces,
  };
}

function chooseRouter(subnet: Subnet, kind: "lan" | "remote", options: CheckedOptions, discovery: Discovery, cidr: string): number | null {
  const given = options.routers.get(cidr);
  if (given !== undefined) {
    if (!isUsable(subnet, given)) throw new OptionError(`routers["${cidr}"]`, `${formatAddress(given)} is not a usable address of ${cidr}`);
    if (discovery.addresses.includes(given)) throw new OptionError(`routers["${cidr}"]`, `${formatAddress(given)} is the host's own address`);
    return given;
  }
  // A relay agent's own address on the remote network is not in the host's table: by convention the
  // router takes the first usable address; set routers["CIDR"] where it does not.
  if (kind === "remote") return subnet.prefix <= 30 ? subnet.network + 1 : null;
  return subnet.router;
}

function isUsable(subnet: Subnet, address: number): boolean {
  if (!contains(subnet.network, subnet.prefix, address)) return false;
  if (subnet.prefix >= 31) return true; // RFC 3021: no network or broadcast address
  return address !== subnet.network && address !== broadcastOf(subnet.network, subnet.prefix);
}

function defaultPool(subnet: Subnet, maxPoolSize: number): Range[] {
  if (subnet.prefix > 30) return []; // a point-to-point link is no place for a pool
  const first = subnet.network + 1;
  const last = broadcastOf(subnet.network, subnet.prefix) - 1;
  const usable = last - first + 1;
  const start = Math.max(first + Math.floor(usable / 2), last - maxPoolSize + 1);
  return [{ start, end: last }];
}

/** base minus the single addresses in `cut` and the ranges in `excluded`, sorted and disjoint. */
export function subtract(base: readonly Range[], cut: readonly number[], excluded: readonly Range[]): Range[] {
  const holes = [...cut.map((a) => ({ start: a, end: a })), ...excluded].sort((a, b) => a.start - b.start);
  let ranges = [...base].sort((a, b) => a.start - b.start);
  for (const hole of holes) {
    const next: Range[] = [];
    for (const r of ranges) {
      if (hole.end < r.start || hole.start > r.end) {
        next.push(r);
        continue;
      }
      if (hole.start > r.start) next.push({ start: r.start, end: hole.start - 1 });
      if (hole.end < r.end) next.push({ start: hole.end + 1, end: r.end });
    }
    ranges = next;
  }
  // Explicit ranges may overlap each other: merge so dhcpd never sees an address twice.
  const merged: Range[] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r.start <= last.end + 1) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, r.end) };
    else merged.push(r);
  }
  return merged;
}

/**
 * LAN subnets dhcpd can declare together: a subnet that overlaps one kept before it (the same
 * subnet on two interfaces, or 10.0.200.0/24 inside 10.0.0.0/16) is left out, since dhcpd refuses
 * overlapping declarations ("lease ... is declared twice").
 */
function nonOverlapping(subnets: readonly Subnet[]): Subnet[] {
  const kept: Subnet[] = [];
  for (const subnet of subnets) if (!kept.some((k) => overlap(k, subnet))) kept.push(subnet);
  return kept;
}

function overlap(a: Subnet, b: Subnet): boolean {
  const mask = maskOf(Math.min(a.prefix, b.prefix));
  return ((a.network & mask) >>> 0) === ((b.network & mask) >>> 0);
}

/**
 * Remote networks that overlap no LAN and no more specific remote network (summary routes go); of
 * the same network listed twice, the first stands. Sorted by network.
 *
 * In O(n log n), for a full table with relay on (it was quadratic). CIDR blocks either nest or are
 * disjoint, so a remote network goes exactly when it overlaps a LAN or holds another, more specific
 * remote network: if that one goes too, it is for a LAN it overlaps or a network it holds, and the
 * outer one overlaps or holds them as well. Sorted by network, widest first, the networks inside one
 * follow it directly: it holds another exactly when the next different network starts before its
 * broadcast address. Networks have no host bits (parseRouteTable refuses them).
 */
export function mostSpecific(remote: readonly Subnet[], lan: readonly Subnet[]): Subnet[] {
  const overlapsLan = lanOverlapTest(lan);
  const sorted = [...remote].sort((a, b) => a.network - b.network || a.prefix - b.prefix); // stable: the first stays first
  const kept: Subnet[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const subnet = sorted[i]!;
    const previous = sorted[i - 1];
    if (previous !== undefined && previous.network === subnet.network && previous.prefix === subnet.prefix) continue;
    let next = i + 1;
    while (next < sorted.length && sorted[next]!.network === subnet.network && sorted[next]!.prefix === subnet.prefix) next++;
    const after = sorted[next];
    if (after !== undefined && after.network <= broadcastOf(subnet.network, subnet.prefix)) continue;
    if (!overlapsLan(subnet)) kept.push(subnet);
  }
  return kept;
}

/**
 * Whether a subnet overlaps any of the LANs, in O(log n): the LANs as address intervals by start,
 * with the highest end so far, so that one binary search finds whether any LAN starting at or before
 * the subnet's broadcast address reaches its network address. LANs may nest.
 */
function lanOverlapTest(lan: readonly Subnet[]): (subnet: Subnet) => boolean {
  const intervals = lan.map((l) => ({ start: l.network, end: broadcastOf(l.network, l.prefix) })).sort((a, b) => a.start - b.start);
  const reach: number[] = [];
  for (const { end } of intervals) reach.push(Math.max(end, reach[reach.length - 1] ?? -1));
  return (subnet) => {
    const broadcast = broadcastOf(subnet.network, subnet.prefix);
    let low = 0;
    let high = intervals.length; // the first interval starting after the broadcast address
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (intervals[mid]!.start <= broadcast) low = mid + 1;
      else high = mid;
    }
    return low > 0 && reach[low - 1]! >= subnet.network;
  };
}

function explainNothing(discovery: Discovery): string {
  const seen = discovery.subnets.map((s) => `${formatCidr(s.network, s.prefix)} on ${s.iface} (${s.excluded ? "excluded" : s.kind})`);
  const connected = discovery.subnets.filter((s) => s.kind !== "remote");
  const stranded = discovery.addresses.filter((a) => !connected.some((s) => contains(s.network, s.prefix, a)));
  const addresses = stranded.map(formatAddress).join(", ");
  return (
    "no LAN subnet is connected to this host" +
    (seen.length > 0 ? `; the table has only ${seen.join(", ")}` : "") +
    (addresses !== "" ? `; its addresses (${addresses}) sit in no connected subnet, as on a cloud VM with a /32` : "")
  );
}
