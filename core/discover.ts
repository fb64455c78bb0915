// Stage 2: which subnets this host sits on, and which of them a DHCP server here may serve.
// Fixes the paper's Algorithm 1 (design.md): the router is the lowest-metric default gateway of
// the interface (a gateway route listed later cannot change it), gateway routes to other networks
// are remote networks, container/overlay/VM/tunnel interfaces are never served, and reject routes,
// routes without RTF_UP, routes with no device ("*") and host routes are ignored.
import { Route } from "./routeTable";
import { RTF_GATEWAY, RTF_HOST, RTF_REJECT, RTF_UP } from "./routeFlags";
import { broadcastOf, contains, formatAddress, formatCidr, maskOf } from "./ipv4";
import { matchesAny, VIRTUAL_INTERFACE_PATTERNS } from "./interfacePatterns";
import { SubnetGroups } from "./subnetGroups";

export type SubnetKind = "lan" | "remote" | "virtual";

export interface Subnet {
  readonly iface: string;
  readonly network: number;
  readonly prefix: number;
  readonly kind: SubnetKind;
  /** lan/virtual: the interface's lowest-metric default gateway inside this subnet, else null. */
  readonly router: number | null;
  /** remote: the gateway the host reaches it through. */
  readonly via: number | null;
  /** Left out by the user's interface patterns. */
  readonly excluded: boolean;
}

export interface Discovery {
  readonly subnets: readonly Subnet[];
  /** The host's own addresses (from fib_trie), sorted. */
  readonly addresses: readonly number[];
  /** Addresses of gateway-less host routes ("192.168.100.1 dev ens34"): in use, never pooled. */
  readonly inUse: readonly number[];
}

export interface InterfaceSelection {
  /** Served even if their names look virtual (shell patterns). */
  readonly includeInterfaces?: readonly string[];
  /** Never served (shell patterns); wins over include. */
  readonly excludeInterfaces?: readonly string[];
}

export function discoverSubnets(
  routes: readonly Route[],
  hostAddresses: readonly number[] = [],
  selection: InterfaceSelection = {},
): Discovery {
  const facts = new InterfaceFacts(selection.includeInterfaces ?? [], selection.excludeInterfaces ?? []);

  const defaults = new Map<string, Route[]>(); // per interface, by metric then table order
  const connected: Route[] = [];
  const remote = new RemoteRoutes();
  const inUse = new Set<number>();

  for (const route of routes) {
    const { iface, flags } = route;
    if (iface === null || (flags & RTF_UP) === 0 || (flags & RTF_REJECT) !== 0) continue;
    const isGateway = (flags & RTF_GATEWAY) !== 0;
    if (route.prefix === 32 || (flags & RTF_HOST) !== 0) {
      if (!isGateway) inUse.add(route.destination);
      continue;
    }
    if (!isGateway) {
      // "default dev ppp0" (no gateway) is a point-to-point uplink, not a subnet on the wire.
      if (route.prefix !== 0) connected.push(route);
    } else if (route.prefix === 0) {
      const list = defaults.get(iface);
      if (list === undefined) defaults.set(iface, [route]);
      else list.push(route);
    } else {
      remote.offer(route);
    }
  }
  for (const list of defaults.values()) list.sort((a, b) => a.metric - b.metric || a.line - b.line);

  const subnets = new SubnetGroups();
  const seenConnected = new Set<string>();
  for (const route of connected) {
    const iface = route.iface!;
    const { virtual, excluded } = facts.of(iface);
    const key = `${iface} ${route.destination}/${route.prefix}`;
    if (seenConnected.has(key)) continue;
    seenConnected.add(key);
    const router = defaults.get(iface)?.find((d) => contains(route.destination, route.prefix, d.gateway))?.gateway ?? null;
    subnets.add({
      iface,
      network: route.destination,
      prefix: route.prefix,
      kind: virtual ? "virtual" : "lan",
      router,
      via: null,
      excluded,
    });
  }
  const overlapsConnected = overlapTest(connected);
  for (const route of remote.routes) {
    const iface = route.iface!;
    // A gateway route into a network the host is itself on is no separate network.
    if (overlapsConnected(route.destination, route.prefix)) continue;
    const { virtual, excluded } = facts.of(iface);
    subnets.add({
      iface,
      network: route.destination,
      prefix: route.prefix,
      kind: virtual ? "virtual" : "remote",
      router: null,
      via: route.gateway,
      excluded,
    });
  }
  return { subnets: subnets.sorted(), addresses: [...hostAddresses], inUse: [...inUse].sort((a, b) => a - b) };
}

interface Facts {
  readonly virtual: boolean;
  readonly excluded: boolean;
}

/** What the patterns say of an interface, worked out once per name: a full table names one a million times. */
class InterfaceFacts {
  private readonly include: readonly string[];
  private readonly exclude: readonly string[];
  private readonly known: Map<string, Facts>;
  private lastName: string | null;
  private last: Facts;

  constructor(include: readonly string[], exclude: readonly string[]) {
    // Set here, not by class fields: Pulumi's closure serializer drops class fields (provider/).
    this.include = include;
    this.exclude = exclude;
    this.known = new Map();
    this.lastName = null;
    this.last = { virtual: false, excluded: false };
  }

