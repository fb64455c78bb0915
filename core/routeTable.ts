// Stage 1a: parse /proc/net/route (proc(5)). The kernel writes a header row, then one row per IPv4
// route with 11 tab-separated columns, padded with spaces to 127 characters
// (net/ipv4/fib_trie.c, fib_route_seq_show). Destination, Gateway and Mask are the in-memory bytes of
// a network-order address printed as a little-endian %08X: "0164A8C0" is 192.168.100.1.
//
// Written as a hand scanner over character codes, not split/regex: it must keep up with a full
// Internet table (a million rows) within a small factor of merely splitting the text into lines
// (bench/pipeline.ts). A row exactly as the kernel writes it takes a fast path (parseKernelRow) that
// reads each character once and makes one object and no string; anything else takes the general
// scanner and parseRow, which check in the order of their messages.
import { ParseError } from "./parseError";
import { prefixOfMask, formatAddress } from "./ipv4";
import { RTF_GATEWAY } from "./routeFlags";

export interface Route {
  /** Interface name, or null where the kernel writes "*" (unreachable and prohibit routes). */
  readonly iface: string | null;
  readonly destination: number;
  readonly gateway: number;
  readonly flags: number;
  readonly metric: number;
  readonly mask: number;
  readonly prefix: number;
  /** 1-based line in the source, for messages. */
  readonly line: number;
}

export const ROUTE_COLUMNS = [
  "Iface", "Destination", "Gateway", "Flags", "RefCnt", "Use", "Metric", "Mask", "MTU", "Window", "IRTT",
] as const;

const IFNAMSIZ = 16; // include/uapi/linux/if.h: names are at most 15 characters
const TAB = 9;
const SPACE = 32;
const CR = 13;
const BLANK_RUN = /[\t ]*/y; // sticky: how far the blanks run from lastIndex

/** Parses the text of /proc/net/route. `source` names it in errors. */
export function parseRouteTable(text: string, source = "/proc/net/route"): Route[] {
  const routes: Route[] = [];
  const starts = new Int32Array(12);
  const ends = new Int32Array(12);
  const ifaces = new InterfaceNames();
  let lineNo = 0;
  let sawHeader = false;
  let pos = 0;
  const length = text.length;

  while (pos < length) {
    let end = text.indexOf("\n", pos);
    if (end === -1) end = length;
    lineNo++;
    const lineStart = pos;
    pos = end + 1;
    let lineEnd = end;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
    if (sawHeader) {
      const route = parseKernelRow(text, lineStart, lineEnd, ifaces, lineNo);
      if (route !== null) {
        routes.push(route);
        continue;
      }
    }

    // Split into fields on runs of tabs/spaces, refusing control and non-ASCII characters.
    let count = 0;
    let i = lineStart;
    while (i < lineEnd) {
      let c = text.charCodeAt(i);
      while ((c === TAB || c === SPACE) && i < lineEnd) c = text.charCodeAt(++i);
      if (i >= lineEnd) break;
      const start = i;
      while (c !== TAB && c !== SPACE && i < lineEnd) {
        if (c < 0x21 || c > 0x7e) {
          throw new ParseError(source, lineNo, `contains a byte that is not text (0x${c.toString(16).padStart(2, "0")}); is this really a route table?`);
        }
        c = text.charCodeAt(++i);
      }
      if (count < 12) {
        starts[count] = start;
        ends[count] = i;
      }
      count++;
    }
    if (count === 0) continue; // blank line (the file ends with one)

    if (!sawHeader) {
      checkHeader(text, starts, ends, count, source, lineNo);
      sawHeader = true;
      continue;
    }
    if (count !== 11) {
      throw new ParseError(source, lineNo, `expected 11 columns (${ROUTE_COLUMNS.join(" ")}), found ${count}`);
    }
    routes.push(parseRow(text, starts, ends, source, lineNo));
  }
  if (!sawHeader) throw new ParseError(source, 1, `empty: expected the header "${ROUTE_COLUMNS.join(" ")}"`);
  return routes;
}

function checkHeader(text: string, starts: Int32Array, ends: Int32Array, count: number, source: string, lineNo: number): void {
  const names: string[] = [];
  for (let f = 0; f < Math.min(count, 12); f++) names.push(text.slice(starts[f], ends[f]));
  const ok = count === 11 && names.every((name, f) => name === ROUTE_COLUMNS[f]);
  if (!ok) {
    throw new ParseError(source, lineNo, `missing header: expected "${ROUTE_COLUMNS.join(" ")}", found "${names.join(" ").slice(0, 80)}"`);
  }
}

