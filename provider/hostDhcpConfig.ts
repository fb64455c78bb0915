// HostDhcpConfig: a dynamic resource whose outputs are a host's rendered dhcpd.conf, the subnets it
// was made from, dhcpd's listen list and the raw route table.
import * as pulumi from "@pulumi/pulumi";
import type { PlanOptions } from "../core/options";
import type { DiscoveryJson } from "../core/discover";
import { hostConfigProvider } from "./hostConfigProvider";
import type { ValidateMode } from "./hostConfigInputs";

export interface HostDhcpConfigArgs {
  readonly host: pulumi.Input<string>;
  /** Default 22. */
  readonly port?: pulumi.Input<number>;
  readonly user: pulumi.Input<string>;
  /** OpenSSH or PEM private key; made secret here if it is not already. Without it, the SSH agent. */
  readonly privateKey?: pulumi.Input<string>;
  readonly passphrase?: pulumi.Input<string>;
  /** The host's public key, "ssh-ed25519 AAAA...": an unknown or changed key is refused. */
  readonly hostKey?: pulumi.Input<string>;
  /** Or a known_hosts text to verify the host key against. */
  readonly knownHosts?: pulumi.Input<string>;
  /** Planning options: relay, lease times, DNS, domain, pools, reservations, interface patterns, ping-check. */
  readonly options?: pulumi.Input<PlanOptions>;
  /** The DHCP image whose dhcpd validates the config on the host (validate "image", the default when given). */
  readonly image?: pulumi.Input<string>;
  /** "image" (default with an image), "host" (the host's own dhcpd; default without), or "none". */
  readonly validate?: pulumi.Input<ValidateMode>;
  /** SSH connect and command timeout; default 10. */
  readonly timeoutSeconds?: pulumi.Input<number>;
}

export class HostDhcpConfig extends pulumi.dynamic.Resource {
  declare readonly dhcpdConf: pulumi.Output<string>;
  declare readonly subnets: pulumi.Output<DiscoveryJson["subnets"]>;
  declare readonly addresses: pulumi.Output<string[]>;
  declare readonly interfaces: pulumi.Output<string[]>;
  declare readonly routeTable: pulumi.Output<string>;
  declare readonly hostKeyFingerprint: pulumi.Output<string>;

  constructor(name: string, args: HostDhcpConfigArgs, opts?: pulumi.CustomResourceOptions) {
    const secret = <T>(value: pulumi.Input<T> | undefined) => (value === undefined ? undefined : pulumi.secret(value));
    super(
      hostConfigProvider,
      name,
      {
        host: args.host,
        port: args.port ?? 22,
        user: args.user,
        privateKey: secret(args.privateKey),
        passphrase: secret(args.passphrase),
        hostKey: args.hostKey,
        knownHosts: args.knownHosts,
        options: args.options ?? {},
        image: args.image,
        validate: args.validate ?? (args.image !== undefined ? "image" : "host"),
        timeoutSeconds: args.timeoutSeconds ?? 10,
        dhcpdConf: undefined,
        subnets: undefined,
        addresses: undefined,
        interfaces: undefined,
        routeTable: undefined,
        hostKeyFingerprint: undefined,
      },
      {
        ...opts,
        // Secret in state and outputs whatever the engine infers (design.md: by key from inputs).
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "privateKey", "passphrase"],
      },
      "routedhcp",
      "HostDhcpConfig",
    );
  }
}
