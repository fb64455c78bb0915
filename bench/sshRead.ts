// Benchmark "sshRead": the library's read of a target host (io/readOverSsh.ts: ssh2, one connection,
// one command, both files as latin1 text) of a lab host whose kernel table holds 100k routes, against
// OpenSSH reading the same files from the same host: `ssh host cat /proc/net/route /proc/net/fib_trie`
// with the lab identity, the host's known_hosts and StrictHostKeyChecking=yes, its output read by this
// process. One connection per run for each. Target: within 1.5x of OpenSSH.
//
// At 100k routes the kernel dominates both: /proc/net/fib_trie is rebuilt from the start of the trie
// for every page a read() returns (fib_trie_seq_start walks to the position; /proc/net/route keeps
// its place), so it costs ~0.75 s at 40k routes and ~5 s at 100k whoever reads it. A second figure
// therefore serves the very same bytes from files on the host: the library's session and decode
// (readSnapshotOn, with `cat` of the two files instead of /proc) against `ssh host cat FILES`, which
// is the SSH transport alone.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readOverSsh, readSnapshotOn } from "../io/readOverSsh";
import { withSsh, type SshSession, type SshTarget } from "../io/sshSession";
import { createSshHosts, destroySshHosts } from "../lab/sshHosts";
import { sshTargetOf, type LabHost } from "../lab/sshd";
import type { Benchmark, BenchOptions, BenchmarkResult, Figure } from "./benchmark";
import { requireLab, withCleanup } from "./inLab";
import { measureAsyncInterleaved, timeAsync, type Measurement } from "./measure";
import { loadRoutes } from "./loadRoutes";
import { formatSize } from "./table";

// Full: every /proc read takes ~6 s at 100k routes (see above), so 3 runs after the check read.
const FULL = { routes: 100_000, procRuns: 3, fileRuns: 7 } as const;
const QUICK = { routes: 1_000, procRuns: 2, fileRuns: 2 } as const;
const MAX_RATIO = 1.5;
const TARGET_SIZE = 100_000;

export const sshReadBenchmark: Benchmark = {
  name: "sshRead",
  description: "readOverSsh (ssh2) of a 100k-route lab host vs OpenSSH `ssh host cat` of the same files",
  lab: true,
  run: runSshRead,
};

async function runSshRead({ quick, log }: BenchOptions): Promise<BenchmarkResult> {
  requireLab("sshRead");
  const config = quick ? QUICK : FULL;
  log("sshRead: creating a lab host");
  let hosts: LabHost[] = [];
  return withCleanup(async () => {
    hosts = await createSshHosts(1);
    const host = hosts[0]!;
    log(`sshRead: loading ${formatSize(config.routes)} routes into ${host.netns}`);
    const loadMs = await timeAsync(() => loadRoutes(host.netns, config.routes, "10.255.1.254"));
    const target: SshTarget = sshTargetOf(host, 60_000);

    // Both read the same text: the route file has a row per route (and the header), fib_trie follows.
    // This first read of each also warms up (ssh2's module, the JIT, the host's page cache).
    const ours = await readOverSsh(target);
    const rows = ours.route.text.split("\n").length - 2;
    const bytes = ours.route.text.length + (ours.fibTrie?.text.length ?? 0);
    const theirs = await readWithOpenSsh(host, "cat /proc/net/route /proc/net/fib_trie");
    if (rows < config.routes || Math.abs(theirs - bytes) > bytes * 0.01) {
      throw new Error(`sshRead: ssh2 read ${rows} routes and ${bytes} bytes, OpenSSH ${theirs} bytes (${config.routes} routes loaded)`);
    }
    const figures: Figure[] = [];
    const figure = (label: string, m: Record<"ssh2" | "openssh", Measurement>): Figure => ({
      label,
      size: config.routes,
      subject: m.ssh2,
      baseline: m.openssh,
      ratio: m.ssh2.medianMs / m.openssh.medianMs,
      perSecond: bytes / 1e6 / (m.ssh2.medianMs / 1000),
      details: { bytes, routeRows: rows, loadRoutesMs: Math.round(loadMs) },
    });

    log(`sshRead: measuring /proc (${config.procRuns} runs, ${(bytes / 1e6).toFixed(1)} MB each)`);
    figures.push(figure(`${formatSize(config.routes)} routes, /proc`, await measureAsyncInterleaved(
      {
        ssh2: () => timeAsync(() => readOverSsh(target)),
        openssh: () => timeAsync(() => readWithOpenSsh(host, "cat /proc/net/route /proc/net/fib_trie")),
      },
      { warmup: 0, runs: config.procRuns },
    )));

    const dir = fs.mkdtempSync(join(tmpdir(), "routedhcp-bench-"));
    try {
      // The host shares this machine's file system (only its network namespace is its own).
      const routeFile = join(dir, "route");
      const fibFile = join(dir, "fib_trie");
      fs.writeFileSync(routeFile, ours.route.text, "latin1");
      fs.writeFileSync(fibFile, ours.fibTrie?.text ?? "", "latin1");
      const fromFiles = (session: SshSession): SshSession => ({
        hostKeyFingerprint: session.hostKeyFingerprint,
        where: session.where,
        exec: (_command, stdin, timeoutMs) => session.exec(`cat ${routeFile} && printf '\\000' && { cat ${fibFile} 2>/dev/null || true; }`, stdin, timeoutMs),
        close: () => session.close(),
      });
      const check = await withSsh(target, (session) => readSnapshotOn(fromFiles(session)));
      if (check.route.text !== ours.route.text || check.fibTrie?.text !== ours.fibTrie?.text) throw new Error("sshRead: the files do not read back as written");
      log(`sshRead: measuring the same bytes from files (${config.fileRuns} runs)`);
      figures.push(figure(`${formatSize(config.routes)} routes, files`, await measureAsyncInterleaved(
        {
          ssh2: () => timeAsync(() => withSsh(target, (session) => readSnapshotOn(fromFiles(session)))),
          openssh: () => timeAsync(() => readWithOpenSsh(host, `cat ${routeFile} ${fibFile}`)),
        },
        { warmup: 1, runs: config.fileRuns },
      )));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    return {
      name: "sshRead",
      subject: "readOverSsh: ssh2, one connection, `cat /proc/net/route; NUL; cat /proc/net/fib_trie`, latin1 strings (files: the same bytes from files)",
      baseline: "OpenSSH: ssh -i ID -o StrictHostKeyChecking=yes -o UserKnownHostsFile=KH host cat /proc/net/route /proc/net/fib_trie (or the files), stdout read here",
      unit: "MB/s",
      figures,
      growth: null,
      target: {
        description: `ratio <= ${MAX_RATIO} at ${formatSize(TARGET_SIZE)} routes (/proc; the files figure too)`,
        met: config.routes >= TARGET_SIZE ? figures.every((f) => f.ratio <= MAX_RATIO) : null,
      },
    };
  }, () => destroySshHosts(hosts), log);
}

/** OpenSSH's client reading both files; resolves with the bytes it wrote to stdout. */
export function readWithOpenSsh(host: LabHost, command: string): Promise<number> {
  const argv = [
    "-F", "/dev/null", "-i", host.identityFile, "-o", "IdentitiesOnly=yes",
    "-o", `UserKnownHostsFile=${host.knownHostsFile}`, "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-p", String(host.port),
    `${host.user}@${host.address}`, command,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("ssh", argv, { stdio: ["ignore", "pipe", "pipe"] });
    let bytes = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (bytes += chunk.length));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(bytes) : reject(new Error(`ssh ${host.address}: exit ${code}: ${stderr.trim()}`))));
  });
}