/**
 * A valid row exactly as the kernel writes it ("%s\t%08X\t%08X\t%04X\t0\t0\t%d\t%08X\t0\t0\t0",
 * padded with spaces), read at fixed offsets, each character once; null for anything else (a byte
 * that is not text included), which then goes through the general scanner and parseRow, and their
 * messages.
 */
function parseKernelRow(text: string, start: number, end: number, ifaces: InterfaceNames, lineNo: number): Route | null {
  let p = start;
  const ifaceLimit = Math.min(end, start + IFNAMSIZ);
  while (p < ifaceLimit && isFieldChar(text.charCodeAt(p))) p++;
  if (p === start || p + 24 > end || text.charCodeAt(p) !== TAB) return null;
  const iface = ifaces.name(text, start, p);
  const destination = hexAddressAt(text, p + 1);
  const gateway = hexAddressAt(text, p + 10);
  const flags = (hexDigit(text.charCodeAt(p + 19)) << 12) | (hexDigit(text.charCodeAt(p + 20)) << 8) | (hexDigit(text.charCodeAt(p + 21)) << 4) | hexDigit(text.charCodeAt(p + 22));
  if (
    iface === undefined ||
    destination < 0 ||
    gateway < 0 ||
    flags < 0 ||
    text.charCodeAt(p + 9) !== TAB ||
    text.charCodeAt(p + 18) !== TAB ||
    text.charCodeAt(p + 23) !== TAB ||
    !text.startsWith("0\t0\t", p + 24)
  ) {
    return null;
  }
  // Metric: %d of a u32, so "-" and up to 10 digits.
  p += 28;
  const negative = text.charCodeAt(p) === 45;
  if (negative) p++;
  const digits = p;
  let metric = 0;
  for (let c = text.charCodeAt(p); c >= 48 && c <= 57 && p - digits < 10; c = text.charCodeAt(++p)) metric = metric * 10 + (c - 48);
  if (p === digits || p + 15 > end || text.charCodeAt(p) !== TAB) return null;
  const mask = hexAddressAt(text, p + 1);
  if (mask < 0 || text.charCodeAt(p + 9) !== TAB || !text.startsWith("0\t0\t0", p + 10)) return null;
  p += 15;
  if (p < end) {
    // The kernel pads every line to 127 characters: skip the padding in one step.
    BLANK_RUN.lastIndex = p;
    if (text.charCodeAt(p) !== SPACE || !BLANK_RUN.test(text) || BLANK_RUN.lastIndex < end) return null;
  }
  const prefix = prefixOfMask(mask);
  if (prefix < 0 || ((destination & ~mask) >>> 0) !== 0 || ((flags & RTF_GATEWAY) !== 0 && gateway === 0)) return null;
  return { iface, destination, gateway, flags, metric: (negative ? -metric : metric) >>> 0, mask, prefix, line: lineNo };
}

/** Characters of a field: printable ASCII but the space. */
function isFieldChar(c: number): boolean {
  return c > SPACE && c < 0x7f;
}

/** A hex digit's value, or -1. (A lookup table would be module state, which Pulumi's closure serializer copies entry by entry.) */
function hexDigit(c: number): number {
  const digit = c - 48; // "0"-"9"
  if (digit >>> 0 <= 9) return digit;
  const letter = (c | 0x20) - 97; // "A"-"F" and "a"-"f": only they land on "a"-"f" with bit 5 set
  return letter >>> 0 <= 5 ? letter + 10 : -1;
}

/** 8 hex digits at p, little-endian, to an address; -1 when malformed. */
function hexAddressAt(text: string, p: number): number {
  const d0 = hexDigit(text.charCodeAt(p));
  const d1 = hexDigit(text.charCodeAt(p + 1));
  const d2 = hexDigit(text.charCodeAt(p + 2));
  const d3 = hexDigit(text.charCodeAt(p + 3));
  const d4 = hexDigit(text.charCodeAt(p + 4));
  const d5 = hexDigit(text.charCodeAt(p + 5));
  const d6 = hexDigit(text.charCodeAt(p + 6));
  const d7 = hexDigit(text.charCodeAt(p + 7));
  if ((d0 | d1 | d2 | d3 | d4 | d5 | d6 | d7) < 0) return -1;
  return (((d6 << 28) | (d7 << 24) | (d4 << 20) | (d5 << 16) | (d2 << 12) | (d3 << 8) | (d0 << 4) | d1) >>> 0);
}

