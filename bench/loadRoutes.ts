// Fills a lab host's kernel routing table: `ip -n NS -batch FILE` of `route add NET via GW` lines, in
// that host's namespace only (lab/netns.ts ipIn refuses any namespace that is not the lab's).
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ipIn } from "../lab/netns";

/**
 * `count` distinct routes via `gateway` (which must be on a connected network of ns), spread like a
 * BGP table: mostly /24s, some /16../23, all inside 11.0.0.0-99.255.255.255 (no special-purpose
 * block, none of the lab's 10/8). Deterministic.
 */
export function routeLines(count: number, gateway: string): string[] {
  let state = 0x2545f491;
  const random = () => {
    // xorshift32: fast and deterministic; quality does not matter here
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  const low = 11 * 2 ** 24;
  const span = 89 * 2 ** 24;
  const seen = new Set<number>();
  const lines: string[] = [];
  while (lines.length < count) {
    const prefix = random() < 0.9 ? 24 : 16 + Math.floor(random() * 8);
    const mask = (0xffffffff << (32 - prefix)) >>> 0;
    const network = ((low + Math.floor(random() * span)) & mask) >>> 0;
    const key = network * 64 + prefix;
    if (seen.has(key)) continue;
    seen.add(key);
    const dotted = [24, 16, 8, 0].map((s) => (network >>> s) & 255).join(".");
    lines.push(`route add ${dotted}/${prefix} via ${gateway}`);
  }
  return lines;
}

export async function loadRoutes(ns: string, count: number, gateway: string): Promise<void> {
  const dir = fs.mkdtempSync(join(tmpdir(), "routedhcp-routes-"));
  try {
    const file = join(dir, "routes.batch");
    fs.writeFileSync(file, `${routeLines(count, gateway).join("\n")}\n`);
    await ipIn(ns, ["-batch", file]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
