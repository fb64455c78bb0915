// The lab on real parts: sshd, dockerd over ssh://, the offline ISC DHCP image, dhcpd in a
// host-network container, dhclient/udhcpc on the LAN and, through dhcrelay, on the remote network.
// Runs inside rdh-ctl: `node dist/lab/inCtl.js npx mocha dist/test/lab/lab.test.js`.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { createDepartment, destroyDepartment, ensureDhcpImage, LAB_STATE_DIR, lease, release, sshEnv, startRelay, stopRelay, type Department } from "../../lab";
import { run } from "../../lab/exec";

const INDEX = 98;
const NET = `10.${INDEX}`;
const IMAGE = "routedhcp-lab/dhcpd:test";
const CONTAINER = "rdh-lab-dhcpd";

/** /proc/net/route writes addresses as little-endian hex. */
function hexToIp(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [0, 8, 16, 24].map((s) => (n >>> s) & 255).join(".");
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
}

const DHCPD_CONF = `# hand-written for the lab test: the host's LAN and the remote network behind the relay
authoritative;
ping-check false;
default-lease-time 600;
max-lease-time 7200;
subnet ${NET}.1.0 netmask 255.255.255.0 {
  range ${NET}.1.100 ${NET}.1.200;
  option routers ${NET}.1.1;
}
subnet ${NET}.2.0 netmask 255.255.255.0 {
  range ${NET}.2.100 ${NET}.2.200;
  option routers ${NET}.2.1;
}
`;

