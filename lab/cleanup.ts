// Removes everything the lab made, also after a crashed run: containers first (through each lab
// dockerd that still answers), then every process in every rdh-* namespace, the namespaces, mounts
// left under the state dir, and the state dir itself.
import * as fs from "node:fs";
import { stopDockerd } from "./dockerd";
import { delNetns, killNetnsProcesses, listLabNetns } from "./netns";
import { unmountUnder } from "./mounts";
import { CORE_NS, CTL_NS, LAB_STATE_DIR, statePath } from "./paths";

/** The lab namespace this process runs in, if any (cleanup must not kill its own caller). */
export function currentLabNetns(namespaces: readonly string[]): string | undefined {
  try {
    const self = fs.statSync("/proc/self/ns/net").ino;
    return namespaces.find((ns) => {
      try {
        return fs.statSync(`/run/netns/${ns}`).ino === self;
      } catch {
        return false;
      }
    });
  } catch {
    return undefined;
  }
}

export async function cleanupStale(): Promise<void> {
  // The clients first (a test runner left in rdh-ctl would keep using what is being removed).
  const before = await listLabNetns();
  if (before.includes(CTL_NS) && currentLabNetns(before) !== CTL_NS) await killNetnsProcesses(CTL_NS);
  const dockerRoot = statePath("docker");
  if (fs.existsSync(dockerRoot)) {
    await Promise.all(fs.readdirSync(dockerRoot).map((h) => stopDockerd(h)));
  }
  const namespaces = await listLabNetns();
  const own = currentLabNetns(namespaces);
  // From inside the lab keep the caller's namespace and the core network it is plugged into.
  const keep = own === undefined ? [] : [own, CORE_NS];
  await Promise.all(namespaces.filter((ns) => !keep.includes(ns)).map(delNetns));
  const createdRunSshd = fs.existsSync(statePath("created-run-sshd"));
  const createdRunContainerd = fs.existsSync(statePath("created-run-containerd"));
  await unmountUnder(LAB_STATE_DIR);
  if (own === undefined) {
    fs.rmSync(LAB_STATE_DIR, { recursive: true, force: true });
    if (createdRunSshd) removeEmptyDirs(["/run/sshd"]);
    if (createdRunContainerd) removeEmptyDirs(["/run/containerd/s", "/run/containerd"]);
  } else {
    // Called from inside the lab (e.g. a test in rdh-ctl): keep what the caller's namespace needs.
    for (const entry of fs.existsSync(LAB_STATE_DIR) ? fs.readdirSync(LAB_STATE_DIR) : []) {
      if (entry !== "keys" && !entry.startsWith("created-")) fs.rmSync(statePath(entry), { recursive: true, force: true });
    }
  }
}

/** rmdir, never rm -r: these are shared system paths that we only created. */
function removeEmptyDirs(dirs: readonly string[]): void {
  for (const d of dirs) {
    try {
      fs.rmdirSync(d);
    } catch {
      // not empty (someone else uses it) or gone
    }
  }
}
