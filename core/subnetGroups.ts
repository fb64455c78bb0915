// The order of discovered subnets: by kind (lan, remote, virtual), interface, network and prefix,
// so that the same table always gives the same discovery and dhcpd.conf. A full table has a million
// remote networks, already in order but for the prefix: sorting them again would cost more than
// parsing them (bench/pipeline.ts).
import type { Subnet, SubnetKind } from "./discover";

const KIND_ORDER: Record<SubnetKind, number> = { lan: 0, remote: 1, virtual: 2 };

/**
 * Subnets by kind, interface, network and prefix, as a stable sort would order them, in linear time
 * for the kernel's order: each (kind, interface) group is gathered in the order added; the kernel
 * lists a group by network already, only with the longest prefix first, so runs of one network are
 * turned round. A group in any other order is sorted.
 */
export class SubnetGroups {
  private readonly groups: Map<SubnetKind, Map<string, Subnet[]>>;
  private last: Subnet[];
  private lastKind: SubnetKind | null;
  private lastIface: string;
  private count: number;

  constructor() {
    // Set here, not by class fields: Pulumi's closure serializer drops class fields (provider/).
    this.groups = new Map();
    this.last = [];
    this.lastKind = null;
    this.lastIface = "";
    this.count = 0;
  }

  add(subnet: Subnet): void {
    this.count++;
    if (subnet.kind !== this.lastKind || subnet.iface !== this.lastIface) {
      let byIface = this.groups.get(subnet.kind);
      if (byIface === undefined) this.groups.set(subnet.kind, (byIface = new Map()));
      let group = byIface.get(subnet.iface);
      if (group === undefined) byIface.set(subnet.iface, (group = []));
      this.last = group;
      this.lastKind = subnet.kind;
      this.lastIface = subnet.iface;
    }
    this.last.push(subnet);
  }

  sorted(): Subnet[] {
    const sorted = new Array<Subnet>(this.count);
    let n = 0;
    for (const kind of [...this.groups.keys()].sort((a, b) => KIND_ORDER[a] - KIND_ORDER[b])) {
      const byIface = this.groups.get(kind)!;
      for (const iface of [...byIface.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
        const group = byIface.get(iface)!;
        if (!isSorted(group)) {
          reverseDescendingRuns(group);
          if (!isSorted(group)) group.sort(compareNetworks);
        }
        for (const subnet of group) sorted[n++] = subnet;
      }
    }
    return sorted;
  }
}

function compareNetworks(a: Subnet, b: Subnet): number {
  return a.network - b.network || a.prefix - b.prefix;
}

function isSorted(group: readonly Subnet[]): boolean {
  for (let i = 1; i < group.length; i++) if (compareNetworks(group[i - 1]!, group[i]!) > 0) return false;
  return true;
}

/** Reverses each run of one network whose prefixes strictly fall (no ties, so stability holds). */
function reverseDescendingRuns(group: Subnet[]): void {
  let start = 0;
  while (start < group.length) {
    let end = start + 1;
    while (end < group.length && group[end]!.network === group[start]!.network && group[end]!.prefix < group[end - 1]!.prefix) end++;
    if (end - start > 1) {
      for (let i = start, j = end - 1; i < j; i++, j--) [group[i], group[j]] = [group[j]!, group[i]!];
    }
    start = end;
  }
}
