// The ISC DHCP image for the lab's dockerds, built offline: no registry is reachable here, so a
// Debian bookworm rootfs is made once with debootstrap from the machine's own apt mirror, cached as
// a tarball, and `docker import`ed into each host's dockerd (design.md, "Verified on these machines").
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { run } from "./exec";
import { LabError } from "./labError";
import { IMAGE_CACHE_DIR, NS_PREFIX, ROOT_NETNS_ENV } from "./paths";
import { unmountUnder } from "./mounts";

export const ROOTFS_SUITE = "bookworm";
/** nodejs is there for the self-configuring mode (/opt/routedhcp), iproute2 for `ip` in the container. */
export const ROOTFS_PACKAGES = ["isc-dhcp-server", "nodejs", "iproute2"] as const;

export interface OverlayItem {
  /** A file or directory on this machine. */
  readonly from: string;
  /** Absolute path inside the image. */
  readonly to: string;
}

/** Content key of the rootfs: suite, variant and package list (not the mirror, which is only transport). */
export function rootfsKey(): string {
  const h = createHash("sha256").update(JSON.stringify({ suite: ROOTFS_SUITE, variant: "minbase", packages: ROOTFS_PACKAGES }));
  return h.digest("hex").slice(0, 12);
}

export function rootfsTarball(): string {
  return path.join(IMAGE_CACHE_DIR, `rootfs-${rootfsKey()}.tar`);
}

/**
 * The Debian mirror this machine's apt uses, read at run time (deb822 `URIs:` in sources.list.d/*.sources,
 * else a `deb` line of sources.list) so that no mirror host name is written into the repo.
 */
export function findAptMirror(etcApt = "/etc/apt"): string {
  const candidates: { uri: string; suites: string[] }[] = [];
  const dir = path.join(etcApt, "sources.list.d");
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".sources")).sort() : [];
  for (const f of files) {
    for (const stanza of fs.readFileSync(path.join(dir, f), "utf8").split(/\n\s*\n/)) {
      const field = (name: string): string[] =>
        (stanza.match(new RegExp(`^${name}:\\s*(.*)$`, "mi"))?.[1] ?? "").trim().split(/\s+/).filter(Boolean);
      if (!field("Types").includes("deb") || field("Enabled")[0] === "no") continue;
      for (const uri of field("URIs")) candidates.push({ uri, suites: field("Suites") });
    }
  }
  const list = path.join(etcApt, "sources.list");
  if (fs.existsSync(list)) {
    for (const line of fs.readFileSync(list, "utf8").split("\n")) {
      const m = line.match(/^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/);
      if (m?.[1] && m[2]) candidates.push({ uri: m[1], suites: [m[2]] });
    }
  }
  const hit = candidates.find((c) => c.suites.includes(ROOTFS_SUITE));
  if (!hit) throw new LabError(`no apt source for suite "${ROOTFS_SUITE}" in ${etcApt}/sources.list.d/*.sources or ${list}`);
  return hit.uri;
}

/**
 * argv prefix that runs debootstrap in the root network namespace: the lab's namespaces have no
 * uplink. inCtl passes its own (root) namespace as ROOT_NETNS_ENV, since /proc/1/ns/net cannot be
 * opened on these machines (PID 1 is protected).
 */
function inRootNet(): string[] {
  const self = fs.readlinkSync("/proc/self/ns/net");
  for (const handle of [process.env[ROOT_NETNS_ENV], "/proc/1/ns/net"]) {
    if (!handle) continue;
    try {
      return fs.readlinkSync(handle) === self ? [] : ["nsenter", `--net=${handle}`, "--"];
    } catch {
      // not readable: try the next
    }
  }
  const selfIno = fs.statSync("/proc/self/ns/net").ino;
  const netnsDir = "/run/netns";
  const inLab = fs.existsSync(netnsDir) && fs.readdirSync(netnsDir).some((n) => n.startsWith(NS_PREFIX) && fs.statSync(path.join(netnsDir, n)).ino === selfIno);
  if (inLab) {
    throw new LabError(`the rootfs tarball ${rootfsTarball()} is not built and this process runs in a lab namespace without an uplink: build it first with \`node dist/lab/cli.js image\` (or run through dist/lab/inCtl.js)`);
  }
  return [];
}