  of(iface: string): Facts {
    if (iface === this.lastName) return this.last;
    let facts = this.known.get(iface);
    if (facts === undefined) {
      facts = {
        virtual: matchesAny(iface, VIRTUAL_INTERFACE_PATTERNS) && !matchesAny(iface, this.include),
        excluded: matchesAny(iface, this.exclude),
      };
      this.known.set(iface, facts);
    }
    this.lastName = iface;
    this.last = facts;
    return facts;
  }
}

/**
 * The lowest-metric gateway route per network (the first on a tie), in the order networks first
 * appear: what a Map keyed by network * 64 + prefix gives, without a million keys. The kernel lists
 * routes by destination, longest prefix first, then metric (fib_route_seq_show), so a network seen
 * before is the one just seen; a table in any other order falls back to the Map.
 */
class RemoteRoutes {
  readonly routes: Route[];
  private byKey: Map<number, number> | null; // network * 64 + prefix -> index in routes
  private lastNetwork: number;
  private lastPrefix: number;

  constructor() {
    // Set here, not by class fields: Pulumi's closure serializer drops class fields (provider/).
    this.routes = [];
    this.byKey = null;
    this.lastNetwork = -1;
    this.lastPrefix = 33;
  }

  offer(route: Route): void {
    const { destination, prefix } = route;
    if (this.byKey === null) {
      const valid = isAddress(destination) && Number.isInteger(prefix) && prefix >= 0 && prefix <= 32;
      if (valid && destination === this.lastNetwork && prefix === this.lastPrefix) {
        const last = this.routes.length - 1;
        if (route.metric < this.routes[last]!.metric) this.routes[last] = route;
        return;
      }
      if (valid && (destination > this.lastNetwork || (destination === this.lastNetwork && prefix < this.lastPrefix))) {
        this.routes.push(route);
        this.lastNetwork = destination;
        this.lastPrefix = prefix;
        return;
      }
      this.byKey = new Map(this.routes.map((r, i) => [r.destination * 64 + r.prefix, i]));
    }
    const key = destination * 64 + prefix;
    const index = this.byKey.get(key);
    if (index === undefined) {
      this.byKey.set(key, this.routes.length);
      this.routes.push(route);
    } else if (route.metric < this.routes[index]!.metric) {
      this.routes[index] = route;
    }
  }
}

/**
 * Whether a network overlaps the network of any connected route (one holds the other). A few
 * connected routes are tried one by one; many (a router with hundreds of VLANs) are looked up by
 * prefix length and by address, so a full table costs a few lookups per route either way.
 */
function overlapTest(connected: readonly Route[]): (network: number, prefix: number) => boolean {
  const nets = connected.map((c) => c.destination);
  const prefixes = connected.map((c) => c.prefix);
  const masks = prefixes.map(maskOf);
  const oneByOne = (network: number, prefix: number): boolean => {
    const mask = maskOf(prefix);
    for (let i = 0; i < nets.length; i++) {
      const holds = prefixes[i]! <= prefix ? ((network & masks[i]!) >>> 0) === nets[i] : ((nets[i]! & mask) >>> 0) === network;
      if (holds) return true;
    }
    return false;
  };
  if (connected.length <= 8 || !connected.every((c) => isNetwork(c.destination, c.prefix))) return oneByOne;

  // A connected network holding this one: its address is this one's, cut to its prefix length.
  const byLength = new Map<number, Set<number>>();
  for (const c of connected) {
    const set = byLength.get(c.prefix);
    if (set === undefined) byLength.set(c.prefix, new Set([c.destination]));
    else set.add(c.destination);
  }
  const lengths = [...byLength.keys()].sort((a, b) => a - b);
  // A connected network inside this one: the first connected address at or after this one's.
  const sorted = [...connected].sort((a, b) => a.destination - b.destination || a.prefix - b.prefix);
  const starts = sorted.map((c) => c.destination);
  return (network: number, prefix: number): boolean => {
    if (!isNetwork(network, prefix)) return oneByOne(network, prefix);
    for (const length of lengths) {
      if (length > prefix) break;
      if (byLength.get(length)!.has((network & maskOf(length)) >>> 0)) return true;
    }
    const last = broadcastOf(network, prefix);
    for (let i = lowerBound(starts, network); i < starts.length && starts[i]! <= last; i++) {
      if (sorted[i]!.prefix > prefix) return true;
    }
    return false;
  };
}

function isAddress(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

function isNetwork(network: number, prefix: number): boolean {
  return isAddress(network) && Number.isInteger(prefix) && prefix >= 0 && prefix <= 32 && ((network & maskOf(prefix)) >>> 0) === network;
}

/** Index of the first value >= target in an ascending array. */
function lowerBound(values: readonly number[], target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The JSON shape of `routedhcp discover --json` (README, "CLI"). */
export interface DiscoveryJson {
  subnets: {
    interface: string;
    cidr: string;
    kind: SubnetKind;
    router: string | null;
    via?: string;
    excluded?: true;
  }[];
  addresses: string[];
}

export function describeDiscovery(discovery: Discovery): DiscoveryJson {
  return {
    subnets: discovery.subnets.map((s) => ({
      interface: s.iface,
      cidr: formatCidr(s.network, s.prefix),
      kind: s.kind,
      router: s.router === null ? null : formatAddress(s.router),
      ...(s.via === null ? {} : { via: formatAddress(s.via) }),
      ...(s.excluded ? { excluded: true as const } : {}),
    })),
    addresses: discovery.addresses.map(formatAddress),
  };
}
