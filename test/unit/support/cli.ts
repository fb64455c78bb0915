// Runs the real command, bin/routedhcp.js, as a user would (after `tsc -p .`).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./fixtures";

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export const BIN = join(ROOT, "bin", "routedhcp.js");

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ROUTEDHCP_DEBUG: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** Ranges ("range A B;") of a rendered dhcpd.conf as [start, end] numbers. */
export function rangesOf(conf: string, toNumber: (text: string) => number): [number, number][] {
  return [...conf.matchAll(/^\s*range (\S+) (\S+);$/gm)].map((m) => [toNumber(m[1]!), toNumber(m[2]!)]);
}
