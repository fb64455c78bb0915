// A real OpenSSH sshd per lab host, with its own ed25519 host key, key-only root login with the lab's
// client key, and (for hosts with a dockerd) `SetEnv DOCKER_HOST=unix://...` so that
// `docker -H ssh://root@host` (what @pulumi/docker uses) reaches that host's own daemon.
import * as fs from "node:fs";
import * as path from "node:path";
import type { SshTarget } from "../io/sshSession";
import { readPidFile, run, runIn, tailFile, waitFor } from "./exec";
import { LabError } from "./labError";
import { waitReaped } from "./netns";
import { clientKeyPath, hostDir, statePath } from "./paths";

export interface LabHost {
  readonly name: string;
  readonly netns: string;
  readonly address: string;
  readonly port: number;
  readonly user: "root";
  /** "ssh-ed25519 AAAA..." (the public host key line, no comment). */
  readonly hostKey: string;
  /** A known_hosts file with this host's key. */
  readonly knownHostsFile: string;
  /** The lab's client private key (OpenSSH format), file path. */
  readonly identityFile: string;
  /** Path of the host's dockerd socket (reachable from the root mount namespace). */
  readonly dockerSocket?: string;
  /** "ssh://root@10.n.1.6" */
  readonly dockerHost?: string;
}

let keyPending: Promise<string> | undefined;

/** The lab's client key pair, made once per lab (removed with the state dir). */
export function ensureClientKey(): Promise<string> {
  keyPending ??= makeClientKey().finally(() => (keyPending = undefined));
  return keyPending;
}

async function makeClientKey(): Promise<string> {
  const key = clientKeyPath();
  if (!fs.existsSync(key)) {
    fs.mkdirSync(path.dirname(key), { recursive: true, mode: 0o700 });
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "routedhcp-lab", "-f", key]);
  }
  return key;
}

/** sshd refuses to start without its privilege-separation directory (Debian's unit creates it). */
function ensurePrivsepDir(): void {
  if (!fs.existsSync("/run/sshd")) {
    fs.mkdirSync("/run/sshd", { mode: 0o755 });
    fs.writeFileSync(statePath("created-run-sshd"), "");
  }
}

function sshdConfig(dir: string, address: string, dockerSocket: string | undefined): string {
  return [
    "# routedhcp lab sshd (lab/sshd.ts); nothing from /etc/ssh is read",
    `ListenAddress ${address}`,
    "Port 22",
    `HostKey ${dir}/ssh_host_ed25519_key`,
    `PidFile ${dir}/sshd.pid`,
    "PermitRootLogin prohibit-password",
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    "StrictModes no",
    "UsePAM no",
    "UseDNS no",
    "PrintMotd no",
    // fan-out benchmarks open many sessions at once
    "MaxStartups 200",
    "MaxSessions 100",
    ...(dockerSocket ? [`SetEnv DOCKER_HOST=unix://${dockerSocket}`] : []),
    "Subsystem sftp /usr/lib/openssh/sftp-server",
    "",
  ].join("\n");
}

/**
 * A lab host is a fresh Debian host, so its root has Debian's stock home, not this machine's: the
 * sshd runs in the mount namespace `ip netns exec` gives it (mounts there do not propagate back), with
 * a tmpfs on /root holding base-files' .bashrc and .profile. Every SSH command starts root's shell,
 * and this machine's own ~/.bashrc (developer tools: `pyenv init`, ~80 ms a shell) would otherwise
 * be timed as part of every lab host.
 */
const FRESH_ROOT_HOME = [
  "mount -t tmpfs -o mode=0700,size=16m routedhcp-lab-root /root",
  "cp /usr/share/base-files/dot.bashrc /root/.bashrc",
  "cp /usr/share/base-files/dot.profile /root/.profile",
].join(" && ");

