// The self-configuring image's start, run as the image runs it (node dist/image/entrypoint.js), on
// proc directories made from the kernel fixtures, validating with the real ISC dhcpd: exact exit
// status, stdout (the interfaces for dhcpd's command line), stderr (the config, or one line saying
// why not) and the config file it writes. The same entrypoint in a real container: test/lab/imageMode.test.ts.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDhcpConfig } from "../../core/pipeline";
import type { PlanOptions } from "../../core/options";
import { optionsToEnv } from "../../image/optionsEnv";
import { GOLDEN, makeFixtureProcDir, makeProcDir, makeTempRoot, MALFORMED, removeTempRoot, ROOT, Scenario, snapshotOf, writeTempFile } from "./support/fixtures";
import { ALL_OPTIONS, DHCPD } from "./support/goldenCases";

const ENTRYPOINT = join(ROOT, "dist", "image", "entrypoint.js");

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The config file's text, or null when none was written. */
  readonly conf: string | null;
}

describe("image entrypoint (node dist/image/entrypoint.js)", function () {
  this.timeout(60_000);
  let root: string | undefined;
  let runs = 0;

  before(async () => {
    root = await makeTempRoot();
  });
  after(() => removeTempRoot(root));

  /** Runs the entrypoint on DIR (a proc directory) with only the given ROUTEDHCP_* variables set. */
  const entrypoint = async (proc: string, vars: NodeJS.ProcessEnv = {}): Promise<Run> => {
    const conf = join(root!, `dhcpd-${++runs}.conf`);
    const env = { PATH: process.env.PATH, ROUTEDHCP_PROC: proc, ROUTEDHCP_CONF: conf, ROUTEDHCP_DHCPD: DHCPD, ...vars };
    const result = await new Promise<Omit<Run, "conf">>((resolve, reject) => {
      const child = spawn(process.execPath, [ENTRYPOINT], { env, stdio: ["ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (b: Buffer) => out.push(b));
      child.stderr.on("data", (b: Buffer) => err.push(b));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
    });
    return { ...result, conf: existsSync(conf) ? readFileSync(conf, "utf8") : null };
  };
  const fixture = (scenario: Scenario) => makeFixtureProcDir(root!, scenario);
  const envOf = (options: PlanOptions) => Object.fromEntries(optionsToEnv(options).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  /** What the entrypoint must say about a config it wrote. */
  const configured = (proc: string, conf: string, interfaces: string) =>
    `routedhcp: configured from ${proc}/net/route; dhcpd listens on ${interfaces}; dhcpd.conf:\n${conf}`;

  it("paper-file1: exit 0, the interfaces on stdout, the rendered config written and in the log", async () => {
    const proc = await fixture("paper-file1");
    const run = await entrypoint(proc);
    const expected = buildDhcpConfig(snapshotOf("paper-file1")).dhcpdConf;
    assert.deepEqual(run, { code: 0, stdout: "ens34\n", stderr: configured(proc, expected, "ens34"), conf: expected });
    assert.equal(run.conf, readFileSync(join(GOLDEN, "paper-file1.conf"), "utf8"));
  });

  it("two-lans: every interface on stdout, space separated, for `set -- $ifaces`", async () => {
    const run = await entrypoint(await fixture("two-lans"));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "eth0 eth1\n");
    assert.equal(run.conf, buildDhcpConfig(snapshotOf("two-lans")).dhcpdConf);
  });

  it("cloud-vm: exit 1 with one line saying there is nothing to serve; nothing on stdout, no config written", async () => {
    const proc = await fixture("cloud-vm");
    assert.deepEqual(await entrypoint(proc), {
      code: 1,
      stdout: "",
      stderr:
        `routedhcp: ${proc}/net/route: nothing to serve: no LAN subnet is connected to this host; ` +
        "its addresses (10.128.0.5) sit in no connected subnet, as on a cloud VM with a /32\n",
      conf: null,
    });
  });

  it("a malformed variable (ROUTEDHCP_LEASE_TIME=abc): exit 1 naming the variable, no config written", async () => {
    assert.deepEqual(await entrypoint(await fixture("paper-file1"), { ROUTEDHCP_LEASE_TIME: "abc" }), {
      code: 1,
      stdout: "",
      stderr: 'routedhcp: [ROUTEDHCP_LEASE_TIME] "abc" is not a whole number\n',
      conf: null,
    });
  });

  it("a misspelled variable (ROUTEDHCP_LEASETIME): exit 1 with one line naming it and the likely name, no config written", async () => {
    assert.deepEqual(await entrypoint(await fixture("paper-file1"), { ROUTEDHCP_LEASETIME: "86400" }), {
      code: 1,
      stdout: "",
      stderr: "routedhcp: [ROUTEDHCP_LEASETIME] is not a variable the image reads; did you mean ROUTEDHCP_LEASE_TIME?\n",
      conf: null,
    });
  });

  it("an option the planner refuses (a pool for a subnet the host does not have) is named by its variable", async () => {
    const run = await entrypoint(await fixture("paper-file1"), { ROUTEDHCP_POOLS: '{"10.9.0.0/24":["10.9.0.10-10.9.0.20"]}' });
    assert.deepEqual(run, {
      code: 1,
      stdout: "",
      stderr: 'routedhcp: [ROUTEDHCP_POOLS["10.9.0.0/24"]] is not a subnet this host serves (it serves 192.168.100.0/24)\n',
      conf: null,
    });
  });

  it("relay via ROUTEDHCP_RELAY=true on remote-network renders the remote subnet; without it, not", async () => {
    const proc = await fixture("remote-network");
    const relay = await entrypoint(proc, { ROUTEDHCP_RELAY: "true" });
    const expected = readFileSync(join(GOLDEN, "remote-network.relay.conf"), "utf8");
    assert.deepEqual(relay, { code: 0, stdout: "ens34\n", stderr: configured(proc, expected, "ens34"), conf: expected });
    assert.match(relay.conf!, /^subnet 192\.168\.0\.0 netmask 255\.255\.255\.0 \{$/m);
    const plain = await entrypoint(proc);
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.conf!, /192\.168\.0\.0/);
  });

  it("every option as variables (optionsToEnv, as DepartmentDhcp sets them) renders the all-options golden file", async () => {
    const run = await entrypoint(await fixture("virtual-zoo"), envOf(ALL_OPTIONS));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.conf, readFileSync(join(GOLDEN, "virtual-zoo.all-options.conf"), "utf8"));
  });

  it("a malformed routing table: exit 1 with the file and line, no config written", async () => {
    const proc = await makeProcDir(root!, "bad-hex", { route: join(MALFORMED, "route", "bad-hex-destination") });
    let message = "";
    try {
      buildDhcpConfig({ route: { text: readFileSync(join(proc, "net", "route"), "latin1"), source: `${proc}/net/route` } });
    } catch (error) {
      message = (error as Error).message;
    }
    assert.match(message, new RegExp(`^${proc}/net/route:\\d+: `));
    assert.deepEqual(await entrypoint(proc), { code: 1, stdout: "", stderr: `routedhcp: ${message}\n`, conf: null });
  });

  it("no routing table where ROUTEDHCP_PROC points: exit 1 naming the file", async () => {
    const proc = join(root!, "no-such-proc");
    assert.deepEqual(await entrypoint(proc), {
      code: 1,
      stdout: "",
      stderr: `routedhcp: ${proc}/net/route: no such file, nor ${proc}/route (give a proc directory, or a directory holding copies of route and fib_trie)\n`,
      conf: null,
    });
  });

  it("a dhcpd that refuses the config: exit 1 with its complaint, no config written (dhcpd never starts on it)", async () => {
    // Stands in for an image whose dhcpd disagrees with the renderer: the gate, not dhcpd, is under test.
    const refusing = await writeTempFile(root!, "refusing-dhcpd", '#!/bin/sh\necho "$4 line 3: semicolon expected." >&2\nexit 1\n');
    chmodSync(refusing, 0o755);
    assert.deepEqual(await entrypoint(await fixture("paper-file1"), { ROUTEDHCP_DHCPD: refusing }), {
      code: 1,
      stdout: "",
      stderr: "routedhcp: dhcpd -t refused the rendered config; not starting:\ndhcpd.conf line 3: semicolon expected.\n",
      conf: null,
    });
  });

  it("no dhcpd at all: exit 1 saying so, no config written", async () => {
    const run = await entrypoint(await fixture("paper-file1"), { ROUTEDHCP_DHCPD: join(root!, "no-dhcpd") });
    assert.deepEqual(run, {
      code: 1,
      stdout: "",
      stderr: `routedhcp: ${join(root!, "no-dhcpd")}: not installed, so the config cannot be validated (Debian: apt-get install isc-dhcp-server)\n`,
      conf: null,
    });
  });
});
