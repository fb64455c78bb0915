// Host key verification for the SSH reader: a pinned key ("ssh-ed25519 AAAA...") or an OpenSSH
// known_hosts file (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT": plain, [host]:port, hashed |1|salt|hash
// names, * and ? patterns, !negation, @revoked). Nothing unknown is accepted.
import { createHash, createHmac } from "node:crypto";

export interface HostKey {
  readonly type: string;
  readonly blob: Buffer;
}

export interface KnownHostsEntry extends HostKey {
  readonly revoked: boolean;
  readonly line: number;
}

/** OpenSSH's fingerprint: "SHA256:" and the unpadded base64 SHA-256 of the key blob. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The key type written inside an SSH public-key blob (string length-prefixed). */
export function blobType(blob: Buffer): string {
  if (blob.length < 4) return "unknown";
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString("latin1");
}

/** "ssh-ed25519 AAAA... [comment]" -> key; throws a message naming what is wrong. */
export function parsePublicKeyLine(text: string): HostKey {
  const [type, data] = text.trim().split(/\s+/);
  if (type === undefined || data === undefined || !/^[A-Za-z0-9+/]+=*$/.test(data)) {
    throw new Error('is not a public key line like "ssh-ed25519 AAAA..."');
  }
  const blob = Buffer.from(data, "base64");
  if (blobType(blob) !== type) throw new Error(`says ${type} but holds a ${blobType(blob)} key`);
  return { type, blob };
}

/** The entries of a known_hosts text that apply to host:port. */
export function knownHostsFor(text: string, host: string, port: number): KnownHostsEntry[] {
  const name = port === 22 ? host : `[${host}]:${port}`;
  const entries: KnownHostsEntry[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    let fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith("@")) {
      if (fields[0] === "@revoked") revoked = true;
      else return; // @cert-authority: certificates are not supported, so such a line vouches for nothing
      fields = fields.slice(1);
    }
    const [hosts, type, data] = fields;
    if (hosts === undefined || type === undefined || data === undefined) return;
    if (!hostsMatch(hosts, name)) return;
    try {
      entries.push({ ...parsePublicKeyLine(`${type} ${data}`), revoked, line: index + 1 });
    } catch {
      // a malformed line is skipped, as ssh does
    }
  });
  return entries;
}

function hostsMatch(field: string, name: string): boolean {
  if (field.startsWith("|1|")) {
    const [, , salt, hash] = field.split("|");
    if (salt === undefined || hash === undefined) return false;
    return createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64") === hash;
  }
  let matched = false;
  for (const pattern of field.split(",")) {
    const negated = pattern.startsWith("!");
    const body = negated ? pattern.slice(1) : pattern;
    const regex = new RegExp(`^${body.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\[/g, "\\[").replace(/\]/g, "\\]").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    if (regex.test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The host-key algorithms to offer for the key types we hold, so the server shows one of them. */
export function algorithmsFor(types: readonly string[]): string[] {
  const out: string[] = [];
  for (const type of types) {
    const names = type === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [type];
    for (const n of names) if (!out.includes(n)) out.push(n);
  }
  return out;
}
