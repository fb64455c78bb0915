// Stage 1b: the host's own addresses from /proc/net/fib_trie. A leaf is a "|-- A.B.C.D" line
// followed by one or more indented "/LEN SCOPE TYPE" lines; the host's own addresses are the
// "/32 host LOCAL" ones (net/ipv4/fib_trie.c, fib_trie_seq_show). The Main: and Local: sections
// share one trie until a policy rule exists, so every entry can appear twice.
//
// A router with a full table has a fib_trie of five million lines: this is a hand scanner over
// character codes that makes no string for a line it accepts (bench/pipeline.ts), and reads only the
// characters it needs: one regular expression search over the whole text (firstNotText) has checked
// that the rest is text, at a third of the cost of a JavaScript loop over character codes.
import { ParseError } from "./parseError";
import { parseAddress } from "./ipv4";

const LOOPBACK = 0x7f000000; // 127.0.0.0/8 is the host's, but nothing a DHCP server deals with

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
// A run of printable ASCII, tabs and line ends. Sticky and greedy: where the run stops is the
// first character that is not text (measured faster than searching for the negated class).
const TEXT_RUN = /[\t\n\r\x20-\x7e]*/y;

/** The host's own IPv4 addresses (loopback left out), numerically sorted, without duplicates. */
export function parseFibTrie(text: string, source = "/proc/net/fib_trie"): number[] {
  const addresses = new Set<number>();
  let leaf: number | null = null;
  const notText = firstNotText(text);
  const length = text.length;
  let lineNo = 0;
  for (let pos = 0; pos <= length; ) {
    let end = text.indexOf("\n", pos);
    if (end === -1) end = length;
    lineNo++;
    const lineStart = pos;
    pos = end + 1;
    if (notText < end) {
      throw new ParseError(source, lineNo, "contains a byte that is not text; is this really /proc/net/fib_trie?");
    }
    if (end > lineStart && text.charCodeAt(end - 1) === CR) end--;
    // The line as String.prototype.trim leaves it: only tabs and spaces can be around it here.
    let start = lineStart;
    while (start < end && isBlank(text.charCodeAt(start))) start++;
    if (start === end) continue;
    const last = trimmedEnd(text, start, end);
    const first = text.charCodeAt(start);

    if (first === 0x7c /* | */ && startsWithBranch(text, start, last, 0x7c)) {
      leaf = scanAddress(text, start + 4, last);
      if (leaf < 0) {
        const address = text.slice(start + 4, last);
        try {
          leaf = parseAddress(address);
        } catch {
          throw new ParseError(source, lineNo, `leaf "${address}" is not an IPv4 address`);
        }
      }
    } else if (first === 0x2f /* / */) {
      if (leaf === null) {
        throw new ParseError(source, lineNo, `"${text.slice(start, last)}" comes before any "|-- address" leaf`);
      }
      if (isHostLocal32(text, start, last) && (leaf >>> 24) !== LOOPBACK >>> 24) addresses.add(leaf);
    } else if (first === 0x2b /* + */ && startsWithBranch(text, start, last, 0x2b)) {
      // an internal node
    } else if (isHeading(text, start, last)) {
      leaf = null; // a table heading ("Main:", "Local:", "Id 1000:")
    } else {
      const trimmed = text.slice(start, last);
      throw new ParseError(source, lineNo, `"${trimmed.slice(0, 40)}" is neither a table heading, a node, a leaf nor a route`);
    }
  }
  return [...addresses].sort((a, b) => a - b);
}

/**
 * Index of the first character that is not text (printable ASCII or tab) within its line, or
 * text.length. A \r that ends a line is not part of it (CRLF text, as replace(/\r$/, "") strips it);
 * any other \r is not text.
 */
function firstNotText(text: string): number {
  TEXT_RUN.lastIndex = 0;
  TEXT_RUN.test(text);
  let first = TEXT_RUN.lastIndex;
  for (let cr = text.indexOf("\r"); cr !== -1 && cr < first; cr = text.indexOf("\r", cr + 1)) {
    if (cr + 1 < text.length && text.charCodeAt(cr + 1) !== LF) first = cr;
  }
  return first;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function trimmedEnd(text: string, start: number, end: number): number {
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return end;
}

/** "|-- " or "+-- " at start. */
function startsWithBranch(text: string, start: number, end: number, branch: number): boolean {
  return (
    end - start >= 4 &&
    text.charCodeAt(start) === branch &&
    text.charCodeAt(start + 1) === 0x2d &&
    text.charCodeAt(start + 2) === 0x2d &&
    text.charCodeAt(start + 3) === SPACE
  );
}

/**
 * A dotted quad in its one canonical spelling (0-255, no leading zeros), or -1. Everything else
 * goes to parseAddress, which decides: this is only a fast path to the same answer.
 */
function scanAddress(text: string, start: number, end: number): number {
  let value = 0;
  let i = start;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (i >= end || text.charCodeAt(i) !== 0x2e) return -1;
      i++;
    }
    const digitsStart = i;
    let n = 0;
    while (i < end && i - digitsStart < 3) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      i++;
    }
    const digits = i - digitsStart;
    if (digits === 0 || n > 255 || (digits > 1 && text.charCodeAt(digitsStart) === 48)) return -1;
    value = value * 256 + n;
  }
  return i === end ? value : -1;
}

/** Whether the words of the line (as split(/\s+/) makes them) begin "/32", "host", "LOCAL". */
function isHostLocal32(text: string, start: number, end: number): boolean {
  let i = skipWord(text, start, end, "/32");
  if (i >= 0) i = skipWord(text, i, end, "host");
  if (i >= 0) i = skipWord(text, i, end, "LOCAL");
  return i >= 0;
}

/** Past `word` and the blanks after it, if the line has exactly that word at i; else -1. */
function skipWord(text: string, i: number, end: number, word: string): number {
  if (end - i < word.length) return -1;
  for (let k = 0; k < word.length; k++) if (text.charCodeAt(i + k) !== word.charCodeAt(k)) return -1;
  i += word.length;
  if (i < end && !isBlank(text.charCodeAt(i))) return -1;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  return i;
}

/** /^[A-Za-z0-9_]+:$/, or "Id N:" (tables other than main and local; fib_table_print). */
function isHeading(text: string, start: number, end: number): boolean {
  if (end - start < 2 || text.charCodeAt(end - 1) !== 0x3a) return false;
  if (text.startsWith("Id ", start)) start += 3;
  for (let i = start; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!ok) return false;
  }
  return end - 1 > start;
}
