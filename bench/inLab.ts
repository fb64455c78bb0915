// The benchmarks that talk to lab hosts (sshRead, fanout, rollout, serving) need root and must run in
// the lab's control namespace, where lab/inCtl.ts puts its command: run.ts re-runs them through it.
import * as fs from "node:fs";
import { CTL_NS } from "../lab/paths";

/** True when this process runs in rdh-ctl (same network namespace inode). */
export function inLabCtl(): boolean {
  try {
    return fs.statSync("/proc/self/ns/net").ino === fs.statSync(`/run/netns/${CTL_NS}`).ino;
  } catch {
    return false;
  }
}

/** Throws, naming the benchmark, unless this process can use the lab. */
export function requireLab(benchmark: string): void {
  if (process.getuid?.() !== 0) throw new Error(`${benchmark} needs root (it builds lab network namespaces)`);
  if (!inLabCtl()) throw new Error(`${benchmark} must run in the lab's control namespace: node dist/lab/inCtl.js node dist/bench/run.js ${benchmark}`);
}

/** Runs `body`, then `cleanup` whatever happened; a cleanup failure never hides the body's error. */
export async function withCleanup<T>(body: () => Promise<T>, cleanup: () => Promise<unknown>, log: (line: string) => void): Promise<T> {
  let failed = false;
  try {
    return await body();
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    try {
      await cleanup();
    } catch (error) {
      if (!failed) throw error;
      log(`cleanup failed too: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
