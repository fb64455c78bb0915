// A real dockerd per lab host, in that host's network namespace only (nsenter --net: `ip netns exec`
// remounts /sys and dockerd then fails with "Devices cgroup isn't mounted"). Its own data root, exec
// root (and so its own supervised containerd), socket, pid file and config file, no bridge, no iptables.
import * as fs from "node:fs";
import * as path from "node:path";
import { isAlive, readPidFile, run, sleep, spawnDaemon, tailFile, waitFor } from "./exec";
import { LabError } from "./labError";
import { unmountUnder } from "./mounts";
import { waitReaped } from "./netns";
import { statePath } from "./paths";

export function dockerDir(hostName: string): string {
  return statePath("docker", hostName);
}

export function dockerSocketPath(hostName: string): string {
  return path.join(dockerDir(hostName), "docker.sock");
}

/** dockerd 20.10 uses a containerd already listening here instead of starting its own (see startDockerd). */
const SYSTEM_CONTAINERD = "/run/containerd/containerd.sock";

export async function dockerAnswers(sock: string, timeoutMs = 5000): Promise<boolean> {
  if (!fs.existsSync(sock)) return false;
  const r = await run(["docker", "-H", `unix://${sock}`, "version", "--format", "{{.Server.Version}}"], { allowFail: true, timeoutMs }).catch(() => undefined);
  return r?.code === 0;
}

/** Starts dockerd in netns for hostName and waits until `docker info` answers; returns the socket path. */
export async function startDockerd(hostName: string, netns: string, timeoutMs = 60_000): Promise<string> {
  if (fs.existsSync(SYSTEM_CONTAINERD)) {
    // Its shims would run in the root network namespace, and so would host-network containers.
    throw new LabError(`${SYSTEM_CONTAINERD} exists: a system containerd runs, and dockerd 20.10 would use it instead of starting one in ${netns}`);
  }
  const dir = dockerDir(hostName);
  await stopDockerd(hostName);
  // containerd's shims make /run/containerd/s (containerd 1.6 puts shim sockets there whatever its
  // state dir): remember whether it was ours, so cleanup can remove it once empty.
  if (!fs.existsSync("/run/containerd")) {
    fs.mkdirSync(statePath(), { recursive: true });
    fs.writeFileSync(statePath("created-run-containerd"), "");
  }
  fs.mkdirSync(dir, { recursive: true });
  const sock = dockerSocketPath(hostName);
  const config = path.join(dir, "daemon.json");
  // Without a config file of its own dockerd reads /etc/docker/daemon.json, and 20.10 writes its
  // trust key to /etc/docker/key.json unless "deprecated-key-path" moves it.
  fs.writeFileSync(config, JSON.stringify({ "deprecated-key-path": path.join(dir, "key.json") }, null, 2));
  const log = path.join(dir, "dockerd.log");
  spawnDaemon(
    [
      "nsenter", `--net=/run/netns/${netns}`, "--",
      "dockerd",
      "--config-file", config,
      "--data-root", path.join(dir, "data"),
      "--exec-root", path.join(dir, "exec"),
      "-H", `unix://${sock}`,
      "-p", path.join(dir, "dockerd.pid"),
      "--bridge=none", "--iptables=false", "--ip-masq=false", "--ip-forward=false",
      "--userland-proxy=false",
      "--containerd-namespace", `rdh-${hostName}`,
      "--containerd-plugins-namespace", `rdh-${hostName}-plugins`,
    ],
    log,
  );
  await waitFor(`dockerd of ${hostName} (${sock})`, timeoutMs, async () => {
    const pid = readPidFile(path.join(dir, "dockerd.pid"));
    if (pid !== undefined && !isAlive(pid)) throw new LabError(`dockerd of ${hostName} exited: ${tailFile(log)}`);
    return dockerAnswers(sock);
  }, () => tailFile(log));
  return sock;
}

/**
 * Removes every container first (a container still running when its dockerd dies leaves dhcpd and
 * the shim behind), then stops dockerd (SIGTERM, SIGKILL after 20 s) and undoes its mounts.
 */
export async function stopDockerd(hostName: string): Promise<void> {
  const dir = dockerDir(hostName);
  if (!fs.existsSync(dir)) return;
  const sock = dockerSocketPath(hostName);
  if (await dockerAnswers(sock)) {
    const ids = (await run(["docker", "-H", `unix://${sock}`, "ps", "-aq"], { allowFail: true, timeoutMs: 20_000 })).stdout.split(/\s+/).filter(Boolean);
    if (ids.length > 0) await run(["docker", "-H", `unix://${sock}`, "rm", "-f", ...ids], { allowFail: true, timeoutMs: 60_000 });
  }
  const pid = readPidFile(path.join(dir, "dockerd.pid"));
  if (pid !== undefined && isAlive(pid)) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 20_000;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
    await waitReaped([pid]);
  }
  await unmountUnder(dir);
}
