// Stage 0 (local): read a routing-table snapshot from a proc directory: /proc itself, or a copy
// (DIR/net/route, and DIR/net/fib_trie when present).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RouteSnapshot, SourceText } from "../core/pipeline";
import { ReadError } from "./readError";

export async function readProcDir(dir = "/proc"): Promise<RouteSnapshot> {
  const route = await readText(join(dir, "net", "route"));
  if (route === null) throw new ReadError(join(dir, "net", "route"), "no such file (is --proc a proc directory?)");
  const fibTrie = await readText(join(dir, "net", "fib_trie"));
  return fibTrie === null ? { route } : { route, fibTrie };
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
