// Drives a dynamic provider the way the Pulumi engine does: spawns the real dynamic-provider host
// that ships in @pulumi/pulumi, reads its port from the first stdout line, and calls it over gRPC
// (design.md, "Verified on these machines"). No fake engine: only the engine's side of the wire.
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";

/* eslint-disable @typescript-eslint/no-require-imports */
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

export type Props = Record<string, unknown>;

export interface ProviderHost {
  readonly stderr: () => string;
  readonly stdout: () => string;
  configure(): Promise<void>;
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[] }>;
  create(properties: Props): Promise<{ id: string; properties: Props }>;
  read(id: string, properties: Props): Promise<{ id: string; properties: Props }>;
  update(id: string, olds: Props, news: Props): Promise<Props>;
  delete(id: string, properties: Props): Promise<void>;
  close(): Promise<void>;
}

const URN = "urn:pulumi:test::routedhcp::pulumi-nodejs:dynamic:Resource::config";
const projectRoot = path.resolve(__dirname, "..", "..");

/** The provider object serialized exactly as pulumi.dynamic.Resource does for `__provider`. */
export async function serializeProvider(provider: object): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}

export async function startProviderHost(): Promise<ProviderHost> {
  const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  // --no-deprecation: ip-num's package.json draws a DEP0128 warning on every start.
  const child: ChildProcess = spawn(process.execPath, ["--no-deprecation", entry, "x"], { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dynamic-provider host did not start: ${err}`)), 20_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line) {
        clearTimeout(timer);
        resolve(Number(line[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`dynamic-provider host exited (${code}): ${err}`)));
  });
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = <T>(method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));
  const struct = (props: Props) => structproto.Struct.fromJavaScript(props);

  return {
    stderr: () => err,
    stdout: () => out,
    async configure() {
      const req = new provproto.ConfigureRequest();
      req.setArgs(struct({}));
      req.setAcceptsecrets(false);
      await call("configure", req);
    },
    async check(olds, news) {
      const req = new provproto.CheckRequest();
      req.setUrn(URN);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const resp = await call<{ getInputs(): { toJavaScript(): Props }; getFailuresList(): { getProperty(): string; getReason(): string }[] }>("check", req);
      return {
        inputs: resp.getInputs().toJavaScript(),
        failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(id, olds, news) {
      const req = new provproto.DiffRequest();
      req.setId(id);
      req.setUrn(URN);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const resp = await call<{ getChanges(): number; getReplacesList(): string[] }>("diff", req);
      const changes = ({ 0: "unknown", 1: "none", 2: "some" } as const)[resp.getChanges() as 0 | 1 | 2];
      return { changes, replaces: resp.getReplacesList() };
    },
    async create(properties) {
      const req = new provproto.CreateRequest();
      req.setUrn(URN);
      req.setProperties(struct(properties));
      const resp = await call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>("create", req);
      return { id: resp.getId(), properties: resp.getProperties().toJavaScript() };
    },
    async read(id, properties) {
      const req = new provproto.ReadRequest();
      req.setId(id);
      req.setUrn(URN);
      req.setProperties(struct(properties));
      const resp = await call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>("read", req);
      return { id: resp.getId(), properties: resp.getProperties().toJavaScript() };
    },
    async update(id, olds, news) {
      const req = new provproto.UpdateRequest();
      req.setId(id);
      req.setUrn(URN);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const resp = await call<{ getProperties(): { toJavaScript(): Props } }>("update", req);
      return resp.getProperties().toJavaScript();
    },
    async delete(id, properties) {
      const req = new provproto.DeleteRequest();
      req.setId(id);
      req.setUrn(URN);
      req.setProperties(struct(properties));
      await call("delete", req);
    },
    async close() {
      client.close();
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    },
  };
}
