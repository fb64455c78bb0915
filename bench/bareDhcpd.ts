// ISC dhcpd started by hand in a lab host's namespace, the baseline of "rollout" and "serving":
// `ip netns exec NS dhcpd -4 -d -cf CONF -lf LEASES -pf PID IFACE...` with a scratch directory of its
// own (a fresh lease file each time), stopped (SIGTERM, then SIGKILL) and removed afterwards.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { assertLabNs, readPidFile, sleep, tailFile } from "../lab/exec";
import { hostDir } from "../lab/paths";

export interface BareDhcpd {
  readonly pid: number;
  running(): boolean;
  /** The tail of its log (dhcpd -d writes to stderr), for messages. */
  log(): string;
  /** Stops dhcpd and removes its directory; waits until port 67 is free again. */
  stop(): Promise<void>;
}

export function startBareDhcpd(ns: string, dhcpdConf: string, interfaces: readonly string[]): BareDhcpd {
  assertLabNs(ns);
  const dir = fs.mkdtempSync(path.join(tmpdir(), "routedhcp-bench-dhcpd-"));
  const conf = path.join(dir, "dhcpd.conf");
  const leases = path.join(dir, "dhcpd.leases");
  fs.writeFileSync(conf, dhcpdConf);
  fs.writeFileSync(leases, "");
  const logFile = path.join(dir, "dhcpd.log");
  const log = fs.openSync(logFile, "a");
  // `ip netns exec` execs dhcpd in place: the child's pid is dhcpd's, and we are its parent.
  const child = spawn("ip", ["netns", "exec", ns, "dhcpd", "-4", "-d", "-cf", conf, "-lf", leases, "-pf", path.join(dir, "dhcpd.pid"), ...interfaces], {
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on("close", () => resolve()));
  void exit.then(() => (exited = true));
  child.on("error", () => undefined);
  if (child.pid === undefined) throw new Error(`dhcpd in ${ns} did not start`);
  return {
    pid: child.pid,
    running: () => !exited,
    log: () => tailFile(logFile, 5),
    stop: async () => {
      if (!exited) {
        child.kill("SIGTERM");
        const deadline = Date.now() + 3000;
        while (!exited && Date.now() < deadline) await sleep(20);
        if (!exited) child.kill("SIGKILL");
        await exit;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * True when a UDP socket is bound to port 67 in the network namespace of pid (its
 * /proc/PID/net/udp). dhcpd opens it after its packet sockets, just before serving: from then on a
 * client's DHCPDISCOVER is queued, not lost.
 */
export function dhcpPortBound(pid: number): boolean {
  try {
    const table = fs.readFileSync(`/proc/${pid}/net/udp`, "latin1");
    return /^\s*\d+: [0-9A-F]{8}:0043 /m.test(table);
  } catch {
    return false;
  }
}

/** The pid of a lab host's sshd: a process in the host's network namespace for dhcpPortBound. */
export function hostSshdPid(hostName: string): number {
  const pid = readPidFile(path.join(hostDir(hostName), "sshd.pid"));
  if (pid === undefined) throw new Error(`no sshd pid for lab host ${hostName}`);
  return pid;
}

/**
 * Polls (every 5 ms) until port 67 is bound (or, with bound false, free) in pid's namespace; gives up
 * after timeoutMs, or as soon as `alive` says the server is gone.
 */
export async function waitForDhcpPort(pid: number, bound: boolean, timeoutMs: number, what: string, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (dhcpPortBound(pid) !== bound) {
    if (!alive()) throw new Error(`${what} exited before binding port 67`);
    if (Date.now() > deadline) throw new Error(`${what}: port 67 still ${bound ? "not bound" : "bound"} after ${timeoutMs} ms`);
    await sleep(5);
  }
}
