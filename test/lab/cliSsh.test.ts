// `routedhcp discover|render --ssh` against a real sshd on a lab host: pinned key, known_hosts,
// unknown and changed host keys (refused with the fingerprint seen), all in one line on stderr.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createDepartment, destroyDepartment, type Department } from "../../lab";
import { fingerprint, parsePublicKeyLine } from "../../io/hostKeys";
import { generateKey } from "../support/sshKeys";

const BIN = path.resolve(__dirname, "..", "..", "..", "bin", "routedhcp.js");
const NET = "10.23";

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? 1), stdout, stderr });
    });
  });
}

describe("CLI over SSH @lab", function () {
  this.timeout(60_000);
  let d: Department;
  let dir: string;
  let seen: string;

  before(async () => {
    d = await createDepartment({ name: "cli", index: 23, docker: false, clients: 0, remoteClients: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "routedhcp-cli-ssh-"));
    seen = fingerprint(parsePublicKeyLine(d.host.hostKey).blob);
  });
  after(async () => {
    if (d) await destroyDepartment(d);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const target = () => ["--ssh", `root@${d.host.address}`, "--identity", d.host.identityFile];

  it("discover --json with the lab's known_hosts", async () => {
    const result = await cli(["discover", ...target(), "--known-hosts", d.host.knownHostsFile, "--json"]);
    assert.equal(result.stderr, "");
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), {
      subnets: [
        { interface: "eth0", cidr: `${NET}.1.0/24`, kind: "lan", router: `${NET}.1.1` },
        { interface: "eth0", cidr: `${NET}.2.0/24`, kind: "remote", router: null, via: `${NET}.1.1` },
      ],
      addresses: [`${NET}.1.6`],
    });
  });

  it("render --relay --check with a pinned host key", async () => {
    const result = await cli(["render", ...target(), "--host-key", d.host.hostKey, "--relay", "--check"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`subnet ${NET}\\.1\\.0 netmask 255\\.255\\.255\\.0 \\{\\n  range ${NET}\\.1\\.128 ${NET}\\.1\\.254;`));
    assert.match(result.stdout, new RegExp(`subnet ${NET}\\.2\\.0 netmask 255\\.255\\.255\\.0`));
  });

  it("an unknown host key is refused with the fingerprint seen", async () => {
    const empty = path.join(dir, "known_hosts_empty");
    fs.writeFileSync(empty, "");
    const result = await cli(["discover", ...target(), "--known-hosts", empty]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.equal(result.stderr, `routedhcp: root@${NET}.1.6: unknown host key ssh-ed25519 ${seen}: not in ${empty}; check it out of band, then add it to known_hosts or pin it\n`);
  });

  it("a changed host key is refused, naming both fingerprints", async () => {
    const other = await generateKey();
    const stale = path.join(dir, "known_hosts_stale");
    fs.writeFileSync(stale, `${d.host.address} ${other.publicKey}\n`);
    const result = await cli(["render", ...target(), "--known-hosts", stale]);
    other.remove();
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, new RegExp(`^routedhcp: root@${NET}\\.1\\.6: HOST KEY MISMATCH: the host presented ssh-ed25519 ${seen.replace(/[+/]/g, "\\$&")}, but ${stale.replace(/[.]/g, "\\.")} has SHA256:\\S+; refusing to connect`));
    assert.equal(result.stderr.split("\n").length, 2);
  });

  it("a missing identity file is a usage error naming the flag", async () => {
    const result = await cli(["discover", "--ssh", `root@${d.host.address}`, "--identity", path.join(dir, "nope"), "--host-key", d.host.hostKey]);
    assert.deepEqual(result, { code: 2, stdout: "", stderr: `routedhcp: --identity ${path.join(dir, "nope")}: cannot read (ENOENT)\n` });
  });
});
