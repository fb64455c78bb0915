// Stage 0 (remote): read /proc/net/route and /proc/net/fib_trie of a target host over one SSH
// connection (ssh2) and one command. The host key is verified against a pinned key or a
// known_hosts text; an unknown or changed key is refused with the fingerprint seen. Messages name
// the host and what failed; they never carry the private key or a stack.
import type { RouteSnapshot } from "../core/pipeline";
import { ReadError } from "./readError";
import { algorithmsFor, blobType, fingerprint, HostKey, knownHostsFor, parsePublicKeyLine } from "./hostKeys";

export interface SshTarget {
  readonly host: string;
  readonly port?: number | undefined;
  readonly user: string;
  /** OpenSSH or PEM private key text; without it the agent at `agent` is used. */
  readonly privateKey?: string | undefined;
  readonly passphrase?: string | undefined;
  /** SSH agent socket (default $SSH_AUTH_SOCK when no private key is given). */
  readonly agent?: string | undefined;
  /** Pinned host key, "ssh-ed25519 AAAA...". */
  readonly hostKey?: string | undefined;
  /** known_hosts text, and where it came from (for messages). */
  readonly knownHosts?: { readonly text: string; readonly source: string } | undefined;
  /** Connect (handshake) and command timeout each, default 10 000 ms. */
  readonly timeoutMs?: number | undefined;
}

export interface SshSnapshot extends RouteSnapshot {
  /** The verified host key's fingerprint. */
  readonly hostKeyFingerprint: string;
}

// One command, one round trip; NUL separates the files (neither can contain one).
const READ_COMMAND = "cat /proc/net/route && printf '\\000' && { cat /proc/net/fib_trie 2>/dev/null || true; }";

export function describeTarget(target: Pick<SshTarget, "host" | "port" | "user">): string {
  const port = target.port ?? 22;
  return `${target.user}@${target.host}${port === 22 ? "" : `:${port}`}`;
}

export async function readOverSsh(target: SshTarget): Promise<SshSnapshot> {
  // Required here, not at the top: this runs inside Pulumi's dynamic-provider host, which gets
  // this function serialized (design.md, "Dynamic provider facts").
  const { Client } = require("ssh2") as typeof import("ssh2");
  const where = describeTarget(target);
  const port = target.port ?? 22;
  const timeoutMs = target.timeoutMs ?? 10_000;
  const trusted = trustedKeys(target, where);
  let rejection: string | null = null;
  let seen = "";

  const client = new Client();
  return await new Promise<SshSnapshot>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, value?: SshSnapshot) => {
      if (settled) return;
      settled = true;
      clearTimeout(commandTimer);
      client.end();
      if (error !== null) reject(error);
      else resolve(value!);
    };
    let commandTimer: NodeJS.Timeout | undefined;

    client.on("error", (error: Error & { level?: string; code?: string }) => {
      finish(new ReadError(where, rejection ?? explainConnectError(error, timeoutMs)));
    });
    client.on("ready", () => {
      commandTimer = setTimeout(() => finish(new ReadError(where, `reading the routing table took longer than ${timeoutMs / 1000} s`)), timeoutMs);
      client.exec(READ_COMMAND, (error, stream) => {
        if (error) return finish(new ReadError(where, `cannot run a command: ${error.message}`));
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => out.push(chunk));
        stream.stderr.on("data", (chunk: Buffer) => err.push(chunk));
        stream.on("close", (code: number | null) => {
          const stdout = Buffer.concat(out).toString("latin1");
          const separator = stdout.indexOf("\0");
          if (code !== 0 || separator === -1) {
            const said = Buffer.concat(err).toString("utf8").trim().split("\n")[0] ?? "";
            return finish(new ReadError(`${where}:/proc/net/route`, said !== "" ? `cannot read: ${said}` : `cannot read (exit ${String(code)})`));
          }
          const fib = stdout.slice(separator + 1);
          finish(null, {
            route: { text: stdout.slice(0, separator), source: `${where}:/proc/net/route` },
            ...(fib === "" ? {} : { fibTrie: { text: fib, source: `${where}:/proc/net/fib_trie` } }),
            hostKeyFingerprint: seen,
          });
        });
      });
    });

    try {
      client.connect({
        host: target.host,
        port,
        username: target.user,
        readyTimeout: timeoutMs,
        ...(target.privateKey !== undefined ? { privateKey: target.privateKey } : {}),
        ...(target.passphrase !== undefined ? { passphrase: target.passphrase } : {}),
        ...(target.privateKey === undefined && (target.agent ?? process.env.SSH_AUTH_SOCK) !== undefined
          ? { agent: target.agent ?? process.env.SSH_AUTH_SOCK! }
          : {}),
        ...(trusted.keys.length > 0 ? { algorithms: { serverHostKey: algorithmsFor(trusted.keys.map((k) => k.type)) as never } } : {}),
        hostVerifier: (key: Buffer) => {
          seen = fingerprint(key);
          const verdict = judgeHostKey(key, trusted);
          rejection = verdict;
          return verdict === null;
        },
      });
    } catch (error) {
      // ssh2 throws synchronously on a key it cannot parse; its message never holds the key.
      finish(new ReadError(where, explainKeyError(error as Error)));
    }
  });
}