describe("lab @lab", function () {
  this.timeout(180_000);
  let d: Department | undefined;
  let tmp = "";

  const dep = (): Department => {
    if (!d) throw new Error("department not created");
    return d;
  };
  const ssh = (args: string[], input?: string) => {
    const h = dep().host;
    return run(["ssh", "-i", h.identityFile, "-o", `UserKnownHostsFile=${h.knownHostsFile}`, "-o", "StrictHostKeyChecking=yes",
      "-o", "BatchMode=yes", "-p", String(h.port), `${h.user}@${h.address}`, ...args], { timeoutMs: 30_000, ...(input !== undefined ? { input } : {}) });
  };
  const docker = (args: string[], opts: { input?: string; allowFail?: boolean } = {}) =>
    run(["docker", "-H", dep().host.dockerHost ?? "", ...args], { env: sshEnv(dep().host), timeoutMs: 120_000, ...opts });

  before(async function () {
    // under the lab's state dir, so that cleanupStale() removes it even after a crashed run
    fs.mkdirSync(LAB_STATE_DIR, { recursive: true });
    tmp = fs.mkdtempSync(path.join(LAB_STATE_DIR, "test-"));
    let t = Date.now();
    d = await createDepartment({ name: "labtest", index: INDEX, docker: true, clients: 1, remoteClients: 1 });
    console.log(`      createDepartment with docker: ${Date.now() - t} ms`);
    t = Date.now();
    await ensureDhcpImage(dep().host.dockerSocket ?? "", IMAGE);
    console.log(`      ensureDhcpImage: ${Date.now() - t} ms`);
  });

  after(async function () {
    if (d) await destroyDepartment(d);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("reads the host's routing table with OpenSSH from ctl (lab key, strict host key checking)", async () => {
    const { stdout } = await ssh(["cat", "/proc/net/route"]);
    const rows = stdout.trim().split("\n").slice(1).map((l) => l.trim().split(/\s+/));
    const routes = rows.map(([iface, dst, gw, , , , , mask]) => ({ iface, dst: hexToIp(dst ?? ""), gw: hexToIp(gw ?? ""), mask: hexToIp(mask ?? "") }));
    assert.deepEqual(
      routes.sort((a, b) => a.dst.localeCompare(b.dst)),
      [
        { iface: "eth0", dst: "0.0.0.0", gw: `${NET}.1.1`, mask: "0.0.0.0" },
        { iface: "eth0", dst: `${NET}.1.0`, gw: "0.0.0.0", mask: "255.255.255.0" },
        { iface: "eth0", dst: `${NET}.2.0`, gw: `${NET}.1.1`, mask: "255.255.255.0" },
      ],
    );
    // The host key is really checked: with an empty known_hosts file ssh refuses the host.
    const h = dep().host;
    const empty = path.join(tmp, "empty_known_hosts");
    fs.writeFileSync(empty, "");
    const r = await run(["ssh", "-i", h.identityFile, "-o", `UserKnownHostsFile=${empty}`, "-o", "GlobalKnownHostsFile=/dev/null",
      "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", `root@${h.address}`, "true"], { allowFail: true, timeoutMs: 30_000 });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Host key verification failed/);
  });

  it("reaches the host's own dockerd with docker -H ssh:// and sshEnv", async () => {
    const overSsh = (await docker(["info", "--format", "{{.ID}} {{.DockerRootDir}}"])).stdout.trim();
    const local = (await run(["docker", "-H", `unix://${dep().host.dockerSocket}`, "info", "--format", "{{.ID}} {{.DockerRootDir}}"])).stdout.trim();
    assert.equal(overSsh, local);
    assert.match(overSsh, /\/docker\/labtest\/data$/);
  });

  it("runs dhcpd -t (and node) in the imported image", async () => {
    const ok = await docker(["run", "--rm", "-i", "--network", "none", IMAGE, "sh", "-c", "cat > /tmp/dhcpd.conf && dhcpd -t -cf /tmp/dhcpd.conf"], { input: DHCPD_CONF });
    assert.match(ok.stderr, /DHCP Server 4\.4\.3/);
    assert.match(ok.stderr, /Config file: \/tmp\/dhcpd\.conf/);
    const bad = await docker(["run", "--rm", "-i", "--network", "none", IMAGE, "sh", "-c", "cat > /tmp/dhcpd.conf && dhcpd -t -cf /tmp/dhcpd.conf"], {
      input: "subnet 10.0.0.0 netmask 255.255.255.0 { range 10.0.0.10 }\n", allowFail: true,
    });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /dhcpd\.conf line 1/);
    assert.match((await docker(["run", "--rm", "--network", "none", IMAGE, "node", "--version"])).stdout, /^v\d+\./);
  });

  it("serves the LAN from a host-network dhcpd container: dhclient, renewal, udhcpc, release", async () => {
    const conf = path.join(tmp, "dhcpd.conf");
    fs.writeFileSync(conf, DHCPD_CONF);
    await docker(["rm", "-f", CONTAINER], { allowFail: true });
    await docker(["create", "--name", CONTAINER, "--network", "host", IMAGE, "sh", "-c",
      "touch /var/lib/dhcp/dhcpd.leases && exec dhcpd -4 -f -d --no-pid -cf /etc/dhcp/dhcpd.conf eth0"]);
    await docker(["cp", conf, `${CONTAINER}:/etc/dhcp/dhcpd.conf`]);
    await docker(["start", CONTAINER]);
    for (let i = 0; i < 100 && !/Server starting service/.test((await docker(["logs", CONTAINER])).stderr); i++) await new Promise((r) => setTimeout(r, 100));

    const client = dep().clients[0] ?? "";
    const first = await lease(client, { tool: "dhclient", timeoutMs: 15_000 });
    assert.equal(first.reason, "BOUND");
    assert.ok(ipToInt(first.address) >= ipToInt(`${NET}.1.100`) && ipToInt(first.address) <= ipToInt(`${NET}.1.200`), first.address);
    assert.equal(first.prefix, 24);
    assert.deepEqual(first.routers, [`${NET}.1.1`]);
    assert.equal(first.serverId, `${NET}.1.6`);
    assert.equal(first.leaseTime, 600);
    assert.match((await run(["ip", "-n", client, "-4", "addr", "show", "eth0"])).stdout, new RegExp(`inet ${first.address.replace(/\./g, "\\.")}/24`));

    const again = await lease(client, { tool: "dhclient", timeoutMs: 15_000 });
    assert.equal(again.reason, "REBOOT");
    assert.equal(again.address, first.address);

    const busybox = await lease(client, { tool: "udhcpc", timeoutMs: 15_000 });
    assert.equal(busybox.address, first.address);
    assert.deepEqual(busybox.routers, [`${NET}.1.1`]);

    await release(client, { tool: "dhclient" });
    assert.match((await docker(["logs", CONTAINER])).stderr, new RegExp(`DHCPRELEASE of ${first.address.replace(/\./g, "\\.")}`));
  });

  it("serves the remote network through dhcrelay on the router", async () => {
    const remote = dep().remoteClients[0] ?? "";
    await assert.rejects(lease(remote, { timeoutMs: 3000 }), /got no lease within 3000 ms/);
    await startRelay(dep());
    try {
      const l = await lease(remote, { timeoutMs: 15_000 });
      assert.ok(ipToInt(l.address) >= ipToInt(`${NET}.2.100`) && ipToInt(l.address) <= ipToInt(`${NET}.2.200`), l.address);
      assert.deepEqual(l.routers, [`${NET}.2.1`]);
      assert.equal(l.serverId, `${NET}.1.6`);
      assert.match((await docker(["logs", CONTAINER])).stderr, new RegExp(`DHCPACK on ${l.address.replace(/\./g, "\\.")} to \\S+ via ${NET}\\.2\\.1`));
    } finally {
      await stopRelay(dep());
    }
  });
});
