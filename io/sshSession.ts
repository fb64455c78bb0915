// One verified SSH connection (ssh2) to a target host, on which commands run. The host key is
// checked against a pinned key or a known_hosts text; an unknown or changed key is refused with the
// fingerprint seen. Messages name the host and what failed; never the private key, never a stack.
import type { Duplex } from "node:stream";
import type { Client } from "ssh2";
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

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface SshSession {
  /** The verified host key, "SHA256:...". */
  readonly hostKeyFingerprint: string;
  readonly where: string;
  exec(command: string, stdin?: string, timeoutMs?: number): Promise<CommandResult>;
  close(): void;
}

export function describeTarget(target: Pick<SshTarget, "host" | "port" | "user">): string {
  const port = target.port ?? 22;
  return `${target.user}@${target.host}${port === 22 ? "" : `:${port}`}`;
}

/** Opens a session, runs `use` on it, and always closes it. */
export async function withSsh<T>(target: SshTarget, use: (session: SshSession) => Promise<T>): Promise<T> {
  const session = await openSsh(target);
  try {
    return await use(session);
  } finally {
    session.close();
  }
}

export async function openSsh(target: SshTarget): Promise<SshSession> {
  // Required here, not at the top: this runs inside Pulumi's dynamic-provider host, which gets
  // the calling function serialized (design.md, "Dynamic provider facts").
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require("ssh2") as typeof import("ssh2");
  const where = describeTarget(target);
  const timeoutMs = target.timeoutMs ?? 10_000;
  const trusted = trustedKeys(target, where);
  let rejection: string | null = null;
  let seen = "";
  const client = new Client();

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    client.on("error", (error: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(new ReadError(where, rejection ?? explainConnectError(error, timeoutMs)));
    });
    client.on("ready", () => {
      settled = true;
      resolve();
    });
    try {
      client.connect({
        host: target.host,
        port: target.port ?? 22,
        username: target.user,
        readyTimeout: timeoutMs,
        ...(target.privateKey !== undefined ? { privateKey: target.privateKey } : {}),
        ...(target.passphrase !== undefined ? { passphrase: target.passphrase } : {}),
        ...(target.privateKey === undefined && (target.agent ?? process.env.SSH_AUTH_SOCK) !== undefined
          ? { agent: target.agent ?? process.env.SSH_AUTH_SOCK! }
          : {}),
        // Straight to the one method we have: ssh2's default asks for "none" first, a round trip
        // that sshd answers only after its minimum delay for a failed attempt.
        ...(target.privateKey !== undefined ? { authHandler: ["publickey"] } : (target.agent ?? process.env.SSH_AUTH_SOCK) !== undefined ? { authHandler: ["agent"] } : {}),
        ...(trusted.keys.length > 0 ? { algorithms: { serverHostKey: algorithmsFor(trusted.keys.map((k) => k.type)) as never } } : {}),
        hostVerifier: (key: Buffer) => {
          seen = fingerprint(key);
          rejection = judgeHostKey(key, trusted);
          return rejection === null;
        },
      });
    } catch (error) {
      // ssh2 throws synchronously on a key it cannot parse; its message never holds the key.
      settled = true;
      reject(new ReadError(where, explainKeyError(error as Error)));
    }
  });

  return {
    hostKeyFingerprint: seen,
    where,
    exec: (command, stdin, commandTimeoutMs = timeoutMs) => execOn(client, where, command, stdin, commandTimeoutMs),
    close: () => closeClient(client),
  };
}

/** How long close() waits for the host to close the connection before dropping it. */
const CLOSE_GRACE_MS = 1000;

/**
 * Ends the session gracefully (SSH_MSG_DISCONNECT, then FIN), and destroys the socket if the host
 * has not closed it within CLOSE_GRACE_MS: a host that is gone (deleted, or its socket half-closed)
 * never answers the FIN, and the open socket would keep the Node process alive. The socket is
 * destroyed itself because ssh2's Client.destroy() does nothing once end() has ended it (it checks
 * that the socket is still writable, ssh2 lib/client.js); `_sock` is ssh2's own (not typed) field.
 */
function closeClient(client: Client): void {
  const socket = (client as unknown as { _sock?: Duplex })._sock;
  client.end();
  if (socket === undefined || socket.destroyed) return;
  const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
  timer.unref(); // the open socket keeps the process alive until then; the timer itself need not
  socket.once("close", () => clearTimeout(timer));
}

function execOn(client: Client, where: string, command: string, stdin: string | undefined, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.end();
      reject(new ReadError(where, `command took longer than ${timeoutMs / 1000} s: ${command.split(" ")[0]}`));
    }, timeoutMs);
    client.exec(command, (error, stream) => {
      if (error) {
        clearTimeout(timer);
        reject(new ReadError(where, `cannot run a command: ${error.message}`));
        return;
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => out.push(chunk));
      stream.stderr.on("data", (chunk: Buffer) => err.push(chunk));
      stream.on("close", (code: number | null) => {
        clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") });
      });
      if (stdin !== undefined) stream.end(stdin);
      else stream.end();
    });
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
    // With no entry, still connect: the refusal then shows the fingerprint the host presents.
    return { keys: knownHostsFor(target.knownHosts.text, target.host, target.port ?? 22), from: target.knownHosts.source };
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
  if (error.level === "client-authentication" || /All configured authentication methods failed/i.test(error.message)) {
    return "authentication refused: the server accepted none of the offered keys for this user";
  }
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
  return error.message;
}

function explainKeyError(error: Error): string {
  if (/passphrase|Encrypted/i.test(error.message)) return "the private key is encrypted: give its passphrase (or the right one)";
  if (/Cannot parse privateKey/i.test(error.message)) return "the private key cannot be parsed (not an OpenSSH or PEM private key, or a wrong passphrase)";
  return `cannot use the private key: ${error.message.replace(/-----BEGIN[\s\S]*/g, "")}`;
}
