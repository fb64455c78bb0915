// The paper's own mode on real parts: the routedhcp image in "self-configuring" mode (the spec
// sdk/containerSpec.ts declares, applied to each lab host's real dockerd over ssh://) reads the
// host's routing table at start, renders, validates with its own dhcpd and serves; the paper's
// Table 4 (a hand-written File 4 cannot move between hosts, nor into a bridge-network container);
// and the two ways the image refuses to start: a container network of its own, nothing to serve.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createDepartment, destroyDepartment, lease, type Department, type LabHost } from "../../lab";
import { ipIn } from "../../lab/netns";
import { run, runIn, sleep } from "../../lab/exec";
import { applyContainerSpec, dockerOver, removeContainer } from "../../lab/applyContainerSpec";
import { ensureRoutedhcpImage, REPO_ROOT } from "../../lab/rollout";
import { buildDhcpConfig } from "../../core/pipeline";
import type { PlanOptions } from "../../core/options";
import { DEFAULT_IMAGE, dhcpContainerSpec, type DhcpContainerSpec } from "../../sdk/containerSpec";

/** The user-defined bridge network of the paper's Figure 10, on department A's dockerd. */
const BRIDGE = "figure10";
const BRIDGE_SUBNET = "172.30.0.0/16";

// The paper's File 3 CMD, as is; the lease file and pid directory are made first, as File 3's RUN
// line does at build time (the image has no dhcpd.leases, lab/README.md).
const PAPER_CMD =
  "mkdir -p /run/dhcp-server && touch /var/lib/dhcp/dhcpd.leases && " +
  "exec dhcpd -f -4 -pf /run/dhcp-server/dhcpd.pid -cf /etc/dhcp/dhcpd.conf -lf /var/lib/dhcp/dhcpd.leases";

/** The paper's File 4, written by hand for department d's LAN (10.n.1.0/24, router .1). */
function file4(d: Department): string {
  const p = `10.${d.index}.1`;
  return [
    "default-lease-time 600;",
    "max-lease-time 7200;",
    "",
    `subnet ${p}.0 netmask 255.255.255.0 {`,
    `    range ${p}.30 ${p}.200;`,
    `    option routers ${p}.1;`,
    "    option subnet-mask 255.255.255.0;",
    "}",
    "",
  ].join("\n");
}

/** The paper's File 5: File 4 plus a declaration of the container network (its line 11). */
function file5(d: Department): string {
  return `${file4(d)}\nsubnet 172.30.0.0 netmask 255.255.0.0 {\n}\n`;
}

const inPool = (address: string, lan: string) => {
  const [a, b, c, last] = address.split(".");
  return `${a}.${b}.${c}` === lan && Number(last) >= 128 && Number(last) <= 254;
};

interface ContainerState {
  readonly status: string;
  readonly exitCode: number;
  readonly restarts: number;
  /** stdout and stderr of every run of the container. */
  readonly logs: string;
}

async function inspect(host: LabHost, name: string): Promise<ContainerState> {
  const docker = dockerOver(host);
  const [status = "", exitCode = "", restarts = ""] = (await docker(["inspect", "--format", "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}", name])).stdout.trim().split(" ");
  const logs = await docker(["logs", name]);
  return { status, exitCode: Number(exitCode), restarts: Number(restarts), logs: logs.stdout + logs.stderr };
}

// dhcpd's last start-up line, with -f (the paper) as with -d (the spec); after it dhcpd serves.
const serving = (s: ContainerState) => s.status === "running" && /^Sending on +Socket\/fallback\/fallback-net$/m.test(s.logs);
/** Exited, or (with a restart policy) waiting to be restarted, or restarted after an exit. */
const stopped = (s: ContainerState) => s.status === "exited" || s.status === "restarting" || s.restarts > 0;

/** Waits until dhcpd serves or the container has stopped (or been restarted after stopping). */
async function settle(host: LabHost, name: string, timeoutMs = 30_000): Promise<ContainerState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await inspect(host, name);
    if (serving(s) || stopped(s)) return s;
    if (Date.now() > deadline) throw new Error(`${name} on ${host.name} neither served nor stopped within ${timeoutMs} ms: ${s.status}\n${s.logs}`);
    await sleep(200);
  }
}

/** "starts", or "fails: <dhcpd's first complaint about an interface>" (Table 4's cells, with the reason). */
function outcome(s: ContainerState): string {
  if (serving(s)) return "starts";
  const why = /No subnet declaration for \S+ \([\d.]+\)/.exec(s.logs)?.[0] ?? s.logs.trim().split("\n").slice(-3).join(" | ");
  return `fails (exit ${s.exitCode}): ${why.replace(/172\.30\.\d+\.\d+/, "172.30.x.x")}`;
}

