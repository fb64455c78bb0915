// One lab at a time on a machine: a second run would clean up the first one's lab. Commands that
// build or tear down the lab re-run themselves under flock(1), which holds the lock for their
// whole life and waits for the run before.
import { spawn } from "node:child_process";

export const LOCK_ENV = "ROUTEDHCP_LAB_LOCKED";
const LOCK_FILE = "/run/routedhcp-lab.lock";

export function holdsLabLock(): boolean {
  return process.env[LOCK_ENV] !== undefined;
}

/** Re-runs this script with `args` under the lab lock; resolves to its exit code. */
export function rerunLocked(script: string, args: readonly string[]): Promise<number> {
  return new Promise<number>((resolve) => {
    const locked = spawn("flock", [LOCK_FILE, process.execPath, script, ...args], { stdio: "inherit", env: { ...process.env, [LOCK_ENV]: "1" } });
    const forward = (sig: NodeJS.Signals) => locked.kill(sig);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    locked.on("close", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 130 : 143)));
  });
}
