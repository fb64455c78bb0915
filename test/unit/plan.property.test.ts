// Properties of the whole pipeline on generated hosts (support/genHost.ts): the route table and
// fib_trie as the kernel writes them, through parse -> discover -> plan -> render, checked on the
// rendered dhcpd.conf itself (style.md: "pool inside subnet, never the host's or router's address,
// deterministic"). A sample goes through the real dhcpd -t.
import assert from "node:assert/strict";
import fc from "fast-check";
import { buildDhcpConfig, DhcpConfig } from "../../core/pipeline";
import { broadcastOf, contains, formatAddress, formatCidr, parseAddress } from "../../core/ipv4";
import { checkWithLocalDhcpd } from "../../io/checkConfig";
import { GenHost, hostArbitrary, reorder } from "./support/genHost";
import { DHCPD } from "./support/goldenCases";
import { readConf } from "./support/readConf";
import { formatRouteTable, RouteRow } from "./support/routeText";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

function build(host: GenHost, rows: readonly RouteRow[] = host.rows): DhcpConfig {
  return buildDhcpConfig({ route: { text: formatRouteTable(rows), source: "generated" }, fibTrie: { text: host.fibTrie, source: "generated" } }, host.options);
}

/** The router design.md asks for: the lowest-metric default of the interface inside the subnet, the first such row on a tie. */
function expectedRouter(host: GenHost, s: { iface: string; network: number; prefix: number }): number | null {
  let best: RouteRow | null = null;
  for (const r of host.rows) {
    if (r.iface === s.iface && r.prefix === 0 && (r.flags & 0x2) !== 0 && contains(s.network, s.prefix, r.gateway) && (best === null || r.metric < best.metric)) best = r;
  }
  return best?.gateway ?? null;
}

const rangeOf = (text: string): [number, number] => {
  const [a, b] = text.split("-");
  return [parseAddress(a!), parseAddress(b ?? a!)];
};
const show = (r: [number, number]) => `${formatAddress(r[0])}-${formatAddress(r[1])}`;

/** A tuple of a host and a permutation of its rows. */
const hostAndPermutation = hostArbitrary.chain((host) =>
  fc.tuple(fc.constant(host), fc.shuffledSubarray(host.rows.map((_, i) => i), { minLength: host.rows.length, maxLength: host.rows.length })),
);

describe("plan properties on generated route tables", function () {
  this.timeout(120_000);

  it("declares exactly the physical subnets (and, with relay, the remote ones); virtual interfaces never appear", () => {
    fc.assert(
      fc.property(hostArbitrary, (host) => {
        const config = build(host);
        const conf = readConf(config.dhcpdConf);
        const physical = host.subnets.filter((s) => !s.virtual);
        // a remote network is served (with relay) when its lowest-metric route leaves through a physical interface
        const best = new Map<string, GenHost["remotes"][number]>();
        for (const r of host.remotes) {
          const seen = best.get(formatCidr(r.network, r.prefix));
          if (seen === undefined || r.metric < seen.metric) best.set(formatCidr(r.network, r.prefix), r);
        }
        const remote = host.options.relay ? [...best.values()].filter((r) => !host.subnets.find((s) => s.iface === r.iface)!.virtual) : [];
        const declared = conf.subnets.map((s) => formatCidr(s.network, s.prefix)).sort();
        assert.deepEqual(declared, [...new Set([...physical, ...remote].map((s) => formatCidr(s.network, s.prefix)))].sort());
        const listen = [...new Set(physical.map((s) => s.iface))].sort();
        assert.deepEqual(config.interfaces, listen);
        assert.deepEqual(conf.listen, listen);
        for (const s of host.subnets.filter((x) => x.virtual)) {
          assert.ok(!conf.words.has(s.iface), `${s.iface} appears in the config`);
          assert.ok(!config.interfaces.includes(s.iface));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("every range lies in its subnet's usable addresses, sorted, disjoint, and misses every address it must", () => {
    fc.assert(
      fc.property(hostArbitrary, (host) => {
        const conf = readConf(build(host).dhcpdConf);
        const reserved = host.options.reservations.map((r) => parseAddress(r.address));
        const never: [string, [number, number]][] = [
          ...host.hostAddresses.map((a): [string, [number, number]] => ["host address", [a, a]]),
          ...host.inUse.map((a): [string, [number, number]] => ["address in use", [a, a]]),
          ...reserved.map((a): [string, [number, number]] => ["reserved address", [a, a]]),
          ...host.options.excludeAddresses.map((e): [string, [number, number]] => ["excluded address", rangeOf(e)]),
        ];
        for (const s of conf.subnets) {
          const cidr = formatCidr(s.network, s.prefix);
          const broadcast = broadcastOf(s.network, s.prefix);
          const own: [string, [number, number]][] = [["network", [s.network, s.network]], ["broadcast", [broadcast, broadcast]]];
          if (s.router !== null) own.push(["router", [s.router, s.router]]);
          s.ranges.forEach((r, i) => {
            assert.ok(s.network < r[0] && r[0] <= r[1] && r[1] < broadcast, `${show(r)} within the usable addresses of ${cidr}`);
            if (i > 0) assert.ok(s.ranges[i - 1]![1] < r[0], `${cidr}: ranges sorted and disjoint`);
            for (const [what, [a, b]] of [...own, ...never]) {
              assert.ok(b < r[0] || a > r[1], `${cidr}: range ${show(r)} holds the ${what} ${show([a, b])}`);
            }
          });
          for (const f of s.fixed) assert.ok(contains(s.network, s.prefix, f), `fixed-address ${formatAddress(f)} in ${cidr}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("the router of each LAN is the interface's lowest-metric default gateway inside it; a remote one's is its first address", () => {
    fc.assert(
      fc.property(hostArbitrary, (host) => {
        const conf = readConf(build(host).dhcpdConf);
        for (const s of conf.subnets) {
          const lan = host.subnets.find((x) => x.network === s.network && x.prefix === s.prefix);
          const expected = lan !== undefined ? expectedRouter(host, lan) : s.network + 1;
          assert.equal(s.router === null ? null : formatAddress(s.router), expected === null ? null : formatAddress(expected), formatCidr(s.network, s.prefix));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("is deterministic: the same table twice, and rows in any order the kernel cannot tell apart, give the same bytes", () => {
    fc.assert(
      fc.property(hostAndPermutation, ([host, permutation]) => {
        const first = build(host).dhcpdConf;
        assert.equal(build(host).dhcpdConf, first);
        assert.equal(build(host, reorder(host.rows, permutation)).dhcpdConf, first);
      }),
      { numRuns: RUNS },
    );
  });

  it("a sample of 25 generated configs passes the real dhcpd -t", async () => {
    await fc.assert(
      fc.asyncProperty(hostArbitrary, async (host) => {
        const conf = build(host).dhcpdConf;
        const result = await checkWithLocalDhcpd(conf, DHCPD);
        assert.ok(result.ok, `dhcpd -t: ${result.message.slice(0, 500)}\n${conf}`);
      }),
      { numRuns: 25 },
    );
  });
});
