// The Docker Engine API of a lab host over ssh://, reached the way @pulumi/docker reaches it: the Go
// client's ssh connection helper runs `ssh HOST docker system dial-stdio` and speaks HTTP over that
// process's stdin/stdout, keeping the connection alive between requests. One DockerEngine is one such
// connection (dialled on the first request, again only if the engine closes it), so a rollout pays
// for SSH once, as the provider does, not once per docker CLI call.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Duplex } from "node:stream";
import { run } from "./exec";
import { LabError } from "./labError";
import { sshEnv, type LabHost } from "./sshd";

export interface EngineResponse {
  readonly status: number;
  readonly body: Buffer;
}

/** A dial-stdio process as the socket of an http.Agent (the agent parks and reuses it). */
function dialStdio(host: LabHost, children: Set<ChildProcess>): Duplex {
  const child = spawn("ssh", ["-T", "--", `${host.user}@${host.address}`, "docker", "system", "dial-stdio"], {
    env: sshEnv(host),
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.add(child);
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const socket = Duplex.from({ readable: child.stdout, writable: child.stdin });
  child.on("error", (e) => socket.destroy(new LabError(`ssh to ${host.name}: ${e.message}`)));
  child.on("exit", (code) => {
    children.delete(child);
    if (code !== 0 && code !== null) socket.destroy(new LabError(`docker system dial-stdio on ${host.name} exited ${code}: ${stderr.trim()}`));
  });
  // What http.Agent asks of a socket it keeps alive; a pipe has nothing to set.
  return Object.assign(socket, { setKeepAlive: () => socket, setNoDelay: () => socket, setTimeout: () => socket, ref: () => socket, unref: () => socket });
}

export class DockerEngine {
  private readonly children = new Set<ChildProcess>();
  private readonly agent: http.Agent;
  private readonly where: string;

  /** host's engine over ssh:// (what the provider uses), or over its unix socket from here with `local`. */
  constructor(host: LabHost, via: "ssh" | "local" = "ssh") {
    const socketPath = host.dockerSocket;
    if (via === "local" && socketPath === undefined) throw new LabError(`${host.name} runs no dockerd`);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    (this.agent as unknown as { createConnection: () => Duplex }).createConnection =
      via === "ssh" ? () => dialStdio(host, this.children) : () => net.connect(socketPath!);
    this.where = via === "ssh" ? host.name : `${host.name} (local socket)`;
  }

  /** One API request; resolves with any status (callers decide which ones are errors). */
  request(method: string, apiPath: string, body?: Buffer | object, contentType = "application/json"): Promise<EngineResponse> {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          method,
          host: "docker", // what the Go client sends through a connection helper
          path: apiPath,
          headers: payload ? { "Content-Type": contentType, "Content-Length": payload.length } : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on("error", reject);
        },
      );
      req.setTimeout(120_000, () => req.destroy(new LabError(`docker API ${method} ${apiPath} on ${this.where} timed out`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  /** A request that must answer with one of `ok`; otherwise the engine's message, naming the call. */
  async expect(ok: readonly number[], method: string, apiPath: string, body?: Buffer | object, contentType?: string): Promise<EngineResponse> {
    const res = await this.request(method, apiPath, body, contentType);
    if (!ok.includes(res.status)) {
      const text = res.body.toString("utf8");
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // not JSON: the raw text
      }
      throw new LabError(`docker API ${method} ${apiPath} on ${this.where}: ${res.status} ${message}`);
    }
    return res;
  }

  /** Ends the connection and its ssh process. */
  async close(): Promise<void> {
    this.agent.destroy();
    await Promise.all([...this.children].map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.stdin?.end();
      setTimeout(() => child.kill("SIGKILL"), 2_000).unref();
    })));
  }
}

/** Runs body with a connection to host's engine, closed afterwards whatever happens. */
export async function withDockerEngine<T>(host: LabHost, body: (engine: DockerEngine) => Promise<T>, via: "ssh" | "local" = "ssh"): Promise<T> {
  const engine = new DockerEngine(host, via);
  try {
    return await body(engine);
  } finally {
    await engine.close();
  }
}

/**
 * One file as a tar archive whose entry is named by its absolute path, mode 0644, for
 * PUT /containers/ID/archive?path=/ (how the provider uploads a Container's `uploads`). Made by
 * GNU tar from a staging directory.
 */
export async function tarOneFile(filePath: string, content: string): Promise<Buffer> {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), "routedhcp-upload-"));
  try {
    const relative = filePath.replace(/^\/+/, "");
    fs.mkdirSync(path.join(stage, path.dirname(relative)), { recursive: true });
    fs.writeFileSync(path.join(stage, relative), content);
    fs.chmodSync(path.join(stage, relative), 0o644); // whatever the umask
    const archive = path.join(stage, "upload.tar");
    await run(["tar", "--create", "--file", archive, "--owner=0", "--group=0", "--numeric-owner", "--directory", stage, relative]);
    return fs.readFileSync(archive);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}
