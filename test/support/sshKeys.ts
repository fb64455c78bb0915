// Throw-away SSH key pairs for tests (ssh-keygen, the real tool).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface TestKey {
  readonly privateKey: string;
  /** "ssh-ed25519 AAAA..." without comment. */
  readonly publicKey: string;
  readonly file: string;
  remove(): void;
}

export async function generateKey(passphrase = ""): Promise<TestKey> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "routedhcp-key-"));
  const file = path.join(dir, "id_ed25519");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", "", "-f", file]);
  const publicKey = fs.readFileSync(`${file}.pub`, "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
  return { privateKey: fs.readFileSync(file, "utf8"), publicKey, file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
