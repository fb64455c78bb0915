// Planning options: what a user may say about the DHCP service beyond what the routing table says.
// The same shape comes from the CLI flags, the Pulumi resource inputs and the image's environment.
import { OptionError } from "./optionError";
import { parseAddress, parseCidr } from "./ipv4";
import { isValidPattern } from "./interfacePatterns";

export interface Reservation {
  /** dhcpd host declaration name; defaults to "host-" and the MAC without colons. */
  readonly name?: string;
  readonly mac: string;
  readonly address: string;
}

export interface PlanOptions {
  /** Serve remote networks (gateway routes) too; they reach dhcpd through a relay agent. */
  readonly relay?: boolean;
  /** Seconds; default 600 (the paper's File 4). */
  readonly defaultLeaseTime?: number;
  /** Seconds; default 7200. */
  readonly maxLeaseTime?: number;
  readonly dnsServers?: readonly string[];
  readonly domainName?: string;
  /** dhcpd pings an address before offering it (dhcpd.conf(5) ping-check); default true. */
  readonly pingCheck?: boolean;
  readonly includeInterfaces?: readonly string[];
  readonly excludeInterfaces?: readonly string[];
  /** Explicit pool ranges by subnet: { "10.1.1.0/24": ["10.1.1.100-10.1.1.199"] }. */
  readonly pools?: Readonly<Record<string, readonly string[]>>;
  /** Addresses ("10.1.1.5") or ranges ("10.1.1.60-10.1.1.70") never handed out from a pool. */
  readonly excludeAddresses?: readonly string[];
  /** Fixed addresses by MAC, kept outside the pools. */
  readonly reservations?: readonly Reservation[];
  /** Router by subnet, overriding the routing table (and the first-address default of remote networks). */
  readonly routers?: Readonly<Record<string, string>>;
  /** Largest pool the default policy makes for one subnet; default 65536. */
  readonly maxPoolSize?: number;
}

export interface Range {
  readonly start: number;
  readonly end: number;
}

/** Options checked and parsed once: numbers for addresses, defaults filled in. */
export interface CheckedOptions {
  readonly relay: boolean;
  readonly defaultLeaseTime: number;
  readonly maxLeaseTime: number;
  readonly dnsServers: readonly number[];
  readonly domainName: string | null;
  readonly pingCheck: boolean;
  readonly includeInterfaces: readonly string[];
  readonly excludeInterfaces: readonly string[];
  readonly pools: ReadonlyMap<string, readonly Range[]>;
  readonly excludeAddresses: readonly Range[];
  readonly reservations: readonly { name: string; mac: string; address: number; argument: string }[];
  readonly routers: ReadonlyMap<string, number>;
  readonly maxPoolSize: number;
}

export const DEFAULT_OPTIONS = {
  defaultLeaseTime: 600,
  maxLeaseTime: 7200,
  pingCheck: true,
  maxPoolSize: 65536,
} as const;

