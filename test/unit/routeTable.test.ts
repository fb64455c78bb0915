// parseRouteTable on the kernel-made fixtures (test/fixtures/README.md) and on the same text in
// the shapes a copy can take on its way here (padding lost, CRLF, lowercase hex).
import assert from "node:assert/strict";
import { parseRouteTable, Route } from "../../core/routeTable";
import { ip } from "./support/routeText";
import { readFixture, SCENARIOS, Scenario } from "./support/fixtures";

/** A row as the parser returns it, written with dotted addresses. */
function row(line: number, iface: string | null, destination: string, prefix: number, gateway: string, flags: number, metric: number): Route {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { iface, destination: ip(destination), gateway: ip(gateway), flags, metric, mask, prefix, line };
}

const parse = (scenario: Scenario) => parseRouteTable(readFixture(scenario).route, `test/fixtures/${scenario}/route`);

describe("parseRouteTable on the kernel fixtures", () => {
  it("paper-file1: File 1 of the paper, row by row", () => {
    assert.deepEqual(parse("paper-file1"), [
      row(2, "ens34", "0.0.0.0", 0, "192.168.100.1", 0x0003, 100),
      row(3, "ens34", "10.200.70.35", 32, "192.168.100.1", 0x0007, 100),
      row(4, "docker0", "172.17.0.0", 16, "0.0.0.0", 0x0001, 0),
      row(5, "ens34", "192.168.100.0", 24, "0.0.0.0", 0x0001, 100),
      // "0164A8C0" is 192.168.100.1: the bytes are printed little-endian
      row(6, "ens34", "192.168.100.1", 32, "0.0.0.0", 0x0005, 100),
      row(7, "ens34", "192.168.100.6", 32, "0.0.0.0", 0x0005, 100),
    ]);
  });

  it("reject-routes: Iface * is null; unreachable/prohibit carry 0201, blackhole/throw 0001", () => {
    assert.deepEqual(parse("reject-routes").slice(2), [
      row(4, null, "10.71.0.0", 16, "0.0.0.0", 0x0201, 0),
      row(5, null, "10.72.0.0", 16, "0.0.0.0", 0x0201, 0),
      row(6, null, "10.73.0.0", 16, "0.0.0.0", 0x0001, 0),
      row(7, null, "10.74.0.0", 16, "0.0.0.0", 0x0001, 0),
    ]);
  });

  it("default-metrics: three default routes in metric order 50, 100, 200", () => {
    const defaults = parse("default-metrics").filter((r) => r.prefix === 0);
    assert.deepEqual(defaults, [
      row(2, "eth0", "0.0.0.0", 0, "10.30.0.2", 0x0003, 50),
      row(3, "eth1", "0.0.0.0", 0, "10.31.0.1", 0x0003, 100),
      row(4, "eth0", "0.0.0.0", 0, "10.30.0.1", 0x0003, 200),
    ]);
  });

  it("small-subnets: /30, /31 and /29 masks", () => {
    assert.deepEqual(parse("small-subnets").slice(1), [
      row(3, "eth0", "10.80.0.0", 30, "0.0.0.0", 0x0001, 0),
      row(4, "eth1", "10.81.0.0", 31, "0.0.0.0", 0x0001, 0),
      row(5, "eth2", "10.82.0.0", 29, "0.0.0.0", 0x0001, 0),
    ]);
  });

  it("static-after-default: the static route comes after the default", () => {
    assert.deepEqual(parse("static-after-default"), [
      row(2, "eth0", "0.0.0.0", 0, "10.20.0.1", 0x0003, 0),
      row(3, "eth0", "10.20.0.0", 24, "0.0.0.0", 0x0001, 0),
      row(4, "eth0", "10.99.0.0", 16, "10.20.0.254", 0x0003, 0),
    ]);
  });

  it("virtual-zoo: names with dots and dashes, a 15-character name, trie order by destination", () => {
    const routes = parse("virtual-zoo");
    assert.deepEqual(
      routes.map((r) => r.iface),
      ["eth0", "lxcbr0", "tun0", "eth0", "wg0", "podman0", "cni0", "flannel.1", "cali1a2b3c4d5e6", "vxlan.calico", "veth1234abc", "docker0", "br-3f2a9c1d7e4b", "virbr0"],
    );
    assert.deepEqual(routes[12], row(14, "br-3f2a9c1d7e4b", "172.18.0.0", 16, "0.0.0.0", 0x0001, 0));
  });

  const rowCounts: [Scenario, number][] = [
    ["paper-file1", 6], ["remote-network", 3], ["static-after-default", 3], ["default-metrics", 5],
    ["two-lans", 3], ["shared-network", 3], ["virtual-zoo", 14], ["reject-routes", 6],
    ["cloud-vm", 2], ["small-subnets", 4], ["carrier-down", 3], ["no-default", 1],
  ];
  for (const [scenario, count] of rowCounts) {
    it(`${scenario}: ${count} rows, every line padded to 127 characters as the kernel writes it`, () => {
      const text = readFixture(scenario).route;
      const lines = text.split("\n");
      assert.equal(lines.pop(), "", "the file ends with a newline");
      assert.deepEqual(new Set(lines.map((l) => l.length)), new Set([127]));
      const routes = parse(scenario);
      assert.equal(routes.length, count);
      assert.deepEqual(routes.map((r) => r.line), Array.from({ length: count }, (_, i) => i + 2));
    });
  }
  it("the table of row counts names every scenario", () => {
    assert.deepEqual(rowCounts.map(([s]) => s), [...SCENARIOS]);
  });
});

describe("parseRouteTable on copies of the text", () => {
  const variants: [string, (text: string) => string][] = [
    ["the padding stripped", (t) => t.replace(/ +\n/g, "\n")],
    ["CRLF line ends", (t) => t.replace(/\n/g, "\r\n")],
    ["CRLF after the padding is stripped", (t) => t.replace(/ +\n/g, "\r\n")],
    ["lowercase hex", (t) => t.replace(/[0-9A-F]{8}|\t[0-9A-F]{4}\t/g, (m) => m.toLowerCase())],
    ["no newline at the end", (t) => t.replace(/\s+$/, "")],
    ["spaces instead of tabs", (t) => t.replace(/\t+/g, "   ")],
    ["leading blanks on every line", (t) => t.replace(/^/gm, "  \t")],
  ];
  for (const [name, transform] of variants) {
    it(`${name}: every fixture parses to the same routes`, () => {
      for (const scenario of SCENARIOS) {
        const original = parse(scenario);
        const copy = transform(readFixture(scenario).route);
        assert.notEqual(copy, readFixture(scenario).route, `${name} changes ${scenario}`);
        assert.deepEqual(parseRouteTable(copy, "copy"), original, scenario);
      }
    });
  }

  it("blank lines in between are skipped and line numbers still count them", () => {
    const text = readFixture("two-lans").route.replace(/\n/g, "\n\n");
    assert.deepEqual(parseRouteTable(text).map((r) => r.line), [3, 5, 7]);
  });

  it("a metric above 2^31 (printed by the kernel with %d, so negative) reads as the u32", () => {
    const text = readFixture("no-default").route.replace("\t0\t0\t0\t00FFFFFF", "\t0\t0\t-1\t00FFFFFF");
    assert.equal(parseRouteTable(text)[0]!.metric, 0xffffffff);
  });

  it("a header alone is an empty table", () => {
    assert.deepEqual(parseRouteTable(readFixture("no-default").route.split("\n")[0]!), []);
  });
});
