// fast-check generator of a host's routing state, written out as the kernel would write
// /proc/net/route and /proc/net/fib_trie, with the facts a correct plan must respect.
import fc from "fast-check";
import { broadcastOf, contains, maskOf } from "../../../core/ipv4";
import type { PlanOptions } from "../../../core/options";
import { formatFibTrie, RouteRow } from "./routeText";

export const PHYSICAL = ["eth0", "eth1", "ens3", "ens34", "enp0s31f6", "eno1", "wlan0", "bond0", "eth0.100"] as const;
export const VIRTUAL = ["docker0", "br-3f2a9c1d7e4b", "cni0", "flannel.1", "cali1a2b3c4d5e6", "vxlan.calico", "veth1234abc", "virbr0", "lxcbr0", "podman0", "wg0", "tun0"] as const;

export interface GenSubnet {
  readonly iface: string;
  readonly virtual: boolean;
  readonly network: number;
  readonly prefix: number;
  /** The host's own address in it. */
  readonly address: number;
}

export interface GenHost {
  readonly subnets: readonly GenSubnet[];
  /** Gateway routes to networks the host is not on (one network can have two, at different metrics). */
  readonly remotes: readonly { iface: string; network: number; prefix: number; gateway: number; metric: number }[];
  /** Rows in the kernel's order: by destination, then prefix, then metric (ties: as generated). */
  readonly rows: readonly RouteRow[];
  readonly fibTrie: string;
  readonly hostAddresses: readonly number[];
  /** Gateway-less host routes: addresses the table shows in use. */
  readonly inUse: readonly number[];
  readonly options: PlanOptions & { readonly excludeAddresses: readonly string[]; readonly reservations: readonly { mac: string; address: string }[] };
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");
const dotted = (a: number) => `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
/** A usable address of the subnet, chosen by n. */
const usable = (network: number, prefix: number, n: number) => network + 1 + (n % (2 ** (32 - prefix) - 2));

const network = fc.record({ address: fc.integer({ min: 0x01000000, max: 0xdfffffff }), prefix: fc.integer({ min: 8, max: 30 }) });
const pick = fc.record({ which: fc.nat(), offset: fc.nat(), metric: fc.nat({ max: 1000 }) });

export const hostArbitrary: fc.Arbitrary<GenHost> = fc
  .record({
    physical: fc.uniqueArray(fc.constantFrom(...PHYSICAL), { minLength: 1, maxLength: 4 }),
    virtual: fc.uniqueArray(fc.constantFrom(...VIRTUAL), { maxLength: 3 }),
    networks: fc.array(network, { minLength: 8, maxLength: 14 }),
    extraSubnets: fc.array(fc.nat(), { maxLength: 2 }), // a second subnet on a physical interface
    remotes: fc.array(pick, { maxLength: 3 }),
    // a second route to the same remote network, through another gateway, at another metric
    remoteTwins: fc.array(fc.option(fc.record({ which: fc.nat(), offset: fc.nat(), delta: fc.integer({ min: -50, max: 50 }).filter((d) => d !== 0) })), { maxLength: 3 }),
    rejects: fc.array(fc.boolean(), { maxLength: 2 }),
    defaults: fc.array(fc.record({ which: fc.nat(), offset: fc.nat(), metric: fc.nat({ max: 1000 }), inside: fc.boolean() }), { maxLength: 5 }),
    hostRoutes: fc.array(fc.record({ which: fc.nat(), offset: fc.nat(), viaGateway: fc.boolean() }), { maxLength: 3 }),
    connectedMetric: fc.constantFrom(0, 100),
    excludes: fc.array(fc.record({ which: fc.nat(), offset: fc.nat(), length: fc.nat({ max: 40 }) }), { maxLength: 3 }),
    reservations: fc.array(fc.record({ which: fc.nat(), offset: fc.nat() }), { maxLength: 3 }),
    relay: fc.boolean(),
  })
  .map((g) => {
    // Disjoint networks, outside 0/8, 127/8 and multicast.
    const nets: { network: number; prefix: number }[] = [];
    for (const { address, prefix } of g.networks) {
      const n = (address & maskOf(prefix)) >>> 0;
      if (n >>> 24 === 127 || n >>> 24 === 0) continue;
      const overlaps = nets.some((o) => contains(o.network, Math.min(o.prefix, prefix), n) || contains(n, Math.min(o.prefix, prefix), o.network));
      if (!overlaps) nets.push({ network: n, prefix });
    }
    const take = () => nets.shift();
    const subnets: GenSubnet[] = [];
    const addSubnet = (iface: string, virtual: boolean, seed: number) => {
      const n = take();
      if (n !== undefined) subnets.push({ iface, virtual, ...n, address: usable(n.network, n.prefix, seed * 7919 + subnets.length) });
    };
    g.physical.forEach((iface, i) => addSubnet(iface, false, i));
    g.virtual.forEach((iface, i) => addSubnet(iface, true, i + 17));
    g.extraSubnets.forEach((w, i) => addSubnet(g.physical[w % g.physical.length]!, false, i + 31));
    const physical = subnets.filter((s) => !s.virtual);
    const hostAddresses = subnets.map((s) => s.address);
    const notLocal = (a: number) => !hostAddresses.includes(a);

    const rows: RouteRow[] = subnets.map((s) => ({ iface: s.iface, destination: s.network, prefix: s.prefix, gateway: 0, flags: 0x1, metric: s.virtual ? 0 : g.connectedMetric }));
    for (const d of g.defaults) {
      const s = subnets[d.which % subnets.length]!;
      const gateway = d.inside ? usable(s.network, s.prefix, d.offset) : 0x01010101 + (d.offset % 0xffff);
      if (notLocal(gateway)) rows.push({ iface: s.iface, destination: 0, prefix: 0, gateway, flags: 0x3, metric: d.metric });
    }
    const remotes: GenHost["remotes"][number][] = [];
    const addRemote = (n: { network: number; prefix: number }, which: number, offset: number, metric: number) => {
      const s = subnets[which % subnets.length]!;
      const gateway = usable(s.network, s.prefix, offset);
      if (!notLocal(gateway)) return;
      remotes.push({ iface: s.iface, ...n, gateway, metric });
      rows.push({ iface: s.iface, destination: n.network, prefix: n.prefix, gateway, flags: 0x3, metric });
    };
    g.remotes.forEach((r, i) => {
      const n = take();
      if (n === undefined) return;
      addRemote(n, r.which, r.offset, r.metric + 50);
      const twin = g.remoteTwins[i];
      if (twin) addRemote(n, twin.which, twin.offset, r.metric + 50 + twin.delta);
    });
    for (const flags of g.rejects) {
      const n = take();
      if (n !== undefined) rows.push({ iface: null, destination: n.network, prefix: n.prefix, gateway: 0, flags: flags ? 0x201 : 0x001, metric: 0 });
    }
    const inUse: number[] = [];
    for (const h of g.hostRoutes) {
      const s = physical[h.which % physical.length]!;
      const address = usable(s.network, s.prefix, h.offset);
      if (h.viaGateway) {
        rows.push({ iface: s.iface, destination: (address ^ 0x40000000) >>> 0, prefix: 32, gateway: usable(s.network, s.prefix, h.offset + 1), flags: 0x7, metric: 0 });
      } else {
        rows.push({ iface: s.iface, destination: address, prefix: 32, gateway: 0, flags: 0x5, metric: 0 });
        inUse.push(address);
      }
    }
    rows.sort((a, b) => a.destination - b.destination || a.prefix - b.prefix || a.metric - b.metric);

    const excludeAddresses = g.excludes.map((e) => {
      const s = subnets[e.which % subnets.length]!;
      const start = usable(s.network, s.prefix, e.offset);
      return e.length === 0 ? dotted(start) : `${dotted(start)}-${dotted(Math.min(start + e.length, broadcastOf(s.network, s.prefix)))}`;
    });
    const gateways = rows.map((r) => r.gateway);
    const reservations = g.reservations
      .map((r, i) => {
        const s = physical[r.which % physical.length]!;
        return { mac: `52:54:00:00:00:${hex2(i)}`, address: usable(s.network, s.prefix, r.offset) };
      })
      .filter((r) => notLocal(r.address) && !gateways.includes(r.address))
      .map((r) => ({ mac: r.mac, address: dotted(r.address) }));

    return {
      subnets,
      remotes,
      rows,
      fibTrie: formatFibTrie(subnets),
      hostAddresses,
      inUse,
      options: { relay: g.relay, excludeAddresses, reservations },
    };
  });

/**
 * The rows in another order that the kernel could not tell apart from the first: rows that share
 * destination, prefix and metric keep their relative order (the kernel keeps insertion order there).
 */
export function reorder(rows: readonly RouteRow[], permutation: readonly number[]): RouteRow[] {
  const key = (r: RouteRow) => `${r.destination}/${r.prefix}/${r.metric}`;
  const queues = new Map<string, RouteRow[]>();
  for (const r of rows) queues.set(key(r), [...(queues.get(key(r)) ?? []), r]);
  return permutation.map((i) => queues.get(key(rows[i]!))!.shift()!);
}
