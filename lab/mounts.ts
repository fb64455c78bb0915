// Mounts left under a lab directory (dockerd's bind-mounted data root, a container's overlay rootfs,
// debootstrap's /proc) after a crash: they must go before the directory can be removed.
import * as fs from "node:fs";
import { run } from "./exec";

/** Mount points at or below dir, deepest first (from /proc/self/mountinfo, octal escapes decoded). */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.replace(/\/+$/, "");
  let info = "";
  try {
    info = fs.readFileSync("/proc/self/mountinfo", "utf8");
  } catch {
    return [];
  }
  const points = info
    .split("\n")
    .map((l) => l.split(" ")[4])
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8))))
    .filter((p) => p === prefix || p.startsWith(`${prefix}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

export async function unmountUnder(dir: string): Promise<void> {
  for (let pass = 0; pass < 5; pass++) {
    const points = mountsUnder(dir);
    if (points.length === 0) return;
    for (const p of points) await run(["umount", "-l", p], { allowFail: true });
  }
}