/** Builds the rootfs tarball unless it is cached; returns its path. */
export async function ensureRootfsTarball(log: (s: string) => void = () => undefined): Promise<string> {
  const tarball = rootfsTarball();
  if (fs.existsSync(tarball)) return tarball;
  fs.mkdirSync(IMAGE_CACHE_DIR, { recursive: true });
  const build = path.join(IMAGE_CACHE_DIR, `build-${process.pid}`);
  const started = Date.now();
  try {
    fs.rmSync(build, { recursive: true, force: true });
    const mirror = findAptMirror();
    log(`debootstrap ${ROOTFS_SUITE} from the apt mirror into ${build}`);
    await run(
      [...inRootNet(), "debootstrap", "--variant=minbase", `--include=${ROOTFS_PACKAGES.join(",")}`, ROOTFS_SUITE, build, mirror],
      { timeoutMs: 15 * 60_000 },
    );
    // Smaller image: the downloaded .debs and apt lists are not needed at run time.
    for (const d of ["var/cache/apt/archives", "var/lib/apt/lists"]) {
      for (const f of fs.readdirSync(path.join(build, d))) {
        if (f.endsWith(".deb") || (d.endsWith("lists") && f !== "lock" && f !== "partial")) fs.rmSync(path.join(build, d, f), { force: true });
      }
    }
    await run(["tar", "--numeric-owner", "-C", build, "-cf", `${tarball}.tmp`, "."], { timeoutMs: 10 * 60_000 });
    fs.renameSync(`${tarball}.tmp`, tarball);
    log(`rootfs built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${tarball}`);
    return tarball;
  } finally {
    await unmountUnder(build); // debootstrap mounts /proc and /sys in the target; a failed run can leave them
    fs.rmSync(build, { recursive: true, force: true });
    fs.rmSync(`${tarball}.tmp`, { force: true });
  }
}

function docker(sock: string, args: string[], input?: string | Buffer) {
  return run(["docker", "-H", `unix://${sock}`, ...args], { timeoutMs: 5 * 60_000, ...(input !== undefined ? { input } : {}) });
}

async function hasImage(sock: string, ref: string): Promise<boolean> {
  const r = await run(["docker", "-H", `unix://${sock}`, "image", "inspect", "--format", "{{.Id}}", ref], { allowFail: true });
  return r.code === 0;
}

/** Streams a file into a command's stdin (the rootfs is ~200 MB: no buffering in memory). */
function pipeFileInto(file: string, argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    const child = spawn(cmd ?? "false", args, { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new LabError(`${argv.join(" ")} < ${file}: exit ${code}: ${stderr.trim()}`, { argv, code, stderr })),
    );
    createReadStream(file).on("error", reject).pipe(child.stdin);
  });
}

/**
 * Makes `tag` exist in the dockerd at dockerSocket: the cached rootfs imported as
 * routedhcp-lab-rootfs:<key>, plus the overlay files/directories copied in (docker cp + commit).
 */
export async function ensureDhcpImage(
  dockerSocket: string,
  tag: string,
  overlay: readonly OverlayItem[] = [],
  log: (s: string) => void = () => undefined,
): Promise<void> {
  const base = `routedhcp-lab-rootfs:${rootfsKey()}`;
  if (!(await hasImage(dockerSocket, base))) {
    const tarball = await ensureRootfsTarball(log);
    await pipeFileInto(tarball, [
      "docker", "-H", `unix://${dockerSocket}`, "import",
      "--change", 'CMD ["/bin/sh"]', "--change", `LABEL org.routedhcp.lab.rootfs=${rootfsKey()}`, "-", base,
    ]);
  }
  if (overlay.length === 0) {
    await docker(dockerSocket, ["tag", base, tag]);
    return;
  }
  const stage = fs.mkdtempSync(path.join(IMAGE_CACHE_DIR, "overlay-"));
  const cid = (await docker(dockerSocket, ["create", base, "/bin/true"])).stdout.trim();
  try {
    for (const item of overlay) {
      if (!path.isAbsolute(item.to)) throw new LabError(`overlay target "${item.to}" is not an absolute path`);
      fs.cpSync(item.from, path.join(stage, item.to), { recursive: true, dereference: true });
    }
    await run(["sh", "-c", 'tar -C "$1" -cf - . | docker -H "unix://$2" cp - "$3:/"', "sh", stage, dockerSocket, cid], { timeoutMs: 5 * 60_000 });
    await docker(dockerSocket, ["commit", "--change", 'CMD ["/bin/sh"]', cid, tag]);
  } finally {
    await docker(dockerSocket, ["rm", "-f", cid]).catch(() => undefined);
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
