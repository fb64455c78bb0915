// Stage 0 (remote): read /proc/net/route and /proc/net/fib_trie of a target host over one SSH
// connection and one command.
import type { RouteSnapshot } from "../core/pipeline";
import { ReadError } from "./readError";
import { SshSession, SshTarget, withSsh } from "./sshSession";

export interface SshSnapshot extends RouteSnapshot {
  /** The verified host key's fingerprint. */
  readonly hostKeyFingerprint: string;
}

// One round trip; NUL separates the files (neither can contain one).
const READ_COMMAND = "cat /proc/net/route && printf '\\000' && { cat /proc/net/fib_trie 2>/dev/null || true; }";

export async function readOverSsh(target: SshTarget): Promise<SshSnapshot> {
  return withSsh(target, readSnapshotOn);
}

export async function readSnapshotOn(session: SshSession): Promise<SshSnapshot> {
  const { where } = session;
  const result = await session.exec(READ_COMMAND);
  const stdout = result.stdout.toString("latin1");
  const separator = stdout.indexOf("\0");
  if (result.code !== 0 || separator === -1) {
    const said = result.stderr.trim().split("\n")[0] ?? "";
    throw new ReadError(`${where}:/proc/net/route`, said !== "" ? `cannot read: ${said}` : `cannot read (exit ${String(result.code)})`);
  }
  const fib = stdout.slice(separator + 1);
  return {
    route: { text: stdout.slice(0, separator), source: `${where}:/proc/net/route` },
    ...(fib === "" ? {} : { fibTrie: { text: fib, source: `${where}:/proc/net/fib_trie` } }),
    hostKeyFingerprint: session.hostKeyFingerprint,
  };
}
