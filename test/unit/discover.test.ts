// discoverSubnets on every fixture (test/fixtures/README.md's expected answers), the interface
// patterns, and the rules design.md sets against the paper's Algorithm 1, one table each.
import assert from "node:assert/strict";
import { describeDiscovery, discoverSubnets } from "../../core/discover";
import { buildDhcpConfig, discover } from "../../core/pipeline";
import { parseRouteTable } from "../../core/routeTable";
import { formatAddress } from "../../core/ipv4";
import { NothingToServeError } from "../../core/nothingToServeError";
import { OptionError } from "../../core/optionError";
import { EXPECTED_DISCOVERY } from "./support/expectedDiscovery";
import { SCENARIOS, snapshotOf } from "./support/fixtures";
import { routeTable } from "./support/routeText";

/** discover --json's shape for a table written with support/routeText's shorthand. */
const discoverTable = (...specs: string[]) => describeDiscovery(discoverSubnets(parseRouteTable(routeTable(...specs)))).subnets;

describe("discover on the kernel fixtures", () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario}: as test/fixtures/README.md expects`, () => {
      assert.deepEqual(describeDiscovery(discover(snapshotOf(scenario))), EXPECTED_DISCOVERY[scenario]);
    });
  }

  it("paper-file1: the gateway-less host routes (File 1 lines 6 and 7) are in use; the /32 via a gateway is not", () => {
    assert.deepEqual(discover(snapshotOf("paper-file1")).inUse.map(formatAddress), ["192.168.100.1", "192.168.100.6"]);
  });

  it("cloud-vm: the /32 host route to the gateway is in use, and no subnet is found", () => {
    const discovery = discover(snapshotOf("cloud-vm"));
    assert.deepEqual(discovery.inUse.map(formatAddress), ["10.128.0.1"]);
    assert.deepEqual(discovery.subnets, []);
  });

  it("without fib_trie the host's addresses are unknown (empty), the subnets the same", () => {
    const { route } = snapshotOf("two-lans");
    const json = describeDiscovery(discover({ route }));
    assert.deepEqual(json, { ...EXPECTED_DISCOVERY["two-lans"], addresses: [] });
  });
});

describe("interface patterns", () => {
  it('include "docker0" serves docker0 on paper-file1', () => {
    const json = describeDiscovery(discover(snapshotOf("paper-file1"), { includeInterfaces: ["docker0"] }));
    assert.deepEqual(json.subnets[0], { interface: "docker0", cidr: "172.17.0.0/16", kind: "lan", router: null });
    const config = buildDhcpConfig(snapshotOf("paper-file1"), { includeInterfaces: ["docker0"] });
    assert.deepEqual(config.interfaces, ["docker0", "ens34"]);
    assert.match(config.dhcpdConf, /^subnet 172\.17\.0\.0 netmask 255\.255\.0\.0 \{$/m);
  });

  it('include "br-*" and "c?i0" turn exactly those virtual-zoo interfaces into LANs', () => {
    const lans = discover(snapshotOf("virtual-zoo"), { includeInterfaces: ["br-*", "c?i0"] })
      .subnets.filter((s) => s.kind === "lan")
      .map((s) => s.iface);
    assert.deepEqual(lans, ["br-3f2a9c1d7e4b", "cni0", "eth0"]);
  });

  it('exclude "eth1" marks eth1 excluded on two-lans and drops it from the config', () => {
    const json = describeDiscovery(discover(snapshotOf("two-lans"), { excludeInterfaces: ["eth1"] }));
    assert.deepEqual(json.subnets[1], { interface: "eth1", cidr: "10.41.0.0/24", kind: "lan", router: null, excluded: true });
    assert.equal(JSON.stringify(json.subnets[1]), '{"interface":"eth1","cidr":"10.41.0.0/24","kind":"lan","router":null,"excluded":true}');
    const config = buildDhcpConfig(snapshotOf("two-lans"), { excludeInterfaces: ["eth1"] });
    assert.deepEqual(config.interfaces, ["eth0"]);
    assert.doesNotMatch(config.dhcpdConf, /eth1|10\.41\./);
  });

  it("exclude wins over include", () => {
    const docker0 = discover(snapshotOf("paper-file1"), { includeInterfaces: ["docker0"], excludeInterfaces: ["docker*"] }).subnets.find(
      (s) => s.iface === "docker0",
    );
    assert.equal(docker0?.excluded, true);
    assert.doesNotMatch(buildDhcpConfig(snapshotOf("paper-file1"), { includeInterfaces: ["docker0"], excludeInterfaces: ["docker*"] }).dhcpdConf, /docker0|172\.17\./);
  });

  const allExcluded =
    "test/fixtures/two-lans/route: nothing to serve: no LAN subnet is connected to this host; the table has only 10.40.0.0/24 on eth0 (excluded), 10.41.0.0/24 on eth1 (excluded)";
  it("excluding every LAN leaves nothing to serve, and the message names the excluded subnets", () => {
    assert.throws(
      () => buildDhcpConfig(snapshotOf("two-lans"), { excludeInterfaces: ["eth*"] }),
      (error: unknown) => error instanceof NothingToServeError && error.message.startsWith(allExcluded),
    );
  });

  // BUG (reported): core/plan.ts explainNothing appends "; its addresses (10.40.0.10, 10.41.0.10)
  // sit in no connected subnet, as on a cloud VM with a /32" whenever fib_trie gave addresses, even
  // when they do sit in connected (here excluded) subnets: the hint is false and misleads.
  it("excluding every LAN: the message does not claim a cloud-VM /32", () => {
    assert.throws(
      () => buildDhcpConfig(snapshotOf("two-lans"), { excludeInterfaces: ["eth*"] }),
      (error: unknown) => error instanceof NothingToServeError && error.message === allExcluded,
    );
  });

  const badPatterns: [string, string][] = [
    ["eth0;", '[includeInterfaces[0]] "eth0;" is not an interface name pattern (A-Z a-z 0-9 _ . - * ?)'],
    ["", '[includeInterfaces[0]] "" is not an interface name pattern (A-Z a-z 0-9 _ . - * ?)'],
    ["a234567890123456", '[includeInterfaces[0]] "a234567890123456" is not an interface name pattern (A-Z a-z 0-9 _ . - * ?)'],
  ];
  for (const [pattern, message] of badPatterns) {
    it(`include pattern ${JSON.stringify(pattern)} is refused: ${message}`, () => {
      assert.throws(() => discover(snapshotOf("two-lans"), { includeInterfaces: [pattern] }), (e: unknown) => e instanceof OptionError && e.message === message);
    });
  }
});

describe("discovery rules (design.md: where Algorithm 1 falls short)", () => {
  it("the router is the lowest-metric default of the interface, whatever the row order", () => {
    const rows = ["eth0 0.0.0.0/0 via 10.0.0.3 metric 300", "eth0 0.0.0.0/0 via 10.0.0.2 metric 20", "eth0 10.0.0.0/24", "eth0 0.0.0.0/0 via 10.0.0.1 metric 100"];
    assert.equal(discoverTable(...rows)[0]!.router, "10.0.0.2");
    assert.equal(discoverTable(...[...rows].reverse())[0]!.router, "10.0.0.2");
  });

  it("a static route after the default does not change the router (the paper's overwrite)", () => {
    assert.deepEqual(discoverTable("eth0 0.0.0.0/0 via 10.0.0.1", "eth0 10.0.0.0/24", "eth0 10.9.0.0/16 via 10.0.0.254"), [
      { interface: "eth0", cidr: "10.0.0.0/24", kind: "lan", router: "10.0.0.1" },
      { interface: "eth0", cidr: "10.9.0.0/16", kind: "remote", router: null, via: "10.0.0.254" },
    ]);
  });

  it("another interface's default gateway is never this interface's router", () => {
    assert.deepEqual(discoverTable("eth1 0.0.0.0/0 via 10.0.0.1", "eth0 10.0.0.0/24")[0]!.router, null);
  });

  // Code and the brief: the lowest-metric default *among those inside the subnet*. The README's
  // wording ("the lowest-metric default ..., and only if it lies inside") would give null here.
  it("with two subnets on one interface each takes the lowest-metric default inside it", () => {
    const subnets = discoverTable("eth0 0.0.0.0/0 via 10.50.0.1 metric 100", "eth0 0.0.0.0/0 via 10.51.0.1 metric 200", "eth0 10.50.0.0/24", "eth0 10.51.0.0/24");
    assert.deepEqual(subnets.map((s) => s.router), ["10.50.0.1", "10.51.0.1"]);
  });

  it("two remote routes to one network: the lower metric's gateway, whatever the order", () => {
    const rows = ["eth0 10.0.0.0/24", "eth0 10.9.0.0/16 via 10.0.0.7 metric 50", "eth0 10.9.0.0/16 via 10.0.0.8 metric 10"];
    assert.equal(discoverTable(...rows)[1]!.via, "10.0.0.8");
    assert.equal(discoverTable(...[...rows].reverse())[1]!.via, "10.0.0.8");
  });

  const ignored: [string, string][] = [
    ["a route without RTF_UP", "eth1 10.1.0.0/24 flags 0000"],
    ["a reject route on a device", "eth1 10.1.0.0/24 flags 0201"],
    ["a blackhole (Iface *, Flags 0001)", "* 10.1.0.0/16 flags 0001"],
    ["a host route via a gateway", "eth0 10.200.70.35/32 via 10.0.0.1 metric 100"],
    ["a gateway route into the host's own network", "eth0 10.0.0.128/25 via 10.0.0.1"],
    ["a gateway-less host route", "eth0 10.0.0.9/32"],
  ];
  for (const [name, spec] of ignored) {
    it(`${name} is no subnet: ${spec}`, () => {
      assert.deepEqual(discoverTable("eth0 10.0.0.0/24", spec), [{ interface: "eth0", cidr: "10.0.0.0/24", kind: "lan", router: null }]);
    });
  }

  it("a gateway route through a virtual interface is virtual, not remote", () => {
    assert.deepEqual(discoverTable("eth0 10.0.0.0/24", "wg0 10.66.0.0/24", "wg0 10.67.0.0/16 via 10.66.0.2")[2], {
      interface: "wg0", cidr: "10.67.0.0/16", kind: "virtual", router: null, via: "10.66.0.2",
    });
  });

  // BUG (reported): a default route without a gateway ("default dev ppp0", PPPoE; "default dev eth0"
  // for proxy ARP) is not a connected subnet, but core/discover.ts takes every gateway-less route
  // as one: it returns 0.0.0.0/0 as a LAN and planPools serves "subnet 0.0.0.0 netmask 0.0.0.0"
  // with "range 255.254.255.255 255.255.255.254". It also hides every remote network (all overlap 0/0).
  it("a gateway-less default route (default dev ppp0) is no subnet", () => {
    assert.deepEqual(discoverTable("ppp0 0.0.0.0/0", "eth0 10.0.0.0/24"), [{ interface: "eth0", cidr: "10.0.0.0/24", kind: "lan", router: null }]);
  });
});

describe("shared-network (fixture shared-network)", () => {
  it("two subnets on eth0 render as one shared-network block named after the interface", () => {
    const config = buildDhcpConfig(snapshotOf("shared-network"));
    assert.deepEqual(config.interfaces, ["eth0"]);
    const block = config.dhcpdConf.slice(config.dhcpdConf.indexOf("shared-network"));
    assert.equal(
      block,
      [
        'shared-network "eth0" {',
        "  subnet 10.50.0.0 netmask 255.255.255.0 {",
        "    range 10.50.0.128 10.50.0.254;",
        "    option routers 10.50.0.1;",
        "    option subnet-mask 255.255.255.0;",
        "    option broadcast-address 10.50.0.255;",
        "  }",
        "",
        "  subnet 10.51.0.0 netmask 255.255.255.0 {",
        "    range 10.51.0.128 10.51.0.254;",
        "    option subnet-mask 255.255.255.0;",
        "    option broadcast-address 10.51.0.255;",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });
});