export function checkOptions(options: PlanOptions = {}): CheckedOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new OptionError("options", "is not an object of planning options");
  }
  for (const key of ["dnsServers", "includeInterfaces", "excludeInterfaces", "excludeAddresses", "reservations"] as const) {
    const value = options[key];
    if (value !== undefined && !Array.isArray(value)) throw new OptionError(key, `${JSON.stringify(value)} is not a list`);
  }
  for (const key of ["pools", "routers"] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value))) {
      throw new OptionError(key, `${JSON.stringify(value)} is not an object keyed by subnet`);
    }
  }
  (options.reservations ?? []).forEach((r, i) => {
    if (typeof r !== "object" || r === null || Array.isArray(r)) throw new OptionError(`reservations[${i}]`, `${JSON.stringify(r)} is not { mac, address, name? }`);
  });
  if (options.domainName !== undefined && typeof options.domainName !== "string") {
    throw new OptionError("domainName", `${JSON.stringify(options.domainName)} is not a domain name`);
  }
  const defaultLeaseTime = checkSeconds("defaultLeaseTime", options.defaultLeaseTime ?? DEFAULT_OPTIONS.defaultLeaseTime);
  const maxLeaseTime = checkSeconds("maxLeaseTime", options.maxLeaseTime ?? Math.max(DEFAULT_OPTIONS.maxLeaseTime, defaultLeaseTime));
  if (maxLeaseTime < defaultLeaseTime) {
    throw new OptionError("maxLeaseTime", `${maxLeaseTime} is shorter than [defaultLeaseTime] ${defaultLeaseTime}`);
  }
  const maxPoolSize = options.maxPoolSize ?? DEFAULT_OPTIONS.maxPoolSize;
  if (!Number.isInteger(maxPoolSize) || maxPoolSize < 1) {
    throw new OptionError("maxPoolSize", `${String(maxPoolSize)} is not a positive whole number`);
  }
  const domainName = options.domainName ?? null;
  // Quoted into dhcpd.conf: only host-name characters, so nothing can escape the string.
  if (domainName !== null && !/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/.test(domainName)) {
    throw new OptionError("domainName", `"${domainName}" is not a domain name`);
  }
  const macs = new Set<string>();
  const names = new Set<string>();
  const reservations = (options.reservations ?? []).map((r, i) => {
    const argument = `reservations[${i}]`;
    const mac = String(r.mac ?? "").toLowerCase();
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) throw new OptionError(`${argument}.mac`, `"${r.mac}" is not a MAC address like 52:54:00:12:34:56`);
    if (macs.has(mac)) throw new OptionError(`${argument}.mac`, `${mac} is reserved twice`);
    macs.add(mac);
    const name = r.name ?? `host-${mac.replace(/:/g, "")}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(name)) throw new OptionError(`${argument}.name`, `"${name}" is not a host name (letters, digits, - and _)`);
    if (names.has(name)) throw new OptionError(`${argument}.name`, `"${name}" is used twice`);
    names.add(name);
    return { name, mac, address: address(`${argument}.address`, r.address), argument };
  });
  return {
    relay: checkBoolean("relay", options.relay ?? false),
    defaultLeaseTime,
    maxLeaseTime,
    dnsServers: (options.dnsServers ?? []).map((s, i) => address(`dnsServers[${i}]`, s)),
    domainName,
    pingCheck: checkBoolean("pingCheck", options.pingCheck ?? DEFAULT_OPTIONS.pingCheck),
    includeInterfaces: patterns("includeInterfaces", options.includeInterfaces),
    excludeInterfaces: patterns("excludeInterfaces", options.excludeInterfaces),
    pools: new Map(
      Object.entries(options.pools ?? {}).map(([cidr, ranges]) => {
        cidrKey(`pools["${cidr}"]`, cidr);
        if (!Array.isArray(ranges)) throw new OptionError(`pools["${cidr}"]`, "is not a list of ranges");
        return [cidr, ranges.map((r, i) => range(`pools["${cidr}"][${i}]`, r))];
      }),
    ),
    excludeAddresses: (options.excludeAddresses ?? []).map((r, i) => range(`excludeAddresses[${i}]`, r)),
    reservations,
    routers: new Map(
      Object.entries(options.routers ?? {}).map(([cidr, router]) => {
        cidrKey(`routers["${cidr}"]`, cidr);
        return [cidr, address(`routers["${cidr}"]`, router)];
      }),
    ),
    maxPoolSize,
  };
}

function checkSeconds(argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 0xffffffff) {
    throw new OptionError(argument, `${String(value)} is not a whole number of seconds`);
  }
  return value;
}

function checkBoolean(argument: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new OptionError(argument, `${String(value)} is not true or false`);
  return value;
}

function address(argument: string, text: unknown): number {
  try {
    return parseAddress(String(text));
  } catch {
    throw new OptionError(argument, `"${String(text)}" is not an IPv4 address`);
  }
}

function cidrKey(argument: string, text: string): void {
  try {
    parseCidr(text);
  } catch (error) {
    throw new OptionError(argument, `"${text}" ${(error as Error).message}`);
  }
}

function range(argument: string, text: unknown): Range {
  const parts = String(text).split("-");
  if (parts.length > 2) throw new OptionError(argument, `"${String(text)}" is not an address or a range FIRST-LAST`);
  const start = address(argument, parts[0]!.trim());
  const end = parts.length === 2 ? address(argument, parts[1]!.trim()) : start;
  if (end < start) throw new OptionError(argument, `"${String(text)}" ends before it starts`);
  return { start, end };
}

function patterns(argument: string, list: readonly string[] | undefined): string[] {
  return (list ?? []).map((pattern, i) => {
    if (!isValidPattern(pattern)) throw new OptionError(`${argument}[${i}]`, `"${pattern}" is not an interface name pattern (A-Z a-z 0-9 _ . - * ?)`);
    return pattern;
  });
}
