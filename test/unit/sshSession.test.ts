// SshSession.close() against a real SSH server (ssh2's Server, in this process) that goes silent:
// as a deleted host or a half-closed socket does, it never answers the client's FIN. The session
// runs in a child process (node, on dist/io/sshSession.js), since what close() must not do is keep
// that process alive. The lab tests the session against a real sshd (test/lab/).
import assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { AddressInfo, createServer, Server as TcpServer, Socket } from "node:net";
import { join } from "node:path";
import { Server as SshServer } from "ssh2";
import { openSsh } from "../../io/sshSession";
import { generateKey, TestKey } from "../support/sshKeys";
import { ROOT } from "./support/fixtures";

const SESSION = join(ROOT, "dist", "io", "sshSession.js");

// Opens a session, says "open", closes it when told to on stdin, and says nothing more: the process
// ends when its last handle (the SSH socket) does.
const CHILD = `
const { openSsh } = require(${JSON.stringify(SESSION)});
openSsh(JSON.parse(process.env.TARGET)).then((session) => {
  process.stdout.write("open\\n");
  process.stdin.once("data", () => { process.stdin.destroy(); session.close(); });
}, (error) => { process.stderr.write(error.message + "\\n"); process.exitCode = 2; });
`;

/** Byte for byte between the client and the SSH server until cut; then it neither reads, answers nor closes. */
class SilenceableProxy {
  readonly server: TcpServer;
  private readonly sockets: Socket[] = [];

  constructor(target: number) {
    // allowHalfOpen: the client's FIN must not make this side close, as it would for a live host.
    this.server = createServer({ allowHalfOpen: true }, (client) => {
      const upstream = new Socket({ allowHalfOpen: true });
      upstream.connect(target, "127.0.0.1");
      client.pipe(upstream).pipe(client);
      for (const s of [client, upstream]) s.on("error", () => undefined);
      this.sockets.push(client, upstream);
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, "127.0.0.1", () => resolve((this.server.address() as AddressInfo).port)));
  }

  cut(): void {
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
    }
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
  }
}

describe("SshSession.close() (io/sshSession.ts)", function () {
  this.timeout(30_000);
  let hostKey: TestKey;
  let userKey: TestKey;
  let ssh: SshServer;
  let sshPort: number;
  let disconnects = 0;
  const children: ChildProcess[] = [];

  before(async () => {
    hostKey = await generateKey();
    userKey = await generateKey();
    ssh = new SshServer({ hostKeys: [hostKey.privateKey] }, (connection) => {
      connection.on("authentication", (ctx) => ctx.accept());
      connection.on("error", () => undefined);
      connection.on("close", () => disconnects++);
    });
    await new Promise<void>((resolve) => ssh.listen(0, "127.0.0.1", resolve));
    sshPort = (ssh.address() as AddressInfo).port;
  });
  after(() => {
    for (const child of children) child.kill("SIGKILL");
    ssh.close();
    hostKey.remove();
    userKey.remove();
  });

  /** Opens a session through port in a child; resolves once it is open, with the time from close() to the child's exit. */
  const openInChild = async (port: number) => {
    const target = { host: "127.0.0.1", port, user: "test", privateKey: userKey.privateKey, hostKey: hostKey.publicKey };
    const child = spawn(process.execPath, ["-e", CHILD], { env: { PATH: process.env.PATH, TARGET: JSON.stringify(target) }, stdio: ["pipe", "pipe", "pipe"] });
    children.push(child);
    let stderr = "";
    child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once("data", () => resolve());
      void exited.then((code) => reject(new Error(`the child exited (${code}) before the session opened: ${stderr}`)));
    });
    return {
      /** Milliseconds from close() to the child's exit, or null if it is still running after limitMs. */
      close: async (limitMs: number): Promise<number | null> => {
        const started = Date.now();
        child.stdin!.write("close\n");
        const limit = new Promise<"running">((resolve) => setTimeout(() => resolve("running"), limitMs).unref());
        const outcome = await Promise.race([exited, limit]);
        if (outcome === "running") return null;
        assert.equal(outcome, 0, stderr);
        return Date.now() - started;
      },
    };
  };

  it("a host that went silent: the connection is dropped about 1 s after close(), so the process can exit", async () => {
    const proxy = new SilenceableProxy(sshPort);
    try {
      const session = await openInChild(await proxy.listen());
      proxy.cut();
      const ms = await session.close(5000);
      assert.notEqual(ms, null, "the process is still running 5 s after close(): the socket was left open");
      assert.ok(ms! >= 900, `dropped after ${ms} ms: close() should first wait for the host to close`);
      assert.ok(ms! < 3000, `dropped after ${ms} ms`);
    } finally {
      proxy.close();
    }
  });

  it("a live host: close() ends the session gracefully, without waiting out the grace period, and the host sees it", async () => {
    const before = disconnects;
    const session = await openInChild(sshPort);
    const ms = await session.close(5000);
    assert.notEqual(ms, null, "the process is still running 5 s after close()");
    // A loopback round trip and a process exit: tens of milliseconds, against the 1 s grace period.
    assert.ok(ms! < 1000, `exited ${ms} ms after close(): the host's close was not waited for`);
    for (let waited = 0; disconnects === before && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(disconnects, before + 1, "the host saw the connection close");
  });
});

describe("SshSession authentication (io/sshSession.ts)", function () {
  this.timeout(30_000);

  it("offers the key straight away: no \"none\" attempt, which sshd answers only after its failure delay", async () => {
    const hostKey = await generateKey();
    const userKey = await generateKey();
    const methods: string[] = [];
    const ssh = new SshServer({ hostKeys: [hostKey.privateKey] }, (connection) => {
      connection.on("authentication", (ctx) => {
        methods.push(ctx.method);
        if (ctx.method === "publickey") ctx.accept();
        else ctx.reject(["publickey"]);
      });
      connection.on("error", () => undefined);
    });
    try {
      await new Promise<void>((resolve) => ssh.listen(0, "127.0.0.1", resolve));
      const port = (ssh.address() as AddressInfo).port;
      const session = await openSsh({ host: "127.0.0.1", port, user: "test", privateKey: userKey.privateKey, hostKey: hostKey.publicKey });
      session.close();
      assert.ok(methods.length > 0 && methods.every((m) => m === "publickey"), `methods tried: ${methods.join(", ")}`);
    } finally {
      ssh.close();
      hostKey.remove();
      userKey.remove();
    }
  });
});