interface Trusted {
  readonly keys: readonly (HostKey & { revoked?: boolean })[];
  readonly from: string;
}

function trustedKeys(target: SshTarget, where: string): Trusted {
  if (target.hostKey !== undefined) {
    try {
      return { keys: [parsePublicKeyLine(target.hostKey)], from: "the pinned host key" };
    } catch (error) {
      throw new ReadError(where, `[hostKey] ${(error as Error).message}`);
    }
  }
  if (target.knownHosts !== undefined) {
    const keys = knownHostsFor(target.knownHosts.text, target.host, target.port ?? 22);
    if (keys.filter((k) => !k.revoked).length === 0) {
      // Still connect, to show the fingerprint the host presents; the verifier refuses it.
      return { keys: [], from: target.knownHosts.source };
    }
    return { keys, from: target.knownHosts.source };
  }
  throw new ReadError(where, "no host key to verify against: give a pinned host key or a known_hosts file");
}

/** null when trusted, else why not (with the fingerprint seen). */
function judgeHostKey(key: Buffer, trusted: Trusted): string | null {
  const type = blobType(key);
  const print = fingerprint(key);
  const match = trusted.keys.find((k) => k.blob.equals(key));
  if (match?.revoked) return `host key ${type} ${print} is marked @revoked in ${trusted.from}; refusing to connect`;
  if (match !== undefined) return null;
  const sameType = trusted.keys.filter((k) => k.type === type && !k.revoked);
  if (sameType.length > 0) {
    return (
      `HOST KEY MISMATCH: the host presented ${type} ${print}, but ${trusted.from} has ${sameType.map((k) => fingerprint(k.blob)).join(", ")}; ` +
      "refusing to connect (the host was reinstalled, or someone is in the middle)"
    );
  }
  return `unknown host key ${type} ${print}: not in ${trusted.from}; check it out of band, then add it to known_hosts or pin it`;
}

function explainConnectError(error: Error & { level?: string; code?: string }, timeoutMs: number): string {
  if (error.level === "client-authentication") return "authentication refused: the server accepted none of the offered keys for this user";
  switch (error.code) {
    case "ECONNREFUSED":
      return "connection refused (is sshd listening on that port?)";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable (no route to it)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "cannot resolve the host name";
    case "ECONNRESET":
      return "connection reset by the host";
    default:
  }
  if (/Timed out while waiting for handshake/i.test(error.message)) return `no SSH answer within ${timeoutMs / 1000} s (host down or unreachable?)`;
  if (/agent/i.test(error.message)) return `SSH agent failed: ${error.message}`;
  if (/All configured authentication methods failed/i.test(error.message)) return "authentication refused: the server accepted none of the offered keys for this user";
  return error.message;
}

function explainKeyError(error: Error): string {
  if (/passphrase/i.test(error.message) || /Encrypted/i.test(error.message)) return "the private key is encrypted: give its passphrase (or the right one)";
  if (/Cannot parse privateKey/i.test(error.message)) return "the private key cannot be parsed (not an OpenSSH or PEM private key, or a wrong passphrase)";
  return `cannot use the private key: ${error.message.replace(/-----BEGIN[\s\S]*/g, "")}`;
}
