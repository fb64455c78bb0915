// Rolls a department out the way `pulumi up` does, without the Pulumi CLI: HostDhcpConfig through
// the real dynamic-provider host (check, then create or diff+update), then the container spec that
// DepartmentDhcp declares, applied to the host's Docker engine over ssh://. Shared by the
// end-to-end tests, the demo and the benchmarks.
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanOptions } from "../core/options";
import { DEFAULT_IMAGE, dhcpContainerSpec, type DhcpContainerSpec } from "../sdk/containerSpec";
import { hostConfigProvider } from "../provider/hostConfigProvider";
import { imageOverlay } from "../image/contents";
import { applyContainerSpec } from "./applyContainerSpec";
import { ensureDhcpImage } from "./image";
import { LabError } from "./labError";
import type { Department } from "./department";
import type { LabHost } from "./sshd";
import { Props, ProviderHost, serializeProvider, startProviderHost } from "./providerHost";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The routedhcp image (both modes) on a lab host, built offline: DepartmentDhcp's default name. */
export async function ensureRoutedhcpImage(host: LabHost, log?: (s: string) => void): Promise<string> {
  if (host.dockerSocket === undefined) throw new LabError(`${host.name} runs no dockerd`);
  await ensureDhcpImage(host.dockerSocket, DEFAULT_IMAGE, imageOverlay(REPO_ROOT), log);
  return DEFAULT_IMAGE;
}

export interface Deployed {
  readonly id: string;
  readonly props: Props;
  readonly spec: DhcpContainerSpec;
  readonly containerId: string;
}

export class Rollout {
  private constructor(
    readonly providerHost: ProviderHost,
    private readonly providerText: string,
  ) {}

  static async start(): Promise<Rollout> {
    const host = await startProviderHost();
    await host.configure();
    return new Rollout(host, await serializeProvider(hostConfigProvider));
  }

  /** The inputs DepartmentDhcp gives its HostDhcpConfig for this department. */
  inputs(d: Department, options: PlanOptions, overrides: Props = {}): Props {
    return {
      __provider: this.providerText,
      host: d.host.address,
      port: d.host.port,
      user: d.host.user,
      privateKey: fs.readFileSync(d.host.identityFile, "utf8"),
      hostKey: d.host.hostKey,
      options,
      image: DEFAULT_IMAGE,
      validate: "image",
      timeoutSeconds: 10,
      ...overrides,
    };
  }

  /** check, then create (first time) or diff + update, then the container: pulumi up. */
  async up(d: Department, options: PlanOptions, previous?: Deployed, overrides: Props = {}): Promise<Deployed> {
    const { inputs, failures } = await this.providerHost.check(previous?.props ?? {}, this.inputs(d, options, overrides));
    if (failures.length > 0) throw new LabError(failures.map((f) => `[${f.property}] ${f.reason}`).join("; "));
    let id: string;
    let props: Props;
    if (previous === undefined) {
      ({ id, properties: props } = await this.providerHost.create(inputs));
    } else {
      const diff = await this.providerHost.diff(previous.id, previous.props, inputs);
      if (diff.changes === "none") return previous;
      id = previous.id;
      props = await this.providerHost.update(previous.id, previous.props, inputs);
    }
    const spec = dhcpContainerSpec({
      mode: "rendered",
      name: `routedhcp-${d.name}`,
      image: DEFAULT_IMAGE,
      leasesVolume: `routedhcp-${d.name}-leases`,
      dhcpdConf: props.dhcpdConf as string,
      interfaces: props.interfaces as string[],
    });
    const unchanged = previous !== undefined && JSON.stringify(previous.spec) === JSON.stringify(spec);
    const containerId = unchanged ? previous.containerId : await applyContainerSpec(d.host, spec);
    return { id, props, spec, containerId };
  }

  async close(): Promise<void> {
    await this.providerHost.close();
  }
}
