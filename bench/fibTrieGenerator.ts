// The text of /proc/net/fib_trie for generated routes, as fib_trie_seq_show (net/ipv4/fib_trie.c)
// writes it: "+-- KEY/LEN BITS FULL EMPTY" internal nodes, "|-- A.B.C.D" leaves, each followed by
// its aliases "/LEN SCOPE TYPE", longest prefix first and the local table before main. Indents are
// 3 spaces a level, the top node at 2. Main: and Local: are the same trie (no policy rules).
import { formatAddress } from "../core/ipv4";

export interface FibAlias {
  /** The leaf: the route's destination, or a local/broadcast address. */
  readonly key: number;
  readonly prefix: number;
  readonly scope: "universe" | "link" | "host";
  readonly type: "UNICAST" | "LOCAL" | "BROADCAST";
  /** In the local table (tb_id 255), listed before the main table's aliases of the same length. */
  readonly local?: boolean;
}

/** Both sections of /proc/net/fib_trie holding `aliases` (any order). */
export function buildFibTrie(aliases: readonly FibAlias[]): string {
  // Nearly sorted already (routes come in trie order): the stable sort is close to linear here.
  const sorted = [...aliases].sort((a, b) => a.key - b.key || b.prefix - a.prefix || Number(b.local ?? false) - Number(a.local ?? false));
  const leafKeys: number[] = [];
  const leafStart: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i]!.key !== sorted[i - 1]!.key) {
      leafKeys.push(sorted[i]!.key);
      leafStart.push(i);
    }
  }
  leafStart.push(sorted.length);

  const lines: string[] = [];
  const indents: string[] = [];
  const indent = (depth: number) => (indents[depth] ??= " ".repeat(2 + 3 * depth));

  const emit = (lo: number, hi: number, depth: number): void => {
    if (hi - lo === 1) {
      lines.push(`${indent(depth)}|-- ${formatAddress(leafKeys[lo]!)}`);
      const inner = indent(depth + 1);
      for (let a = leafStart[lo]!; a < leafStart[lo + 1]!; a++) {
        const alias = sorted[a]!;
        lines.push(`${inner}/${alias.prefix} ${alias.scope} ${alias.type}`);
      }
      return;
    }
    const node = shapeOf(leafKeys, lo, hi);
    const full = node.children.filter(([cLo, cHi]) => cHi - cLo > 1 && shapeOf(leafKeys, cLo, cHi).empty === 0).length;
    lines.push(`${indent(depth)}+-- ${formatAddress(node.key)}/${node.pos} ${node.bits} ${full} ${node.empty}`);
    for (const [cLo, cHi] of node.children) emit(cLo, cHi, depth + 1);
  };
  if (leafKeys.length > 0) emit(0, leafKeys.length, 0);
  const section = lines.join("\n");
  return `Main:\n${section}\nLocal:\n${section}\n`;
}

interface NodeShape {
  readonly key: number;
  /** Bits above the node's index: the LEN of "+-- KEY/LEN". */
  readonly pos: number;
  readonly bits: number;
  readonly empty: number;
  readonly children: readonly (readonly [number, number])[];
}

/** Path-compressed, then indexed by enough bits that about half the slots are taken. */
function shapeOf(keys: readonly number[], lo: number, hi: number): NodeShape {
  const pos = Math.clz32(keys[lo]! ^ keys[hi - 1]!); // sorted: the common prefix of all
  const bits = Math.max(1, Math.min(Math.floor(Math.log2(hi - lo)) - 1, 16, 32 - pos));
  const key = pos === 0 ? 0 : (keys[lo]! & (0xffffffff << (32 - pos))) >>> 0;
  const children: [number, number][] = [];
  let start = lo;
  let slot = (keys[lo]! << pos) >>> (32 - bits);
  for (let i = lo + 1; i <= hi; i++) {
    const s = i < hi ? (keys[i]! << pos) >>> (32 - bits) : -1;
    if (s !== slot) {
      children.push([start, i]);
      start = i;
      slot = s;
    }
  }
  return { key, pos, bits, empty: 2 ** bits - children.length, children };
}
