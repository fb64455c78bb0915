// End to end on real parts: two departments rolled out the way `pulumi up` does (lab/rollout.ts:
// HostDhcpConfig through the real dynamic-provider host, then DepartmentDhcp's container spec on the
// host's real Docker engine over ssh://), and real clients getting real leases.
import { strict as assert } from "node:assert";
import { createDepartment, destroyDepartment, lease, startRelay, type Department } from "../../lab";
import { addAddress, addVeth, ipIn } from "../../lab/netns";
import { run } from "../../lab/exec";
import { containerId, dockerOver } from "../../lab/applyContainerSpec";
import { Deployed, ensureRoutedhcpImage, Rollout } from "../../lab/rollout";
import { DEFAULT_IMAGE } from "../../sdk/containerSpec";
import { generateKey } from "../support/sshKeys";

const inPool = (address: string, net: string) => {
  const [a, b, c, d] = address.split(".").map(Number);
  const [x, y, z] = net.split(".").map(Number);
  return a === x && b === y && c === z && d! >= 128 && d! <= 254;
};

describe("rollout end to end @lab", function () {
  this.timeout(300_000);
  let sales: Department;
  let eng: Department;
  let rollout: Rollout;
  let salesUp: Deployed;
  let engUp: Deployed;
  let firstAddress = "";

  before(async function () {
    sales = await createDepartment({ name: "sales", index: 31, docker: true, clients: 2, remoteClients: 1 });
    eng = await createDepartment({ name: "eng", index: 32, docker: true, clients: 1, remoteClients: 0 });
    await Promise.all([ensureRoutedhcpImage(sales.host), ensureRoutedhcpImage(eng.host)]);
    rollout = await Rollout.start();
    salesUp = await rollout.up(sales, { relay: true, dnsServers: ["10.31.1.53"] });
    engUp = await rollout.up(eng, {});
    await startRelay(sales);
  });

  after(async function () {
    if (rollout) await rollout.close();
    if (sales) await destroyDepartment(sales);
    if (eng) await destroyDepartment(eng);
  });

  it("1. a LAN client gets a lease from the pool with the right router and mask, never the server's address", async () => {
    const got = await lease(sales.clients[0]!, { tool: "dhclient" });
    assert.ok(inPool(got.address, "10.31.1"), got.address);
    assert.notEqual(got.address, "10.31.1.6");
    assert.deepEqual(got.routers, ["10.31.1.1"]);
    assert.equal(got.mask, "255.255.255.0");
    assert.equal(got.serverId, "10.31.1.6");
    assert.deepEqual(got.domainNameServers, ["10.31.1.53"]);
    firstAddress = got.address;
  });

  it("2. a client on the remote network behind the router's relay gets a lease", async () => {
    const got = await lease(sales.remoteClients[0]!, { tool: "dhclient" });
    assert.ok(inPool(got.address, "10.31.2"), got.address);
    assert.deepEqual(got.routers, ["10.31.2.1"]);
    assert.equal(got.mask, "255.255.255.0");
  });

  it("3. two departments each serve only their own LAN", async () => {
    const got = await lease(eng.clients[0]!, { tool: "udhcpc" });
    assert.ok(inPool(got.address, "10.32.1"), got.address);
    assert.equal(got.serverId, "10.32.1.6");
    assert.deepEqual(got.routers, ["10.32.1.1"]);
    assert.ok(!(salesUp.props.dhcpdConf as string).includes("10.32."));
    assert.ok(!(engUp.props.dhcpdConf as string).includes("10.31."));
    assert.doesNotMatch(engUp.props.dhcpdConf as string, /10\.32\.2\.0/, "relay is off for eng: its remote network is not served");
  });

  it("4. the host gains a network: new config, container replaced, client keeps its address, leases survive", async () => {
    await addVeth(sales.host.netns, "eth1", sales.host.netns, "eth1p");
    await addAddress(sales.host.netns, "eth1", "10.31.5.6/24");
    await ipIn(sales.host.netns, ["link", "set", "eth1p", "up"]);
    await ipIn(sales.host.netns, ["link", "set", "eth1", "up"]);
    const before = salesUp;
    salesUp = await rollout.up(sales, { relay: true, dnsServers: ["10.31.1.53"] }, before);
    assert.match(salesUp.props.dhcpdConf as string, /# eth1\nsubnet 10\.31\.5\.0 netmask 255\.255\.255\.0/);
    assert.notEqual(salesUp.containerId, before.containerId, "the container was replaced");
    const docker = dockerOver(sales.host);
    const leases = await docker(["run", "--rm", "--volume", "routedhcp-sales-leases:/var/lib/dhcp", "--entrypoint", "cat", DEFAULT_IMAGE, "/var/lib/dhcp/dhcpd.leases"]);
    assert.match(leases.stdout, new RegExp(`lease ${firstAddress.replace(/\./g, "\\.")} \\{`), "the leases file survived the replacement");
    const renewed = await lease(sales.clients[0]!, { tool: "dhclient" });
    assert.equal(renewed.address, firstAddress);
    assert.equal(renewed.reason, "REBOOT");
  });

  it("5. a config that does not validate is refused before the running container is touched", async () => {
    const running = await containerId(sales.host, "routedhcp-sales");
    const { inputs } = await rollout.providerHost.check(salesUp.props, rollout.inputs(sales, { relay: true, dnsServers: ["10.31.1.53"] }));
    const broken = { ...inputs, dhcpdConf: `${inputs.dhcpdConf as string}subnet 10.31.9.0 netmask 255.255.255.0 { range 10.31.8.1 10.31.8.9; }\n` };
    await assert.rejects(rollout.providerHost.update(salesUp.id, salesUp.props, broken), /dhcpd -t refused the config[\s\S]*bad range, address 10\.31\.8\.1 not in subnet 10\.31\.9\.0/);
    assert.equal(await containerId(sales.host, "routedhcp-sales"), running);
    const got = await lease(sales.clients[1]!, { tool: "dhclient" });
    assert.ok(inPool(got.address, "10.31.1"), got.address);
  });

  it("6. an unreachable host and a wrong host key fail clearly in bounded time, nothing changed", async () => {
    const running = await containerId(sales.host, "routedhcp-sales");
    let started = Date.now();
    const unreachable = await rollout.providerHost.check(salesUp.props, rollout.inputs(sales, {}, { host: "10.31.1.99", timeoutSeconds: 3 }));
    assert.equal(unreachable.failures[0]?.property, "host");
    assert.match(unreachable.failures[0]!.reason, /^root@10\.31\.1\.99: (host unreachable|no SSH answer within 3 s)/);
    assert.ok(Date.now() - started < 8_000);
    const stranger = await generateKey();
    started = Date.now();
    const wrongKey = await rollout.providerHost.check(salesUp.props, rollout.inputs(sales, {}, { hostKey: stranger.publicKey }));
    stranger.remove();
    assert.equal(wrongKey.failures[0]?.property, "hostKey");
    assert.match(wrongKey.failures[0]!.reason, /HOST KEY MISMATCH: the host presented ssh-ed25519 SHA256:/);
    assert.ok(Date.now() - started < 8_000);
    assert.equal(await containerId(sales.host, "routedhcp-sales"), running);
  });

  it("7. dhcpd killed inside the container: the restart policy brings DHCP back", async () => {
    const docker = dockerOver(sales.host);
    const pid = (await docker(["inspect", "--format", "{{.State.Pid}}", "routedhcp-sales"])).stdout.trim();
    assert.match(pid, /^[1-9]\d*$/);
    await run(["kill", "-KILL", pid]);
    let restarts = "0";
    for (let i = 0; i < 100 && restarts === "0"; i++) {
      await new Promise((r) => setTimeout(r, 200));
      restarts = (await docker(["inspect", "--format", "{{.RestartCount}}", "routedhcp-sales"])).stdout.trim();
    }
    assert.equal(restarts, "1");
    const got = await lease(sales.clients[1]!, { tool: "udhcpc", timeoutMs: 30_000 });
    assert.ok(inPool(got.address, "10.31.1"), got.address);
  });
});
