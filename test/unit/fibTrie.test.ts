// parseFibTrie: the host's own addresses are the "/32 host LOCAL" leaves (test/fixtures/README.md).
import assert from "node:assert/strict";
import { parseFibTrie } from "../../core/fibTrie";
import { formatAddress } from "../../core/ipv4";
import { readFixture, Scenario } from "./support/fixtures";

const addresses = (text: string) => parseFibTrie(text).map(formatAddress);

describe("parseFibTrie", () => {
  const cases: [Scenario, string[]][] = [
    // 192.168.100.6 carries /32 host LOCAL and /32 link UNICAST (the host route)
    ["paper-file1", ["172.17.0.1", "192.168.100.6"]],
    // the /31's 10.81.0.0 carries /32 host LOCAL and /31 link UNICAST
    ["small-subnets", ["10.80.0.1", "10.81.0.0", "10.82.0.1"]],
    // a /32 on its own; no connected route, still the host's address
    ["cloud-vm", ["10.128.0.5"]],
    // UNREACHABLE, PROHIBIT, BLACKHOLE and THROW leaves are no addresses
    ["reject-routes", ["10.70.0.10"]],
  ];
  for (const [scenario, expected] of cases) {
    it(`${scenario}: ${expected.join(", ")}; loopback left out, Main/Local duplicates merged`, () => {
      assert.deepEqual(addresses(readFixture(scenario).fibTrie), expected);
    });
  }

  it("127.0.0.0 /8 host LOCAL is no host address and neither is any 127/8 /32", () => {
    assert.deepEqual(addresses("Local:\n  |-- 127.0.0.0\n     /8 host LOCAL\n  |-- 127.0.1.1\n     /32 host LOCAL\n"), []);
  });

  it("only /32 host LOCAL counts: link UNICAST, BROADCAST and /24 host LOCAL do not", () => {
    const text = [
      "Main:",
      "  |-- 10.1.0.0", "     /24 host LOCAL",
      "  |-- 10.1.0.5", "     /32 link UNICAST",
      "  |-- 10.1.0.255", "     /32 link BROADCAST",
      "  |-- 10.1.0.9", "     /32 link UNICAST", "     /32 host LOCAL",
    ].join("\n");
    assert.deepEqual(addresses(text), ["10.1.0.9"]);
  });

  // BUG (reported): the kernel heads every table other than main and local with "Id %d:"
  // (net/ipv4/fib_trie.c, fib_table_print), as on any host with an `ip rule` table (wg-quick's
  // 51820). core/fibTrie.ts accepts only /^[A-Za-z0-9_]+:$/ and throws
  // `"Id 100:" is neither a table heading, a node, a leaf nor a route`, so such a host cannot be read.
  it("a policy-routing table section (\"Id 100:\") is a table heading", () => {
    const text = [
      "Id 100:", "  +-- 0.0.0.0/0 2 0 2", "     |-- 0.0.0.0", "        /0 universe UNICAST",
      "Main:", "  |-- 10.2.0.1", "     /32 host LOCAL",
    ].join("\n");
    assert.deepEqual(addresses(text), ["10.2.0.1"]);
  });

  it("CRLF and an empty file", () => {
    assert.deepEqual(addresses(readFixture("two-lans").fibTrie.replace(/\n/g, "\r\n")), ["10.40.0.10", "10.41.0.10"]);
    assert.deepEqual(addresses(""), []);
  });
});
