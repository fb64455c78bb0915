// DepartmentDhcp under pulumi.runtime.setMocks: the exact inputs of every child resource, with the
// dynamic HostDhcpConfig executed inside the mock against a real lab host (its serialized provider
// deserialized and run: check, then create), and the private key kept out of everything visible.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { createDepartment, destroyDepartment, type Department } from "../../lab";
import { ensureRoutedhcpImage } from "../../lab/rollout";
import { DepartmentDhcp } from "../../sdk/departmentDhcp";
import { DYNAMIC, installMocks, MockRun, settle } from "../support/pulumiMocks";

const INDEX = 22;
const NET = `10.${INDEX}`;

describe("DepartmentDhcp with mocks @lab", function () {
  this.timeout(120_000);
  let d: Department;
  let privateKey: string;

  before(async function () {
    // With its own dockerd and the image: create validates with the image's dhcpd, as in pulumi up.
    d = await createDepartment({ name: "mock", index: INDEX, docker: true, clients: 0, remoteClients: 0 });
    await ensureRoutedhcpImage(d.host);
    privateKey = fs.readFileSync(d.host.identityFile, "utf8");
  });
  after(async function () {
    if (d) await destroyDepartment(d);
  });

  async function deploy(extra: { relay?: boolean; mode?: "rendered" | "self-configuring" } = {}) {
    const mocks: MockRun = await installMocks();
    const seen: { type: string; name: string; opts: pulumi.CustomResourceOptions }[] = [];
    const component = new DepartmentDhcp(
      "sales",
      {
        connection: { host: d.host.address, user: "root", privateKey: pulumi.secret(privateKey), hostKey: d.host.hostKey },
        options: { dnsServers: [`${NET}.1.53`], domainName: "sales.example.com" },
        ...extra,
      },
      {
        transformations: [
          (args) => {
            seen.push({ type: args.type, name: args.name, opts: args.opts as pulumi.CustomResourceOptions });
            return undefined;
          },
        ],
      },
    );
    const outputs = {
      dhcpdConf: await mocks.valueOf(component.dhcpdConf),
      subnets: await mocks.valueOf(component.subnets),
      interfaces: await mocks.valueOf(component.interfaces),
      containerName: await mocks.valueOf(component.containerName),
    };
    await settle();
    return { mocks, seen, outputs, component };
  }

  it("declares provider, image, leases volume and container with exact inputs", async () => {
    const { mocks, seen, outputs } = await deploy({ relay: true });
    assert.deepEqual(mocks.resources.map((r) => r.type).sort(), [
      "docker:index/container:Container",
      "docker:index/remoteImage:RemoteImage",
      "docker:index/volume:Volume",
      DYNAMIC,
      "pulumi:providers:docker",
      "routedhcp:index:DepartmentDhcp",
    ]);
    assert.deepEqual(mocks.byType("pulumi:providers:docker").inputs, {
      host: `ssh://root@${NET}.1.6:22`,
      sshOpts: JSON.stringify(["-o", "StrictHostKeyChecking=yes"]),
    });
    assert.deepEqual(mocks.byType("docker:index/remoteImage:RemoteImage").inputs, { name: "routedhcp/isc-dhcp:4.4.3-P1", keepLocally: true });
    assert.deepEqual(mocks.byType("docker:index/volume:Volume").inputs, { name: "routedhcp-sales-leases" });

    const container = mocks.byType("docker:index/container:Container");
    assert.deepEqual(container.inputs, {
      name: "routedhcp-sales",
      image: "sha256:0123456789abcdef",
      command: [
        "sh",
        "-c",
        'touch /var/lib/dhcp/dhcpd.leases && exec dhcpd -4 -d --no-pid -cf /etc/dhcp/dhcpd.conf -lf /var/lib/dhcp/dhcpd.leases "$@"',
        "dhcpd",
        "eth0",
      ],
      envs: [],
      networkMode: "host",
      capabilities: { adds: ["NET_ADMIN", "NET_RAW"] },
      uploads: [{ file: "/etc/dhcp/dhcpd.conf", content: outputs.dhcpdConf }],
      volumes: [{ volumeName: "routedhcp-sales-leases", containerPath: "/var/lib/dhcp" }],
      restart: "unless-stopped",
      mustRun: true,
    });
    assert.match(container.provider ?? "", /sales-docker/);

    // The rendered config came from the lab host itself, relay on: LAN and the remote network.
    assert.match(outputs.dhcpdConf, new RegExp(`subnet ${NET}\\.1\\.0 netmask 255\\.255\\.255\\.0`));
    assert.match(outputs.dhcpdConf, new RegExp(`# remote network behind eth0, reached through a DHCP relay agent\\nsubnet ${NET}\\.2\\.0`));
    assert.match(outputs.dhcpdConf, /option domain-name "sales\.example\.com";/);
    assert.deepEqual(outputs.interfaces, ["eth0"]);
    assert.equal(outputs.containerName, "routedhcp-sales");
    assert.equal(outputs.subnets.length, 2);

    // Children are parented to the component and named from its name; the container replaces
    // delete-first (port 67 on the host network), the key is a secret output.
    const children = seen.filter((s) => s.type !== "routedhcp:index:DepartmentDhcp");
    assert.deepEqual(children.map((c) => c.name).sort(), ["sales-config", "sales-dhcpd", "sales-docker", "sales-image", "sales-leases"]);
    for (const child of children) assert.ok(child.opts.parent instanceof DepartmentDhcp, `${child.name} not parented to the component`);
    assert.equal(seen.find((s) => s.name === "sales-dhcpd")!.opts.deleteBeforeReplace, true);
    assert.deepEqual(seen.find((s) => s.name === "sales-config")!.opts.additionalSecretOutputs, ["privateKey", "passphrase"]);
  });

  it("runs the serialized provider, and no serialized text, output or input of another resource holds the key", async () => {
    const { mocks, outputs } = await deploy();
    const keyBody = privateKey.split("\n")[1]!;
    const provider = mocks.providers.get("sales-config");
    assert.ok(provider !== undefined && provider.length > 1000);
    assert.ok(!provider.includes(keyBody));
    assert.ok(!JSON.stringify(outputs).includes(keyBody));
    for (const r of mocks.resources.filter((r) => r.type !== DYNAMIC)) assert.ok(!JSON.stringify(r.inputs).includes(keyBody), `${r.type} holds the key`);
  });

  it("self-configuring mode runs the image's entrypoint with the options as environment", async () => {
    const { mocks, outputs } = await deploy({ mode: "self-configuring", relay: true });
    assert.ok(!mocks.resources.some((r) => r.type === DYNAMIC));
    const container = mocks.byType("docker:index/container:Container");
    assert.deepEqual(container.inputs.command, [
      "sh",
      "-c",
      'ifaces=$(node /opt/routedhcp/dist/image/entrypoint.js) && set -- $ifaces && touch /var/lib/dhcp/dhcpd.leases && exec dhcpd -4 -d --no-pid -cf /etc/dhcp/dhcpd.conf -lf /var/lib/dhcp/dhcpd.leases "$@"',
      "dhcpd",
    ]);
    assert.deepEqual(container.inputs.envs, ["ROUTEDHCP_DNS=10.22.1.53", "ROUTEDHCP_DOMAIN=sales.example.com", "ROUTEDHCP_RELAY=true"]);
    assert.deepEqual(container.inputs.uploads, []);
    assert.equal(outputs.dhcpdConf, "");
  });

  it("the root Pulumi.yaml program builds one DepartmentDhcp from the stack's config", async () => {
    const mocks = await installMocks({ stack: "engineering" });
    pulumi.runtime.setAllConfig(
      {
        "routedhcp-department:host": d.host.address,
        "routedhcp-department:hostKey": d.host.hostKey,
        "routedhcp-department:privateKey": privateKey,
        "routedhcp-department:relay": "true",
        "routedhcp-department:options": JSON.stringify({ domainName: "eng.example.com" }),
      },
      ["routedhcp-department:privateKey"],
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require("../../stack/index") as { dhcpdConf: pulumi.Output<string>; containerName: pulumi.Output<string> };
    assert.equal(await mocks.valueOf(program.containerName), "routedhcp-engineering");
    const conf = await mocks.valueOf(program.dhcpdConf);
    assert.match(conf, /option domain-name "eng\.example\.com";/);
    assert.match(conf, new RegExp(`# remote network behind eth0, reached through a DHCP relay agent\\nsubnet ${NET}\\.2\\.0`));
    await settle();
    assert.equal(mocks.byType("pulumi:providers:docker").inputs.host, `ssh://root@${NET}.1.6:22`);
  });

  it("refuses a component without a host key", async () => {
    await installMocks();
    assert.throws(
      () => new DepartmentDhcp("nokey", { connection: { host: d.host.address, user: "root" } }),
      /DepartmentDhcp nokey: give \[connection\.hostKey\] or \[connection\.knownHosts\]; an unknown host key is never accepted/,
    );
  });
});
