// DepartmentDhcp: one department's DHCP server. Reads the target host's routing table, renders and
// validates its dhcpd.conf (HostDhcpConfig), and runs ISC dhcpd in a container on that host through
// the host's own Docker engine over ssh://.
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import type { PlanOptions } from "../core/options";
import type { DiscoveryJson } from "../core/discover";
import { HostDhcpConfig, type HostDhcpConfigArgs } from "../provider/hostDhcpConfig";
import { DEFAULT_IMAGE, DhcpContainerSpec, DhcpMode, dhcpContainerSpec } from "./containerSpec";
import { toContainerArgs } from "./toContainerArgs";

/**
 * How to reach the department's host: the same connection inputs as HostDhcpConfig (the secret
 * private key serves routedhcp's own SSH reads; Docker's ssh:// uses your OpenSSH agent or config).
 */
export type DepartmentConnection = Pick<HostDhcpConfigArgs, "host" | "port" | "user" | "privateKey" | "passphrase" | "hostKey" | "knownHosts">;

export interface DepartmentDhcpArgs {
  readonly connection: DepartmentConnection;
  /** The ISC DHCP image (image/Dockerfile); default routedhcp/isc-dhcp:4.4.3-P1. */
  readonly image?: pulumi.Input<string>;
  /** Serve the remote networks behind the department's router (through its DHCP relay). */
  readonly relay?: pulumi.Input<boolean>;
  /** All other planning options (lease times, DNS, domain, pools, reservations, ...). */
  readonly options?: pulumi.Input<PlanOptions>;
  /**
   * "rendered" (default): Pulumi renders dhcpd.conf, shows it in preview and validates it before
   * the container changes. "self-configuring": the image renders it from the host's table at every
   * start (the paper's mode); nothing to preview, but it follows route changes on restart.
   */
  readonly mode?: DhcpMode;
  /** Container name on the host; default routedhcp-NAME. */
  readonly containerName?: string;
  /** Extra OpenSSH options for Docker's ssh:// connection, e.g. ["-i", "~/.ssh/dhcp"]. */
  readonly dockerSshOpts?: pulumi.Input<pulumi.Input<string>[]>;
}

export class DepartmentDhcp extends pulumi.ComponentResource {
  /** The deployed dhcpd.conf ("" in self-configuring mode: the image writes its own). */
  readonly dhcpdConf: pulumi.Output<string>;
  readonly subnets: pulumi.Output<DiscoveryJson["subnets"]>;
  readonly interfaces: pulumi.Output<string[]>;
  readonly containerName: pulumi.Output<string>;

  constructor(name: string, args: DepartmentDhcpArgs, opts?: pulumi.ComponentResourceOptions) {
    super("routedhcp:index:DepartmentDhcp", name, {}, opts);
    const { connection } = args;
    if (connection === undefined || connection.host === undefined || connection.user === undefined) {
      throw new Error(`DepartmentDhcp ${name}: [connection.host] and [connection.user] are required`);
    }
    if (connection.hostKey === undefined && connection.knownHosts === undefined) {
      throw new Error(`DepartmentDhcp ${name}: give [connection.hostKey] or [connection.knownHosts]; an unknown host key is never accepted`);
    }
    const mode = args.mode ?? "rendered";
    if (mode !== "rendered" && mode !== "self-configuring") {
      throw new Error(`DepartmentDhcp ${name}: [mode] must be "rendered" or "self-configuring", not ${JSON.stringify(mode)}`);
    }
    const containerName = args.containerName ?? `routedhcp-${name}`;
    const image = args.image ?? DEFAULT_IMAGE;
    const options = pulumi
      .all([args.options ?? {}, args.relay])
      .apply(([o, relay]) => (relay === undefined ? (o as PlanOptions) : { ...(o as PlanOptions), relay }));
    const port = connection.port ?? 22;

    const provider = new docker.Provider(
      `${name}-docker`,
      {
        host: pulumi.interpolate`ssh://${connection.user}@${connection.host}:${port}`,
        // Docker execs OpenSSH: never accept an unknown host key there either.
        sshOpts: pulumi.output(args.dockerSshOpts ?? []).apply((extra) => ["-o", "StrictHostKeyChecking=yes", ...extra]),
      },
      { parent: this },
    );
    const remoteImage = new docker.RemoteImage(`${name}-image`, { name: image, keepLocally: true }, { parent: this, provider });
    const leases = new docker.Volume(`${name}-leases`, { name: `${containerName}-leases` }, { parent: this, provider });

    let spec: pulumi.Output<DhcpContainerSpec>;
    if (mode === "rendered") {
      const config = new HostDhcpConfig(
        `${name}-config`,
        { ...connection, options, image: remoteImage.name, validate: "image" },
        { parent: this },
      );
      spec = pulumi
        .all([remoteImage.imageId, leases.name, config.dhcpdConf, config.interfaces])
        .apply(([imageId, leasesVolume, dhcpdConf, interfaces]) =>
          dhcpContainerSpec({ mode, name: containerName, image: imageId, leasesVolume, dhcpdConf, interfaces }),
        );
      this.dhcpdConf = config.dhcpdConf;
      this.subnets = config.subnets;
      this.interfaces = config.interfaces;
    } else {
      spec = pulumi
        .all([remoteImage.imageId, leases.name, options])
        .apply(([imageId, leasesVolume, o]) => dhcpContainerSpec({ mode, name: containerName, image: imageId, leasesVolume, options: o }));
      this.dhcpdConf = pulumi.output("");
      this.subnets = pulumi.output([]);
      this.interfaces = pulumi.output([]);
    }

    const container = new docker.Container(`${name}-dhcpd`, toContainerArgs(spec), {
      parent: this,
      provider,
      // Host networking: the new dhcpd cannot bind port 67 while the old one runs.
      deleteBeforeReplace: true,
    });
    this.containerName = container.name;
    this.registerOutputs({ dhcpdConf: this.dhcpdConf, subnets: this.subnets, interfaces: this.interfaces, containerName: this.containerName });
  }
}
