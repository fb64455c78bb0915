// pulumi.runtime.setMocks for component tests: records every resource with its exact inputs, and
// runs dynamic resources for real inside the mock: it deserializes their `__provider` exactly as
// the dynamic-provider host does and calls check (and create, unless previewing), so the
// serialized provider is proved to run.
import * as pulumi from "@pulumi/pulumi";

/* eslint-disable @typescript-eslint/no-require-imports */
const requireFromString = require("require-from-string") as (code: string) => { handler: () => pulumi.dynamic.ResourceProvider };
/* eslint-enable @typescript-eslint/no-require-imports */

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly provider: string | undefined;
}

export interface MockRun {
  readonly resources: RecordedResource[];
  /** What newResource threw (a failed check or create): outputs of that resource never resolve. */
  readonly errors: Error[];
  /** The value of an Output, or the first mock error. */
  valueOf<T>(output: pulumi.Output<T>): Promise<T>;
  /** The serialized provider text of every dynamic resource, by name. */
  readonly providers: Map<string, string>;
  byType(type: string): RecordedResource;
}

/** The type token of HostDhcpConfig: dynamic resources are "pulumi-nodejs:dynamic/MODULE:TYPE". */
export const DYNAMIC = "pulumi-nodejs:dynamic/routedhcp:HostDhcpConfig";

export async function installMocks(opts: { preview?: boolean; project?: string; stack?: string } = {}): Promise<MockRun> {
  const resources: RecordedResource[] = [];
  const errors: Error[] = [];
  const providers = new Map<string, string>();
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        if (args.type.startsWith("pulumi-nodejs:dynamic")) {
          return runDynamic(args.name, args.inputs).catch((error: Error) => {
            errors.push(error);
            throw error;
          });
        }
        if (args.type === "docker:index/remoteImage:RemoteImage") {
          return { id: `${args.name}-id`, state: { ...args.inputs, imageId: "sha256:0123456789abcdef", repoDigest: "" } };
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    opts.project ?? "routedhcp-department",
    opts.stack ?? "test",
    opts.preview ?? false,
  );

  async function runDynamic(name: string, inputs: Record<string, unknown>) {
    // The engine strips secrets before a dynamic provider sees them (it does not accept secrets).
    const { __provider, ...news } = unwrapSecrets(inputs) as Record<string, unknown> & { __provider: string };
    providers.set(name, __provider);
    const provider = requireFromString(__provider).handler();
    const checked = await provider.check!({}, news);
    if (checked.failures !== undefined && checked.failures.length > 0) {
      throw new Error(checked.failures.map((f) => `[${f.property}] ${f.reason}`).join("; "));
    }
    if (opts.preview) return { id: undefined, state: checked.inputs };
    const created = await provider.create(checked.inputs);
    return { id: created.id, state: created.outs };
  }

  return {
    resources,
    errors,
    valueOf<T>(output: pulumi.Output<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = setInterval(() => {
          if (errors.length > 0) {
            clearInterval(timer);
            reject(errors[0]);
          }
        }, 50);
        output.apply((v) => {
          clearInterval(timer);
          resolve(v);
        });
      });
    },
    providers,
    byType(type) {
      const found = resources.filter((r) => r.type === type);
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${resources.map((r) => r.type).join(", ")}`);
      return found[0]!;
    },
  };
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d"; // sdk/go/common/resource/sig.Secret
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** Waits for the resources registered so far (the mock monitor runs asynchronously). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
