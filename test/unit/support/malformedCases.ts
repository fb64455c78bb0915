// The malformed corpus (test/malformed/route/*, test/malformed/fib_trie/*): for each file the line
// and reason the parser gives. Messages are `<source>:<line>: <reason>`; frozen here after reading
// each one for whether it says what is wrong and where.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { MALFORMED } from "./fixtures";

export interface MalformedCase {
  readonly line: number;
  readonly reason: string;
}

const COLUMNS = "Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT";
const NOT_A_NAME = "is not an interface name (at most 15 of A-Z a-z 0-9 _ . -)";

export const MALFORMED_ROUTE: Readonly<Record<string, MalformedCase>> = {
  "bad-flags": { line: 2, reason: 'Flags "003" is not 4 hex digits' },
  "bad-flags-not-hex": { line: 2, reason: 'Flags "00G3" is not 4 hex digits' },
  "bad-hex-destination": { line: 3, reason: 'Destination "0064A8ZZ" is not 8 hex digits' },
  "bad-hex-gateway": { line: 2, reason: 'Gateway "0164A8C" is not 8 hex digits' },
  "bad-hex-mask": { line: 3, reason: 'Mask "00FFFFFG" is not 8 hex digits' },
  "binary-junk": { line: 1, reason: "contains a byte that is not text (0x00); is this really a route table?" },
  "blank-lines-only": { line: 1, reason: `empty: expected the header "${COLUMNS}"` },
  "duplicated-header": { line: 3, reason: 'Destination "Destination" is not 8 hex digits' },
  "empty-file": { line: 1, reason: `empty: expected the header "${COLUMNS}"` },
  "fib-trie-given-as-route": { line: 1, reason: `missing header: expected "${COLUMNS}", found "Main:"` },
  "gateway-flag-without-gateway": { line: 2, reason: "Flags 0003 say RTF_GATEWAY but Gateway is 00000000" },
  "header-missing-column": {
    line: 1,
    reason: `missing header: expected "${COLUMNS}", found "Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window"`,
  },
  "header-only-misspelled": {
    line: 1,
    reason: `missing header: expected "${COLUMNS}", found "Iface Destination Gateway Flags RefCnt Use Metric Msk MTU Window IRTT"`,
  },
  "host-bits-outside-mask": { line: 3, reason: "Destination 192.168.100.5 has bits outside Mask 255.255.255.0" },
  "iface-injection-brace": { line: 3, reason: `Iface "eth0;}" ${NOT_A_NAME}` },
  "iface-injection-carriage-return": { line: 3, reason: "contains a byte that is not text (0x0d); is this really a route table?" },
  "iface-injection-quote": { line: 3, reason: `Iface "eth0"" ${NOT_A_NAME}` },
  "iface-injection-space": { line: 3, reason: `expected 11 columns (${COLUMNS}), found 12` },
  "iface-non-ascii": { line: 3, reason: "contains a byte that is not text (0xc3); is this really a route table?" },
  "iface-too-long": { line: 3, reason: `Iface "abcdefghijklmnop" ${NOT_A_NAME}` },
  "long-row": { line: 3, reason: `expected 11 columns (${COLUMNS}), found 12` },
  // The value is all digits; "is not a number" undersells "has more than 10 digits" (reported).
  "metric-too-long": { line: 3, reason: 'Metric "12345678901" is not a number' },
  "missing-header": { line: 1, reason: `missing header: expected "${COLUMNS}", found "ens34 00000000 0164A8C0 0003 0 0 100 00000000 0 0 0"` },
  "non-contiguous-mask": { line: 3, reason: 'Mask "00FF00FF" (255.0.255.0) is not contiguous' },
  "non-numeric-metric": { line: 3, reason: 'Metric "ten" is not a number' },
  "non-numeric-refcnt": { line: 3, reason: 'RefCnt "x" is not a number' },
  "short-row": { line: 3, reason: `expected 11 columns (${COLUMNS}), found 10` },
  "truncated-row": { line: 3, reason: `expected 11 columns (${COLUMNS}), found 3` },
};

export const MALFORMED_FIB_TRIE: Readonly<Record<string, MalformedCase>> = {
  "binary-junk": { line: 2, reason: "contains a byte that is not text; is this really /proc/net/fib_trie?" },
  junk: { line: 2, reason: '"hello world, this is not a trie" is neither a table heading, a node, a leaf nor a route' },
  "leaf-ipv6": { line: 3, reason: 'leaf "fe80::1" is not an IPv4 address' },
  "leaf-not-an-address": { line: 3, reason: 'leaf "10.0.0.256" is not an IPv4 address' },
  "route-after-heading": { line: 6, reason: '"/32 host LOCAL" comes before any "|-- address" leaf' },
  "route-before-leaf": { line: 3, reason: '"/32 host LOCAL" comes before any "|-- address" leaf' },
  // The first 40 characters, tabs and all: right, if not pretty (reported).
  "route-table-given-as-fib-trie": { line: 1, reason: '"Iface\tDestination\tGateway \tFlags\tRefCnt\t" is neither a table heading, a node, a leaf nor a route' },
};

export const routeCorpusDir = join(MALFORMED, "route");
export const fibTrieCorpusDir = join(MALFORMED, "fib_trie");

/** The files on disk, so a file without an expectation (or the reverse) fails a test. */
export function listCorpus(dir: string): string[] {
  return readdirSync(dir).sort();
}
