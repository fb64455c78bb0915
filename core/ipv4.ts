// IPv4 addresses as unsigned 32-bit numbers: the parser handles a million routes, and ip-num's
// bigint values are too slow there. User-given text goes through ip-num (parseAddress, parseCidr).
import { IPv4, IPv4CidrRange } from "ip-num";

/** 10.1.2.3 -> 0x0A010203. Throws ip-num's error (without the input) on bad text: callers wrap it. */
export function parseAddress(text: string): number {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) throw new Error("not a dotted-quad IPv4 address");
  return Number(IPv4.fromDecimalDottedString(text).getValue());
}

/** "10.1.2.0/24" -> network and prefix; refuses host bits ("10.1.2.3/24"), which ip-num accepts. */
export function parseCidr(text: string): { network: number; prefix: number } {
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(text)) throw new Error("is not an IPv4 CIDR such as 10.1.2.0/24");
  const range = IPv4CidrRange.fromCidr(text);
  const network = Number(range.getFirst().getValue());
  const prefix = Number(range.getPrefix().getValue());
  if (formatAddress(network) !== text.split("/")[0]) {
    throw new Error(`has host bits set; the network is ${formatAddress(network)}/${prefix}`);
  }
  return { network, prefix };
}

export function formatAddress(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Prefix length of a contiguous mask, or -1 when the ones are not contiguous (255.0.255.0). */
export function prefixOfMask(mask: number): number {
  const inverted = ~mask >>> 0;
  if ((inverted & (inverted + 1)) !== 0) return -1;
  return 32 - Math.log2(inverted + 1);
}

export function broadcastOf(network: number, prefix: number): number {
  return (network | ~maskOf(prefix)) >>> 0;
}

export function contains(network: number, prefix: number, address: number): boolean {
  return ((address & maskOf(prefix)) >>> 0) === network;
}

export function formatCidr(network: number, prefix: number): string {
  return `${formatAddress(network)}/${prefix}`;
}
