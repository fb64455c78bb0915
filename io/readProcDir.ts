// Stage 0 (local): read a routing-table snapshot from a proc directory (/proc itself, or a copy with
// DIR/net/route), or from a directory of copied files (DIR/route); fib_trie beside route when present.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RouteSnapshot, SourceText } from "../core/pipeline";
import { ReadError } from "./readError";

export async function readProcDir(dir = "/proc"): Promise<RouteSnapshot> {
  for (const where of [join(dir, "net"), dir]) {
    const route = await readText(join(where, "route"));
    if (route === null) continue;
    const fibTrie = await readText(join(where, "fib_trie"));
    return fibTrie === null ? { route } : { route, fibTrie };
  }
  throw new ReadError(join(dir, "net", "route"), `no such file, nor ${join(dir, "route")} (give a proc directory, or a directory holding copies of route and fib_trie)`);
}

async function readText(path: string): Promise<SourceText | null> {
  try {
    // latin1 keeps every byte as one character, so junk is reported byte for byte by the parser.
    return { text: await readFile(path, "latin1"), source: path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    throw new ReadError(path, `cannot read (${code ?? (error as Error).message})`);
  }
}
