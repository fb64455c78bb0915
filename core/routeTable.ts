// Stage 1a: parse /proc/net/route (proc(5)). The kernel writes a header row, then one row per IPv4
// route with 11 tab-separated columns, padded with spaces to 127 characters
// (net/ipv4/fib_trie.c, fib_route_seq_show). Destination, Gateway and Mask are the in-memory bytes of
// a network-order address printed as a little-endian %08X: "0164A8C0" is 192.168.100.1.
//
// Written as a hand scanner over character codes, not split/regex: it must keep up with a full
// Internet table (a million rows) within a small factor of merely splitting the text into lines.
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

/** Parses the text of /proc/net/route. `source` names it in errors. */
export function parseRouteTable(text: string, source = "/proc/net/route"): Route[] {
  const routes: Route[] = [];
  const starts = new Int32Array(12);
  const ends = new Int32Array(12);
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

    // Split into fields on runs of tabs/spaces, refusing control and non-ASCII characters.
    let count = 0;
    let i = lineStart;
    let lineEnd = end;
    if (lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
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
