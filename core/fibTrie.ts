// Stage 1b: the host's own addresses from /proc/net/fib_trie. A leaf is a "|-- A.B.C.D" line
// followed by one or more indented "/LEN SCOPE TYPE" lines; the host's own addresses are the
// "/32 host LOCAL" ones (net/ipv4/fib_trie.c, fib_trie_seq_show). The Main: and Local: sections
// share one trie until a policy rule exists, so every entry can appear twice.
import { ParseError } from "./parseError";
import { parseAddress } from "./ipv4";

const LOOPBACK = 0x7f000000; // 127.0.0.0/8 is the host's, but nothing a DHCP server deals with

/** The host's own IPv4 addresses (loopback left out), numerically sorted, without duplicates. */
export function parseFibTrie(text: string, source = "/proc/net/fib_trie"): number[] {
  const addresses = new Set<number>();
  let leaf: number | null = null;
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, "");
    const lineNo = index + 1;
    if (/[^\x20-\x7e\t]/.test(line)) {
      throw new ParseError(source, lineNo, "contains a byte that is not text; is this really /proc/net/fib_trie?");
    }
    const trimmed = line.trim();
    if (trimmed === "") continue;
    if (trimmed.startsWith("|-- ")) {
      const text = trimmed.slice(4);
      try {
        leaf = parseAddress(text);
      } catch {
        throw new ParseError(source, lineNo, `leaf "${text}" is not an IPv4 address`);
      }
    } else if (trimmed.startsWith("/")) {
      if (leaf === null) throw new ParseError(source, lineNo, `"${trimmed}" comes before any "|-- address" leaf`);
      const fields = trimmed.split(/\s+/);
      if (fields[0] === "/32" && fields[1] === "host" && fields[2] === "LOCAL" && (leaf >>> 24) !== LOOPBACK >>> 24) {
        addresses.add(leaf);
      }
    } else if (trimmed.startsWith("+-- ") || /^[A-Za-z0-9_]+:$/.test(trimmed)) {
      // internal node, or a table heading ("Main:", "Local:", "Id 1000:")
      if (!trimmed.startsWith("+-- ")) leaf = null;
    } else {
      throw new ParseError(source, lineNo, `"${trimmed.slice(0, 40)}" is neither a table heading, a node, a leaf nor a route`);
    }
  }
  return [...addresses].sort((a, b) => a - b);
}
