// The benchmarks that talk to lab hosts (sshRead, fanout, rollout, serving) need root and must run in
// the lab's control namespace, where lab/inCtl.ts puts its command: run.ts re-runs them through it.
import * as fs from "node:fs";
import * as path from "node:path";
import { readPidFile, sleep } from "../lab/exec";
import { ipIn } from "../lab/netns";
import { CTL_NS, hostDir } from "../lab/paths";
import { createSshHosts } from "../lab/sshHosts";
import type { LabHost } from "../lab/sshd";

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

/**
 * createSshHosts, and then forget rdh-ctl's neighbour entries for the light hosts' network: a host
 * made again at an address (the previous benchmark's rdh-h1) has a new MAC, and ctl would keep
 * sending to the old one for as long as its entry stays REACHABLE (15-45 s), so the first
 * connections time out. Only rdh-ctl's neighbour cache is touched.
 */
export async function createFreshSshHosts(count: number): Promise<LabHost[]> {
  const hosts = await createSshHosts(count);
  await ipIn(CTL_NS, ["neigh", "flush", "to", "10.255.1.0/24"]);
  return hosts;
}

/**
 * Makes lab hosts' sshd start commands with SHLVL=1 (`SetEnv` in the host's sshd_config under
 * the lab's state dir, then SIGHUP: sshd re-reads it), so that bash does not source root's ~/.bashrc
 * for every command (Debian's bash does for a top-level shell started by sshd). On the lab machine
 * that rc file runs `pyenv init`: ~80 ms of shell start-up per SSH command, on the lab's shared
 * CPUs. No lab code changes; the hosts are removed afterwards as usual.
 */
export async function skipShellRc(hosts: readonly Pick<LabHost, "name" | "port">[]): Promise<void> {
  const before = new Map<string, { pid: number; inode: string | undefined }>();
  for (const host of hosts) {
    const config = path.join(hostDir(host.name), "sshd_config");
    const text = fs.readFileSync(config, "utf8");
    // sshd uses the first SetEnv line only: add to it (a Docker host's has DOCKER_HOST) or add one.
    fs.writeFileSync(config, /^SetEnv /m.test(text) ? text.replace(/^SetEnv (.*)$/m, "SetEnv $1 SHLVL=1") : `${text}SetEnv SHLVL=1\n`);
    const pid = sshdPid(host);
    before.set(host.name, { pid, inode: listeningInode(pid, host.port) });
    process.kill(pid, "SIGHUP");
  }
  // sshd re-executes itself in place (same pid; it rewrites its pid file meanwhile) and listens
  // again, on a new socket.
  for (const host of hosts) {
    const { pid, inode: old } = before.get(host.name)!;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const inode = listeningInode(pid, host.port);
      if (inode !== undefined && inode !== old) break;
      if (Date.now() > deadline) throw new Error(`sshd of ${host.name} did not listen again after SIGHUP`);
      await sleep(20);
    }
  }
}

function sshdPid(host: Pick<LabHost, "name">): number {
  const pid = readPidFile(path.join(hostDir(host.name), "sshd.pid"));
  if (pid === undefined) throw new Error(`no sshd pid for lab host ${host.name}`);
  return pid;
}

/** The inode of the TCP socket listening on port in pid's network namespace (/proc/PID/net/tcp). */
function listeningInode(pid: number, port: number): string | undefined {
  try {
    const hex = port.toString(16).toUpperCase().padStart(4, "0");
    const line = new RegExp(`^\\s*\\d+: [0-9A-F]{8}:${hex} [0-9A-F]{8}:0000 0A .*$`, "m").exec(fs.readFileSync(`/proc/${pid}/net/tcp`, "latin1"));
    return line?.[0].trim().split(/\s+/)[9];
  } catch {
    return undefined;
  }
}
