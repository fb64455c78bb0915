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
  /** The serialized provider text of every dynamic resource, by name. */
  readonly providers: Map<string, string>;
  byType(type: string): RecordedResource;
}

export const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

export async function installMocks(opts: { preview?: boolean; project?: string; stack?: string } = {}): Promise<MockRun> {
  const resources: RecordedResource[] = [];
  const providers = new Map<string, string>();
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
        if (args.type === DYNAMIC) {
          const { __provider, ...news } = args.inputs as Record<string, unknown> & { __provider: string };
          providers.set(args.name, __provider);
          const provider = requireFromString(__provider).handler();
          const checked = await provider.check!({}, news);
          if (checked.failures !== undefined && checked.failures.length > 0) {
            throw new Error(checked.failures.map((f) => `[${f.property}] ${f.reason}`).join("; "));
          }
          if (opts.preview) return { id: undefined, state: checked.inputs };
          const created = await provider.create(checked.inputs);
          return { id: created.id, state: created.outs };
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
  return {
    resources,
    providers,
    byType(type) {
      const found = resources.filter((r) => r.type === type);
      if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${resources.map((r) => r.type).join(", ")}`);
      return found[0]!;
    },
  };
}

/** The value of an Output, once the mocks have resolved it. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Waits for the resources registered so far (the mock monitor runs asynchronously). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
