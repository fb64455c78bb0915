// Stage 2: which subnets this host sits on, and which of them a DHCP server here may serve.
// Fixes the paper's Algorithm 1 (design.md): the router is the lowest-metric default gateway of
// the interface (a gateway route listed later cannot change it), gateway routes to other networks
// are remote networks, container/overlay/VM/tunnel interfaces are never served, and reject routes,
// routes without RTF_UP, routes with no device ("*") and host routes are ignored.
import { Route } from "./routeTable";
import { RTF_GATEWAY, RTF_HOST, RTF_REJECT, RTF_UP } from "./routeFlags";
import { contains, formatAddress, formatCidr } from "./ipv4";
import { matchesAny, VIRTUAL_INTERFACE_PATTERNS } from "./interfacePatterns";

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

const KIND_ORDER: Record<SubnetKind, number> = { lan: 0, remote: 1, virtual: 2 };

export function discoverSubnets(
  routes: readonly Route[],
  hostAddresses: readonly number[] = [],
  selection: InterfaceSelection = {},
): Discovery {
  const include = selection.includeInterfaces ?? [];
  const exclude = selection.excludeInterfaces ?? [];
  const virtualCache = new Map<string, boolean>();
  const isVirtual = (iface: string): boolean => {
    let virtual = virtualCache.get(iface);
    if (virtual === undefined) {
      virtual = matchesAny(iface, VIRTUAL_INTERFACE_PATTERNS) && !matchesAny(iface, include);
      virtualCache.set(iface, virtual);
    }
    return virtual;
  };

  const defaults = new Map<string, Route[]>(); // per interface, by metric then table order
  const connected: Route[] = [];
  const remote = new Map<number, Route>(); // network * 64 + prefix -> lowest-metric route
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
      const key = route.destination * 64 + route.prefix;
      const seen = remote.get(key);
      if (seen === undefined || route.metric < seen.metric) remote.set(key, route);
    }
  }
  for (const list of defaults.values()) list.sort((a, b) => a.metric - b.metric || a.line - b.line);

  const subnets: Subnet[] = [];
  const seenConnected = new Set<string>();
  for (const route of connected) {
    const iface = route.iface!;
    const key = `${iface} ${route.destination}/${route.prefix}`;
    if (seenConnected.has(key)) continue;
    seenConnected.add(key);
    const router = defaults.get(iface)?.find((d) => contains(route.destination, route.prefix, d.gateway))?.gateway ?? null;
    subnets.push({
      iface,
      network: route.destination,
      prefix: route.prefix,
      kind: isVirtual(iface) ? "virtual" : "lan",
      router,
      via: null,
      excluded: matchesAny(iface, exclude),
    });
  }
  for (const route of remote.values()) {
    const iface = route.iface!;
    // A gateway route into a network the host is itself on is no separate network.
    if (connected.some((c) => overlaps(c.destination, c.prefix, route.destination, route.prefix))) continue;
    subnets.push({
      iface,
      network: route.destination,
      prefix: route.prefix,
      kind: isVirtual(iface) ? "virtual" : "remote",
      router: null,
      via: route.gateway,
      excluded: matchesAny(iface, exclude),
    });
  }
  subnets.sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.iface < b.iface ? -1 : a.iface > b.iface ? 1 : 0) ||
      a.network - b.network ||
      a.prefix - b.prefix,
  );
  return { subnets, addresses: [...hostAddresses], inUse: [...inUse].sort((a, b) => a - b) };
}

function overlaps(aNet: number, aPrefix: number, bNet: number, bPrefix: number): boolean {
  return aPrefix <= bPrefix ? contains(aNet, aPrefix, bNet) : contains(bNet, bPrefix, aNet);
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