/** Writes the host's keys and config and starts sshd in netns, listening on address:22. */
export async function startSshd(spec: { name: string; netns: string; address: string; dockerSocket?: string }): Promise<LabHost> {
  const identityFile = await ensureClientKey();
  ensurePrivsepDir();
  const dir = hostDir(spec.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "bin"), { recursive: true, mode: 0o700 });
  const hostKeyFile = path.join(dir, "ssh_host_ed25519_key");
  await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", hostKeyFile]);
  const hostKey = fs.readFileSync(`${hostKeyFile}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
  fs.copyFileSync(`${identityFile}.pub`, path.join(dir, "authorized_keys"));
  const knownHostsFile = path.join(dir, "known_hosts");
  fs.writeFileSync(knownHostsFile, `${spec.address} ${hostKey}\n`);
  const config = path.join(dir, "sshd_config");
  fs.writeFileSync(config, sshdConfig(dir, spec.address, spec.dockerSocket));
  writeSshWrapper(path.join(dir, "bin", "ssh"), identityFile, knownHostsFile);

  const log = path.join(dir, "sshd.log");
  // sshd daemonizes itself; -E keeps its log in the lab dir. It must be started by absolute path.
  await runIn(spec.netns, ["sh", "-c", `${FRESH_ROOT_HOME} && exec /usr/sbin/sshd -f "$1" -E "$2"`, "sshd", config, log], { timeoutMs: 10_000 });
  await waitFor(`sshd of ${spec.name} on ${spec.address}:22`, 10_000, async () => {
    if (readPidFile(path.join(dir, "sshd.pid")) === undefined) return false;
    const ss = await runIn(spec.netns, ["ss", "-Hltn", "sport", "=", ":22"]);
    return ss.stdout.includes(`${spec.address}:22`);
  }, () => tailFile(log));
  return {
    name: spec.name,
    netns: spec.netns,
    address: spec.address,
    port: 22,
    user: "root",
    hostKey,
    knownHostsFile,
    identityFile,
    ...(spec.dockerSocket ? { dockerSocket: spec.dockerSocket, dockerHost: `ssh://root@${spec.address}` } : {}),
  };
}

/**
 * The docker CLI execs plain `ssh` for ssh:// hosts, and OpenSSH ignores $HOME (it reads the
 * passwd entry), so the identity and known_hosts can only be given by an `ssh` first in PATH.
 */
function writeSshWrapper(file: string, identityFile: string, knownHostsFile: string): void {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  fs.writeFileSync(
    file,
    [
      "#!/bin/sh",
      "# routedhcp lab: ssh with the lab identity and this host's known_hosts only",
      `exec /usr/bin/ssh -i ${q(identityFile)} -o IdentitiesOnly=yes -o UserKnownHostsFile=${q(knownHostsFile)} \\`,
      "  -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes \"$@\"",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
}

/** How routedhcp's own SSH (io/sshSession.ts) reaches a lab host: the lab key, the host's known_hosts. */
export function sshTargetOf(host: LabHost, timeoutMs: number): SshTarget {
  return {
    host: host.address,
    port: host.port,
    user: host.user,
    privateKey: fs.readFileSync(host.identityFile, "utf8"),
    knownHosts: { text: fs.readFileSync(host.knownHostsFile, "utf8"), source: host.knownHostsFile },
    timeoutMs,
  };
}

/** Environment for spawning the `docker` CLI (or plain ssh) against this host over ssh://. */
export function sshEnv(host: LabHost): NodeJS.ProcessEnv {
  const bin = path.join(hostDir(host.name), "bin");
  if (!fs.existsSync(path.join(bin, "ssh"))) throw new LabError(`no ssh wrapper for lab host ${host.name} (is the lab up?)`);
  return {
    ...process.env,
    PATH: `${bin}:${process.env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"}`,
    ...(host.dockerHost ? { DOCKER_HOST: host.dockerHost } : {}),
  };
}

/** Stops the host's sshd (its session children die with the namespace). */
export async function stopSshd(hostName: string): Promise<void> {
  const pid = readPidFile(path.join(hostDir(hostName), "sshd.pid"));
  if (pid !== undefined) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // gone
    }
    await waitReaped([pid]); // sshd daemonized: PID 1 reaps it, up to ~2 s later on these machines
  }
}
