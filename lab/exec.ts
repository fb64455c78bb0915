// Running the real tools (ip, sshd, dockerd, dhclient...). Every call is an argv, never a shell line.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { LabError } from "./labError";
import { NS_PREFIX } from "./paths";

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface RunOptions {
  readonly input?: string | Buffer;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Kill the command (SIGKILL) after this long and throw. */
  readonly timeoutMs?: number;
  /** Return non-zero exits instead of throwing. */
  readonly allowFail?: boolean;
}

/** Runs argv to completion and collects its output; throws LabError on a non-zero exit or a timeout. */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new LabError("run: empty argv");
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ["pipe", "pipe", "pipe"],
      ...(opts.env !== undefined ? { env: opts.env } : {}),
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      opts.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, opts.timeoutMs)
        : undefined;
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => {
      if (timer) clearTimeout(timer);
      reject(new LabError(`${argv.join(" ")}: ${e.message}`, { argv }, { cause: e }));
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const result = { stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), code: code ?? -1 };
      if (timedOut) {
        reject(new LabError(`${argv.join(" ")}: timed out after ${opts.timeoutMs} ms`, { argv, code, stderr: result.stderr }));
      } else if (code !== 0 && !opts.allowFail) {
        const why = result.stderr.trim() || result.stdout.trim() || `signal ${signal}`;
        reject(new LabError(`${argv.join(" ")}: exit ${code ?? signal}: ${why}`, { argv, code, stderr: result.stderr }));
      } else {
        resolve(result);
      }
    });
    child.stdin.on("error", () => undefined); // a command that exits before reading its input
    child.stdin.end(opts.input ?? "");
  });
}

/** Refuses any namespace that is not the lab's: the lab never touches the root network namespace. */
export function assertLabNs(ns: string): void {
  if (!ns.startsWith(NS_PREFIX) || !/^[a-z0-9-]+$/.test(ns)) {
    throw new LabError(`"${ns}" is not a lab network namespace (they start with "${NS_PREFIX}")`);
  }
}

/** Runs argv inside a lab namespace (`ip netns exec`: a fresh mount namespace with the ns's /sys). */
export function runIn(ns: string, argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  assertLabNs(ns);
  return run(["ip", "netns", "exec", ns, ...argv], opts);
}

/**
 * Starts a long-running process detached from us, output appended to logFile, and returns its pid.
 * The caller puts it in a lab namespace (nsenter / ip netns exec in argv); cleanup finds it there.
 */
export function spawnDaemon(argv: readonly string[], logFile: string, env?: NodeJS.ProcessEnv): number {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new LabError("spawnDaemon: empty argv");
  const fd = fs.openSync(logFile, "a");
  try {
    const child = spawn(cmd, args, { detached: true, stdio: ["ignore", fd, fd], ...(env ? { env } : {}) });
    child.on("error", () => undefined);
    child.unref();
    if (child.pid === undefined) throw new LabError(`${argv.join(" ")}: did not start`, { argv });
    return child.pid;
  } finally {
    fs.closeSync(fd);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls check() until it is true; throws a LabError naming `what` after timeoutMs. */
export async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean, details?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      throw new LabError(`timed out after ${timeoutMs} ms waiting for ${what}${details ? `: ${details()}` : ""}`);
    }
    await sleep(100);
  }
}

/** True while pid runs (a zombie waiting for its parent counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the tail of a log file for error messages. */
export function tailFile(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