/** The host's own routing table, read in its namespace: what the image reads with host networking. */
async function hostSnapshot(host: LabHost) {
  const read = async (file: string) => ({ text: (await runIn(host.netns, ["cat", file])).stdout, source: file });
  return { route: await read("/proc/net/route"), fibTrie: await read("/proc/net/fib_trie") };
}

describe("the paper's own mode: the self-configuring image on real hosts @lab", function () {
  this.timeout(300_000);
  let a: Department | undefined;
  let b: Department | undefined;
  let fixtureDir: string | undefined;
  /** Containers made by the running test, removed after it (port 67 of a host is free for the next). */
  const made: { host: LabHost; name: string }[] = [];

  const selfConfiguringSpec = (d: Department, options: PlanOptions = {}): DhcpContainerSpec =>
    dhcpContainerSpec({ mode: "self-configuring", name: `routedhcp-${d.name}`, image: DEFAULT_IMAGE, leasesVolume: `routedhcp-${d.name}-leases`, options });

  /** The spec as DepartmentDhcp declares it (host networking, restart policy), on d's host. */
  async function applySelfConfiguring(d: Department, options: PlanOptions = {}): Promise<string> {
    const spec = selfConfiguringSpec(d, options);
    made.push({ host: d.host, name: spec.name });
    await applyContainerSpec(d.host, spec);
    return spec.name;
  }

  /**
   * A container from docker create arguments on `network`, with no restart policy (a container
   * that stops must stay stopped to be looked at), `config` copied to /etc/dhcp/dhcpd.conf.
   */
  async function startContainer(host: LabHost, name: string, network: string, image: string, command: readonly string[], extra: readonly string[] = [], config?: string): Promise<void> {
    const docker = dockerOver(host);
    await removeContainer(host, name);
    made.push({ host, name });
    await docker(["create", "--name", name, "--network", network, "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW", ...extra, image, ...command]);
    if (config !== undefined) {
      const file = path.join(fixtureDir!, `${name}.conf`);
      fs.writeFileSync(file, config);
      await docker(["cp", file, `${name}:/etc/dhcp/dhcpd.conf`]);
    }
    await docker(["start", name]);
  }

  /** The paper's container: File 3's command on a hand-written config. */
  const paperDhcpd = (host: LabHost, name: string, network: string, config: string) =>
    startContainer(host, name, network, DEFAULT_IMAGE, ["sh", "-c", PAPER_CMD], [], config);

  before(async function () {
    fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), "routedhcp-imagemode-"));
    a = await createDepartment({ name: "hr", index: 41, docker: true, clients: 1, remoteClients: 0 });
    b = await createDepartment({ name: "ops", index: 42, docker: true, clients: 1, remoteClients: 0 });
    await Promise.all([ensureRoutedhcpImage(a.host), ensureRoutedhcpImage(b.host)]);
    // A user-defined bridge on A's dockerd (it runs with --bridge=none --iptables=false): its
    // br-<id> is a virtual interface in A's table that the image must not serve.
    await dockerOver(a.host)(["network", "create", "--driver", "bridge", "--subnet", BRIDGE_SUBNET, BRIDGE]);
  });

  afterEach(async function () {
    for (const { host, name } of made.splice(0)) await removeContainer(host, name);
  });

  after(async function () {
    const failures: unknown[] = [];
    const attempt = (p: Promise<unknown>) => p.catch((e: unknown) => failures.push(e));
    for (const { host, name } of made.splice(0)) await attempt(removeContainer(host, name));
    for (const d of [a, b]) {
      if (d === undefined) continue;
      const docker = dockerOver(d.host);
      if (d === a) await attempt(docker(["network", "rm", BRIDGE], { allowFail: true }));
      await attempt(docker(["volume", "rm", `routedhcp-${d.name}-leases`], { allowFail: true }));
      await attempt(destroyDepartment(d));
    }
    if (fixtureDir !== undefined) fs.rmSync(fixtureDir, { recursive: true, force: true });
    if (failures.length > 0) throw failures[0];
  });

  it("(a) one image, no config given, on two departments' hosts: each serves its own LAN and logs the config it rendered", async () => {
    const specs = [selfConfiguringSpec(a!), selfConfiguringSpec(b!)];
    for (const spec of specs) {
      assert.deepEqual(spec.uploads, [], "no config is given to the container");
      assert.deepEqual(spec.env, [], "no options either");
    }
    assert.deepEqual({ ...specs[0], name: "", volumes: [] }, { ...specs[1], name: "", volumes: [] }, "the two containers differ only in name and leases volume");
    const names = await Promise.all([applySelfConfiguring(a!), applySelfConfiguring(b!)]);
    for (const [i, d] of [a!, b!].entries()) {
      const state = await settle(d.host, names[i]!);
      assert.ok(serving(state), `${d.name}: ${outcome(state)}\n${state.logs}`);
      const expected = buildDhcpConfig(await hostSnapshot(d.host)).dhcpdConf;
      assert.match(expected, new RegExp(`^subnet 10\\.${d.index}\\.1\\.0 netmask 255\\.255\\.255\\.0 \\{$`, "m"));
      assert.doesNotMatch(expected, /172\.30\./, "the Docker network on the host is not served");
      assert.ok(
        state.logs.includes(`routedhcp: configured from /proc/net/route; dhcpd listens on eth0; dhcpd.conf:\n${expected}`),
        `docker logs shows the rendered config:\n${state.logs}`,
      );
      const written = await dockerOver(d.host)(["exec", names[i]!, "cat", "/etc/dhcp/dhcpd.conf"]);
      assert.equal(written.stdout, expected);
      const got = await lease(d.clients[0]!, { tool: "dhclient" });
      assert.ok(inPool(got.address, `10.${d.index}.1`), got.address);
      assert.deepEqual(got.routers, [`10.${d.index}.1.1`]);
      assert.equal(got.mask, "255.255.255.0");
      assert.equal(got.serverId, `10.${d.index}.1.6`);
    }
  });

  it("(b) the paper's Table 4: File 4 starts only where it was written; the self-configuring image starts and serves where File 4 cannot", async () => {
    // The user network works on a dockerd with --bridge=none --iptables=false: a container on it
    // sees only its own eth0 in 172.30/16 (and lo), routed through the bridge, reachable from the host.
    await startContainer(a!.host, "probe", BRIDGE, DEFAULT_IMAGE, ["sleep", "60"]);
    const inProbe = async (...argv: string[]) => (await dockerOver(a!.host)(["exec", "probe", ...argv])).stdout;
    assert.deepEqual((await inProbe("ls", "/sys/class/net")).split(/\s+/).filter(Boolean).sort(), ["eth0", "lo"]);
    const probeAddress = /^\d+: eth0 +inet (172\.30\.\d+\.\d+)\/16 /m.exec(await inProbe("ip", "-4", "-o", "addr", "show", "dev", "eth0"))?.[1];
    assert.ok(probeAddress !== undefined, "the container has an address in the user network");
    assert.match(await inProbe("ip", "-4", "route"), /^default via 172\.30\.0\.1 dev eth0/m);
    await runIn(a!.host.netns, ["ping", "-c", "1", "-W", "2", probeAddress]);
    await removeContainer(a!.host, "probe");

    const table: Record<string, string> = {};
    const cell = async (row: string, host: LabHost, name: string, start: () => Promise<unknown>, whileRunning?: () => Promise<void>) => {
      await start();
      const state = await settle(host, name);
      table[row] = outcome(state);
      if (whileRunning !== undefined && serving(state)) await whileRunning();
      await removeContainer(host, name);
    };
    await cell("File 4 (hr's LAN) on hr's host", a!.host, "file4-host", () => paperDhcpd(a!.host, "file4-host", "host", file4(a!)));
    await cell("File 4 (hr's LAN) in a bridge container on hr's host", a!.host, "file4-bridge", () => paperDhcpd(a!.host, "file4-bridge", BRIDGE, file4(a!)));
    await cell("File 5 (+ container network) on hr's host", a!.host, "file5-host", () => paperDhcpd(a!.host, "file5-host", "host", file5(a!)));
    await cell("File 5 (+ container network) in a bridge container on hr's host", a!.host, "file5-bridge", () => paperDhcpd(a!.host, "file5-bridge", BRIDGE, file5(a!)));
    await cell("File 4 (hr's LAN) on ops's host", b!.host, "file4-moved", () => paperDhcpd(b!.host, "file4-moved", "host", file4(a!)));
    let served = "";
    await cell("self-configuring on ops's host", b!.host, "routedhcp-ops", () => applySelfConfiguring(b!), async () => {
      const got = await lease(b!.clients[0]!, { tool: "dhclient" });
      served = `${got.address} from ${got.serverId}`;
    });
    assert.deepEqual(table, {
      "File 4 (hr's LAN) on hr's host": "starts",
      "File 4 (hr's LAN) in a bridge container on hr's host": "fails (exit 1): No subnet declaration for eth0 (172.30.x.x)",
      "File 5 (+ container network) on hr's host": "starts",
      "File 5 (+ container network) in a bridge container on hr's host": "starts",
      "File 4 (hr's LAN) on ops's host": "fails (exit 1): No subnet declaration for eth0 (10.42.1.6)",
      "self-configuring on ops's host": "starts",
    });
    const [address = "", , server] = served.split(" ");
    assert.ok(inPool(address, "10.42.1") && server === "10.42.1.6", `and it serves ops's LAN: ${served}`);
  });

  it("(c) the self-configuring image in a bridge-network container stops and says to use host networking", async () => {
    // DepartmentDhcp's spec, with Figure 10's network instead of the host's.
    const spec = selfConfiguringSpec(a!);
    await startContainer(a!.host, "selfconf-bridge", BRIDGE, spec.image, spec.command, ["--volume", `${spec.volumes[0]!.volume}:${spec.volumes[0]!.containerPath}`]);
    const state = await settle(a!.host, "selfconf-bridge");
    assert.equal(state.status, "exited", state.logs);
    assert.equal(state.exitCode, 1, state.logs);
    assert.equal(
      state.logs,
      "routedhcp: this container has a network of its own (eth0 172.30.0.0/16): /proc/net/route shows the container's routes, not the host's, " +
        "so it would serve the wrong network. Run it with host networking (docker run --network host ...; DepartmentDhcp does)\n",
      "the one line, and no dhcpd output: dhcpd never started",
    );
  });

  it("(d) a host with nothing to serve: the image exits with the clear message", async () => {
    // The cloud-vm fixture (a /32 and a default route, made by the kernel) as the table the image reads.
    fs.mkdirSync(path.join(fixtureDir!, "cloud-vm", "net"), { recursive: true });
    for (const f of ["route", "fib_trie"]) fs.copyFileSync(path.join(REPO_ROOT, "test", "fixtures", "cloud-vm", f), path.join(fixtureDir!, "cloud-vm", "net", f));
    const spec = selfConfiguringSpec(b!);
    await startContainer(b!.host, "selfconf-cloudvm", "host", spec.image, spec.command, [
      "--env", "ROUTEDHCP_PROC=/fixture", "--volume", `${path.join(fixtureDir!, "cloud-vm")}:/fixture:ro`,
    ]);
    const fixture = await settle(b!.host, "selfconf-cloudvm");
    assert.deepEqual([fixture.status, fixture.exitCode], ["exited", 1], fixture.logs);
    assert.equal(
      fixture.logs,
      "routedhcp: /fixture/net/route: nothing to serve: no LAN subnet is connected to this host; its addresses (10.128.0.5) sit in no connected subnet, as on a cloud VM with a /32\n",
    );

    // The same on a real host: ops's host made a cloud VM (10.42.1.6/32, the router as an on-link
    // host route, default via it), the spec applied as DepartmentDhcp does (restart unless-stopped).
    const ns = b!.host.netns;
    await ipIn(ns, ["addr", "add", "10.42.1.6/32", "dev", "eth0"]);
    await ipIn(ns, ["addr", "del", "10.42.1.6/24", "dev", "eth0"]);
    await ipIn(ns, ["route", "replace", "10.42.1.1", "dev", "eth0", "scope", "link"]);
    await ipIn(ns, ["route", "replace", "default", "via", "10.42.1.1", "dev", "eth0"]);
    await run(["ip", "-n", ns, "route", "del", "10.42.2.0/24"], { allowFail: true });
    const name = await applySelfConfiguring(b!);
    assert.ok(stopped(await settle(b!.host, name)));
    // Between runs Docker shows the last exit code (a run under way shows 0).
    let state = await inspect(b!.host, name);
    for (let i = 0; i < 100 && state.status !== "restarting"; i++) state = await sleep(100).then(() => inspect(b!.host, name));
    assert.deepEqual([state.status, state.exitCode], ["restarting", 1], state.logs);
    assert.equal(
      state.logs.split("\n")[0],
      "routedhcp: /proc/net/route: nothing to serve: no LAN subnet is connected to this host; its addresses (10.42.1.6) sit in no connected subnet, as on a cloud VM with a /32",
    );
    assert.doesNotMatch(state.logs, /Internet Systems Consortium/, "dhcpd never started");

    // The host gets its LAN back: the restart policy runs the image again, which now serves it.
    await ipIn(ns, ["addr", "add", "10.42.1.6/24", "dev", "eth0"]);
    await ipIn(ns, ["addr", "del", "10.42.1.6/32", "dev", "eth0"]);
    await ipIn(ns, ["route", "del", "10.42.1.1", "dev", "eth0"]);
    await ipIn(ns, ["route", "replace", "default", "via", "10.42.1.1"]);
    await ipIn(ns, ["route", "replace", "10.42.2.0/24", "via", "10.42.1.1"]);
    const back = await waitServing(b!.host, name);
    assert.ok(serving(back), back.logs);
    const got = await lease(b!.clients[0]!, { tool: "dhclient" });
    assert.ok(inPool(got.address, "10.42.1"), got.address);
  });
});

/** Polls until dhcpd serves (after restarts), up to 60 s. */
async function waitServing(host: LabHost, name: string): Promise<ContainerState> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await inspect(host, name);
    if (serving(s) || Date.now() > deadline) return s;
    await sleep(300);
  }
}
