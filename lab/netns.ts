// Network namespaces, veth pairs and bridges, always inside lab namespaces (`ip -n NS ...`): nothing
// here ever adds a link, an address or a route in the root network namespace.
import * as fs from "node:fs";
import { assertLabNs, isAlive, run, runIn, sleep } from "./exec";
import { LabError } from "./labError";
import { NS_PREFIX } from "./paths";

export async function listLabNetns(): Promise<string[]> {
  const r = await run(["ip", "netns", "list"], { allowFail: true });
  return r.stdout
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter((n) => n.startsWith(NS_PREFIX))
    .sort();
}

export function netnsExists(ns: string): boolean {
  return fs.existsSync(`/run/netns/${ns}`);
}

/** Creates ns with lo up; an existing ns of that name is kept as it is. */
export async function addNetns(ns: string): Promise<void> {
  assertLabNs(ns);
  if (!netnsExists(ns)) {
    const r = await run(["ip", "netns", "add", ns], { allowFail: true });
    if (r.code !== 0 && !netnsExists(ns)) throw new LabError(`ip netns add ${ns}: ${r.stderr.trim()}`, { code: r.code, stderr: r.stderr });
  }
  await ipIn(ns, ["link", "set", "lo", "up"]);
}

/** Pids of the processes whose network namespace is ns. */
export async function netnsPids(ns: string): Promise<number[]> {
  assertLabNs(ns);
  const r = await run(["ip", "netns", "pids", ns], { allowFail: true });
  return r.stdout
    .split(/\s+/)
    .map((s) => Number.parseInt(s, 10))
    .filter((n) => Number.isInteger(n) && n > 1 && n !== process.pid);
}

/** SIGTERM, then SIGKILL after graceMs, every process in ns. */
export async function killNetnsProcesses(ns: string, graceMs = 2000): Promise<void> {
  const all = await netnsPids(ns);
  await killPids(ns, all, graceMs);
  await waitReaped(all);
}

async function killPids(ns: string, found: number[], graceMs: number): Promise<void> {
  let pids = found;
  if (pids.length === 0) return;
  for (const p of pids) signal(p, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    pids = pids.filter(isAlive);
    if (pids.length === 0) return;
    await sleep(50);
  }
  pids = await netnsPids(ns);
  for (const p of pids) signal(p, "SIGKILL");
  // SIGKILL is not instant (a container's init takes its pid namespace down with it): wait it out.
  for (let i = 0; i < 40 && pids.some(isAlive); i++) await sleep(50);
}

/** Waits (bounded) until the pids have left /proc: daemons' zombies are reaped by PID 1, not by us. */
export async function waitReaped(pids: readonly number[], timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some((p) => fs.existsSync(`/proc/${p}`)) && Date.now() < deadline) await sleep(50);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Kills what runs in ns and deletes it; a missing ns is fine. */
export async function delNetns(ns: string): Promise<void> {
  assertLabNs(ns);
  if (!netnsExists(ns)) return;
  await killNetnsProcesses(ns);
  await run(["ip", "netns", "del", ns], { allowFail: true });
}

export function ipIn(ns: string, args: readonly string[]) {
  assertLabNs(ns);
  return run(["ip", "-n", ns, ...args]);
}

/** A veth pair created inside ns1 with its peer moved straight into ns2 (never the root namespace). */
export async function addVeth(ns1: string, if1: string, ns2: string, if2: string): Promise<void> {
  assertLabNs(ns2);
  for (const name of [if1, if2]) if (name.length > 15) throw new Error(`interface name "${name}" is longer than 15 characters`);
  await ipIn(ns1, ["link", "add", if1, "type", "veth", "peer", "name", if2, "netns", ns2]);
  await ipIn(ns1, ["link", "set", if1, "up"]);
  await ipIn(ns2, ["link", "set", if2, "up"]);
}

/** A bridge (STP off, so ports forward at once) in ns. */
export async function addBridge(ns: string, name: string): Promise<void> {
  await ipIn(ns, ["link", "add", name, "type", "bridge", "stp_state", "0", "forward_delay", "0"]);
  await ipIn(ns, ["link", "set", name, "up"]);
}

export async function attachToBridge(ns: string, port: string, bridge: string): Promise<void> {
  await ipIn(ns, ["link", "set", port, "master", bridge]);
}

export async function addAddress(ns: string, dev: string, cidr: string): Promise<void> {
  await ipIn(ns, ["addr", "add", cidr, "dev", dev]);
}

export async function addRoute(ns: string, dest: string, via: string): Promise<void> {
  await ipIn(ns, ["route", "replace", dest, "via", via]);
}

/** Sets a sysctl of ns's own network stack (ip netns exec remounts /proc/sys/net for ns). */
export async function sysctlIn(ns: string, key: string, value: string): Promise<void> {
  await runIn(ns, ["sysctl", "-q", "-w", `${key}=${value}`]);
}