function parseRow(text: string, starts: Int32Array, ends: Int32Array, source: string, lineNo: number): Route {
  const fail = (reason: string): never => {
    throw new ParseError(source, lineNo, reason);
  };
  const field = (f: number) => text.slice(starts[f], ends[f]);

  const ifaceStart = starts[0]!;
  const ifaceEnd = ends[0]!;
  let iface: string | null = text.slice(ifaceStart, ifaceEnd);
  if (iface === "*") {
    iface = null;
  } else if (!isInterfaceName(text, ifaceStart, ifaceEnd)) {
    fail(`Iface "${iface}" is not an interface name (at most ${IFNAMSIZ - 1} of A-Z a-z 0-9 _ . -)`);
  }

  const destination = hexAddress(text, starts[1]!, ends[1]!);
  if (destination < 0) fail(`Destination "${field(1)}" is not 8 hex digits`);
  const gateway = hexAddress(text, starts[2]!, ends[2]!);
  if (gateway < 0) fail(`Gateway "${field(2)}" is not 8 hex digits`);
  const flags = ends[3]! - starts[3]! === 4 ? hex(text, starts[3]!, ends[3]!) : -1;
  if (flags < 0) fail(`Flags "${field(3)}" is not 4 hex digits`);
  for (const f of [4, 5, 6, 8, 9, 10]) {
    if (!isDecimal(text, starts[f]!, ends[f]!)) fail(`${ROUTE_COLUMNS[f]} "${field(f)}" is not a number`);
  }
  // Metric is a u32 the kernel prints with %d: a huge metric reads as negative.
  const metric = Number(field(6)) >>> 0;
  const mask = hexAddress(text, starts[7]!, ends[7]!);
  if (mask < 0) fail(`Mask "${field(7)}" is not 8 hex digits`);
  const prefix = prefixOfMask(mask);
  if (prefix < 0) fail(`Mask "${field(7)}" (${formatAddress(mask)}) is not contiguous`);
  if (((destination & ~mask) >>> 0) !== 0) {
    fail(`Destination ${formatAddress(destination)} has bits outside Mask ${formatAddress(mask)}`);
  }
  if ((flags & RTF_GATEWAY) !== 0 && gateway === 0) {
    fail(`Flags ${field(3)} say RTF_GATEWAY but Gateway is 00000000`);
  }
  return { iface, destination, gateway, flags, metric, mask, prefix, line: lineNo };
}

/**
 * Interface names, each made into a string once: a full table names the same two or three
 * interfaces a million times. undefined for a field that is no interface name.
 */
class InterfaceNames {
  private readonly known: string[];

  constructor() {
    // Set here, not by class fields: Pulumi's closure serializer drops class fields (provider/).
    this.known = [];
  }

  name(text: string, start: number, end: number): string | null | undefined {
    const length = end - start;
    if (length === 1 && text.charCodeAt(start) === 0x2a) return null; // "*": no device
    for (const name of this.known) {
      if (name.length === length && text.startsWith(name, start)) return name;
    }
    if (!isInterfaceName(text, start, end)) return undefined;
    const name = text.slice(start, end);
    if (this.known.length < 64) this.known.push(name);
    return name;
  }
}

function isInterfaceName(text: string, start: number, end: number): boolean {
  if (end - start >= IFNAMSIZ) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
    if (!ok) return false;
  }
  return true;
}

/** 8 hex digits, little-endian, to an address; -1 when malformed. */
function hexAddress(text: string, start: number, end: number): number {
  if (end - start !== 8) return -1;
  const v = hex(text, start, end);
  if (v < 0) return -1;
  return (((v & 0xff) << 24) | (((v >>> 8) & 0xff) << 16) | (((v >>> 16) & 0xff) << 8) | (v >>> 24)) >>> 0;
}

function hex(text: string, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 65 && c <= 70) d = c - 55;
    else if (c >= 97 && c <= 102) d = c - 87;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

function isDecimal(text: string, start: number, end: number): boolean {
  let i = start;
  if (text.charCodeAt(i) === 45) i++; // "-": %d of a u32
  if (i >= end || end - i > 10) return false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
