// HostDhcpConfig through the real dynamic-provider host of @pulumi/pulumi (gRPC, as the engine
// drives it), against a real sshd on a lab host: Check/Diff/Create/Update/Read/Delete, a route
// change, and the failures a user meets (wrong host key, refused auth, unreachable host).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { createDepartment, destroyDepartment, type Department } from "../../lab";
import { addAddress, addVeth, ipIn } from "../../lab/netns";
import { hostConfigProvider } from "../../provider/hostConfigProvider";
import { fingerprint, parsePublicKeyLine } from "../../io/hostKeys";
import { ProviderHost, Props, serializeProvider, startProviderHost } from "../../lab/providerHost";
import { generateKey } from "../support/sshKeys";

const INDEX = 21;
const NET = `10.${INDEX}`;

describe("HostDhcpConfig through the dynamic-provider host @lab", function () {
  this.timeout(120_000);
  let d: Department;
  let host: ProviderHost;
  let provider: string;
  let privateKey: string;
  let news: Props;
  let created: { id: string; properties: Props };

  before(async function () {
    d = await createDepartment({ name: "prov", index: INDEX, docker: false, clients: 0, remoteClients: 0 });
    host = await startProviderHost();
    await host.configure();
    provider = await serializeProvider(hostConfigProvider);
    privateKey = fs.readFileSync(d.host.identityFile, "utf8");
    news = {
      __provider: provider,
      host: d.host.address,
      port: d.host.port,
      user: "root",
      privateKey,
      hostKey: d.host.hostKey,
      options: { dnsServers: [`${NET}.1.53`] },
      validate: "host",
      timeoutSeconds: 10,
    };
  });

  after(async function () {
    if (host) {
      await host.close();
      // The private key never reaches a log: not the provider host's stdout or stderr.
      const keyBody = privateKey.split("\n")[1]!;
      assert.ok(!host.stderr().includes(keyBody) && !host.stdout().includes(keyBody), "private key in the provider host's output");
    }
    if (d) await destroyDepartment(d);
  });

  it("check reads the host over SSH and renders the config that preview shows", async () => {
    const { inputs, failures } = await host.check({}, news);
    assert.deepEqual(failures, []);
    assert.match(inputs.dhcpdConf as string, new RegExp(`subnet ${NET}\\.1\\.0 netmask 255\\.255\\.255\\.0 \\{\\n  range ${NET}\\.1\\.128 ${NET}\\.1\\.254;\\n  option routers ${NET}\\.1\\.1;`));
    assert.match(inputs.dhcpdConf as string, new RegExp(`option domain-name-servers ${NET}\\.1\\.53;`));
    assert.deepEqual(inputs.interfaces, ["eth0"]);
    assert.deepEqual(inputs.subnets, [
      { interface: "eth0", cidr: `${NET}.1.0/24`, kind: "lan", router: `${NET}.1.1` },
      { interface: "eth0", cidr: `${NET}.2.0/24`, kind: "remote", router: null, via: `${NET}.1.1` },
    ]);
    assert.deepEqual(inputs.addresses, [`${NET}.1.6`]);
    assert.match(inputs.routeTable as string, /^Iface\tDestination\tGateway/);
    assert.equal(inputs.hostKeyFingerprint, fingerprint(parsePublicKeyLine(d.host.hostKey).blob));
    // The serialized provider carries code, never the key.
    assert.ok(!provider.includes(privateKey.split("\n")[1]!));
  });

  it("create validates with dhcpd on the host and stores the rendered config", async () => {
    const { inputs } = await host.check({}, news);
    created = await host.create(inputs);
    assert.equal(created.id, `root@${NET}.1.6:22`);
    assert.equal(created.properties.dhcpdConf, inputs.dhcpdConf);
  });

  it("an unchanged host gives no change", async () => {
    const { inputs } = await host.check(created.properties, news);
    const diff = await host.diff(created.id, created.properties, inputs);
    assert.deepEqual(diff, { changes: "none", replaces: [] });
  });

  it("a network added on the host changes the config: diff reports it, update and read carry it", async () => {
    await addVeth(d.host.netns, "eth1", d.host.netns, "eth1p");
    await addAddress(d.host.netns, "eth1", `${NET}.5.6/24`);
    await ipIn(d.host.netns, ["link", "set", "eth1p", "up"]);
    await ipIn(d.host.netns, ["link", "set", "eth1", "up"]);
    const { inputs } = await host.check(created.properties, news);
    assert.match(inputs.dhcpdConf as string, new RegExp(`# eth1\\nsubnet ${NET}\\.5\\.0 netmask 255\\.255\\.255\\.0 \\{\\n  range ${NET}\\.5\\.128 ${NET}\\.5\\.254;`));
    assert.deepEqual(inputs.interfaces, ["eth0", "eth1"]);
    const diff = await host.diff(created.id, created.properties, inputs);
    assert.deepEqual(diff, { changes: "some", replaces: [] });

    const updated = await host.update(created.id, created.properties, inputs);
    assert.equal(updated.dhcpdConf, inputs.dhcpdConf);
    const refreshed = await host.read(created.id, updated);
    assert.equal(refreshed.id, created.id);
    assert.equal(refreshed.properties.dhcpdConf, inputs.dhcpdConf);
    created = { id: created.id, properties: updated };
  });

  it("refuses a config dhcpd rejects, with dhcpd's own message, before anything changes", async () => {
    const { inputs } = await host.check(created.properties, news);
    const broken = { ...inputs, dhcpdConf: `${inputs.dhcpdConf as string}subnet ${NET}.9.0 netmask 255.255.255.0 { range ${NET}.8.1 ${NET}.8.9; }\n` };
    await assert.rejects(host.update(created.id, created.properties, broken), (error: Error) => {
      assert.match(error.message, /dhcpd -t refused the config for root@10\.21\.1\.6; nothing on the host was changed/);
      assert.match(error.message, /bad range, address 10\.21\.8\.1 not in subnet 10\.21\.9\.0 netmask 255\.255\.255\.0/);
      return true;
    });
  });

  it("delete succeeds (the config is data)", async () => {
    await host.delete(created.id, created.properties);
  });

  it("a wrong host key is refused with the fingerprint seen, in bounded time", async () => {
    const other = await generateKey();
    const started = Date.now();
    const { failures } = await host.check({}, { ...news, hostKey: other.publicKey });
    const seen = fingerprint(parsePublicKeyLine(d.host.hostKey).blob);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.property, "hostKey");
    assert.match(failures[0]!.reason, new RegExp(`^root@${NET}\\.1\\.6: HOST KEY MISMATCH: the host presented ssh-ed25519 ${seen.replace(/[+/]/g, "\\$&")}, but the pinned host key has SHA256:`));
    assert.ok(Date.now() - started < 10_000);
    other.remove();
  });

  it("refused authentication is reported without the key", async () => {
    const stranger = await generateKey();
    const { failures } = await host.check({}, { ...news, privateKey: stranger.privateKey });
    assert.deepEqual(failures, [{ property: "user", reason: `root@${NET}.1.6: authentication refused: the server accepted none of the offered keys for this user` }]);
    assert.ok(!JSON.stringify(failures).includes(stranger.privateKey.split("\n")[1]!));
    stranger.remove();
  });

  it("an unreachable host fails within the timeout", async () => {
    const started = Date.now();
    const { failures } = await host.check({}, { ...news, host: `${NET}.1.99`, timeoutSeconds: 3 });
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.property, "host");
    assert.match(failures[0]!.reason, new RegExp(`^root@${NET}\\.1\\.99: (host unreachable \\(no route to it\\)|no SSH answer within 3 s \\(host down or unreachable\\?\\))$`));
    assert.ok(Date.now() - started < 8_000, `took ${Date.now() - started} ms`);
  });

  it("sshd refusing the port is reported as such", async () => {
    const { failures } = await host.check({}, { ...news, port: 2222 });
    assert.deepEqual(failures, [{ property: "host", reason: `root@${NET}.1.6:2222: connection refused (is sshd listening on that port?)` }]);
  });
});
