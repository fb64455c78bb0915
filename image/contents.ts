// What the routedhcp DHCP image holds besides Debian's isc-dhcp-server and nodejs: the compiled
// core, the local readers and the entrypoint, with their one dependency. image/Dockerfile copies
// exactly these (a unit test holds the two together); the lab's offline build overlays them.
import * as path from "node:path";

export const APP_DIR = "/opt/routedhcp";

/** Paths relative to the repo root, copied to the same relative path under APP_DIR. */
export const IMAGE_APP_PATHS = ["package.json", "dist/core", "dist/io", "dist/image", "node_modules/ip-num"] as const;

export function imageOverlay(repoRoot: string): { from: string; to: string }[] {
  return IMAGE_APP_PATHS.map((p) => ({ from: path.join(repoRoot, p), to: path.posix.join(APP_DIR, p) }));
}
