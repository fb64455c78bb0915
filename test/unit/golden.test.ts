// Rendered dhcpd.conf compared whole against test/golden (style.md: golden files for rendered
// configs), each golden file validated by the real ISC dhcpd (`dhcpd -t`), and rendering twice
// giving the same bytes. UPDATE_GOLDEN=1 rewrites the files; review the diff before committing.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildDhcpConfig } from "../../core/pipeline";
import { checkWithLocalDhcpd } from "../../io/checkConfig";
import { GOLDEN, readFixture, snapshotOf } from "./support/fixtures";
import { DHCPD, GOLDEN_CASES } from "./support/goldenCases";

const update = process.env.UPDATE_GOLDEN === "1";

describe("golden dhcpd.conf files", function () {
  this.timeout(60_000);

  for (const { file, scenario, options } of GOLDEN_CASES) {
    describe(file, () => {
      it(`equals the rendering of ${scenario}${Object.keys(options).length > 0 ? " with options" : ""}`, () => {
        const rendered = buildDhcpConfig(snapshotOf(scenario), options).dhcpdConf;
        if (update) writeFileSync(join(GOLDEN, file), rendered);
        assert.equal(rendered, readFileSync(join(GOLDEN, file), "utf8"));
      });

      it("passes the real dhcpd -t", async () => {
        const result = await checkWithLocalDhcpd(readFileSync(join(GOLDEN, file), "utf8"), DHCPD);
        assert.deepEqual(result, { ok: true, message: "" });
      });

      it("renders to the same bytes twice, also from a fresh copy of the text", () => {
        const first = buildDhcpConfig(snapshotOf(scenario), options).dhcpdConf;
        const { route, fibTrie } = readFixture(scenario);
        const second = buildDhcpConfig({ route: { text: `${route}`, source: "again" }, fibTrie: { text: `${fibTrie}`, source: "again" } }, options).dhcpdConf;
        assert.equal(Buffer.compare(Buffer.from(first), Buffer.from(second)), 0);
      });
    });
  }

});

// After the cases above: mocha runs a suite's own tests before its nested suites.
describe("golden dhcpd.conf files: the set", () => {
  it("test/golden holds exactly the files of these cases", () => {
    assert.deepEqual(readdirSync(GOLDEN).sort(), GOLDEN_CASES.map((c) => c.file).sort());
  });

  it("the all-options file says what each option asked for", () => {
    const text = readFileSync(join(GOLDEN, "virtual-zoo.all-options.conf"), "utf8");
    for (const line of [
      "default-lease-time 3600;",
      "max-lease-time 86400;",
      "ping-check false;",
      'option domain-name "dept.example.com";',
      "option domain-name-servers 10.60.0.1, 192.0.2.53;",
      "# dhcpd listens on: docker0 eth0",
      // 50-99 and 90-120 merged, minus the excluded 60-64 and 100 and the reservation .70
      "  range 10.60.0.50 10.60.0.59;\n  range 10.60.0.65 10.60.0.69;\n  range 10.60.0.71 10.60.0.99;\n  range 10.60.0.101 10.60.0.120;\n  range 10.60.0.200 10.60.0.200;",
      "  host printer-2f {\n    hardware ethernet 52:54:00:ab:cd:ef;\n    fixed-address 172.17.0.10;\n  }",
      "  host host-525400123456 {\n    hardware ethernet 52:54:00:12:34:56;\n    fixed-address 10.60.0.20;\n  }",
    ]) {
      assert.ok(text.includes(line), `has ${JSON.stringify(line)}`);
    }
    assert.doesNotMatch(text, /wg0|10\.66\.|172\.17\.200\./);
  });
});
