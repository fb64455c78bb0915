// Reads back the dhcpd.conf that core/render.ts writes (not a general dhcpd.conf parser): enough
// to check properties of the rendered text rather than of the plan behind it.
import { parseAddress, prefixOfMask } from "../../../core/ipv4";

export interface ConfSubnet {
  readonly network: number;
  readonly prefix: number;
  readonly sharedNetwork: string | null;
  readonly ranges: [number, number][];
  router: number | null;
  readonly fixed: number[];
}

export interface Conf {
  readonly listen: string[];
  readonly subnets: ConfSubnet[];
  /** Every whitespace-separated word, with ; { } stripped. */
  readonly words: Set<string>;
}

export function readConf(text: string): Conf {
  const conf: Conf = { listen: [], subnets: [], words: new Set(text.split(/\s+/).map((w) => w.replace(/[;{}]+$/, ""))) };
  let shared: string | null = null;
  let current: ConfSubnet | null = null;
  for (const line of text.split("\n")) {
    let m: RegExpExecArray | null;
    if ((m = /^# dhcpd listens on: (.*)$/.exec(line))) conf.listen.push(...m[1]!.split(" ").filter((w) => w !== ""));
    else if ((m = /^shared-network (\S+) \{$/.exec(line))) shared = m[1]!;
    else if ((m = /^\s*subnet (\S+) netmask (\S+) \{$/.exec(line))) {
      current = { network: parseAddress(m[1]!), prefix: prefixOfMask(parseAddress(m[2]!)), sharedNetwork: shared, ranges: [], router: null, fixed: [] };
      conf.subnets.push(current);
    } else if ((m = /^\s*range (\S+) (\S+);$/.exec(line))) current!.ranges.push([parseAddress(m[1]!), parseAddress(m[2]!)]);
    else if ((m = /^\s*option routers (\S+);$/.exec(line))) current!.router = parseAddress(m[1]!);
    else if ((m = /^\s*fixed-address (\S+);$/.exec(line))) current!.fixed.push(parseAddress(m[1]!));
    else if (line === "}") shared = null;
  }
  return conf;
}
