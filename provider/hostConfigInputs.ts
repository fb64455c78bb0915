// The plain values the HostDhcpConfig provider sees (resolved inputs and outputs), and their checks.
import type { PlanOptions } from "../core/options";
import type { DiscoveryJson } from "../core/discover";

export type ValidateMode = "image" | "host" | "none";

export interface HostDhcpConfigInputs {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Secret. OpenSSH or PEM private key; without it, the SSH agent. */
  readonly privateKey?: string;
  /** Secret. */
  readonly passphrase?: string;
  /** Pinned host key, "ssh-ed25519 AAAA..."; or knownHosts. */
  readonly hostKey?: string;
  /** known_hosts text. */
  readonly knownHosts?: string;
  readonly options: PlanOptions;
  /** The DHCP image whose dhcpd validates the config on the host ("image" mode). */
  readonly image?: string;
  readonly validate: ValidateMode;
  readonly timeoutSeconds: number;
}

export interface RenderedHostConfig {
  readonly dhcpdConf: string;
  readonly subnets: DiscoveryJson["subnets"];
  readonly addresses: string[];
  readonly interfaces: string[];
  /** The /proc/net/route text the config was made from. */
  readonly routeTable: string;
  readonly hostKeyFingerprint: string;
}

export type HostDhcpConfigOutputs = HostDhcpConfigInputs & RenderedHostConfig;

/** The inputs whose change changes the resource (with the rendered config). */
export const COMPARED_KEYS = [
  "dhcpdConf", "host", "port", "user", "privateKey", "passphrase", "hostKey", "knownHosts", "options", "image", "validate", "timeoutSeconds",
] as const;

/** Input problems as Pulumi check failures: { property, reason }. */
export function checkInputs(news: Record<string, unknown>): { property: string; reason: string }[] {
  const failures: { property: string; reason: string }[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  if (typeof news.host !== "string" || !/^[A-Za-z0-9._-]+$|^[0-9a-fA-F:]+$/.test(news.host)) fail("host", `${JSON.stringify(news.host)} is not a host name or address`);
  if (typeof news.user !== "string" || !/^[A-Za-z0-9._-]+$/.test(news.user)) fail("user", `${JSON.stringify(news.user)} is not a user name`);
  if (!Number.isInteger(news.port) || (news.port as number) < 1 || (news.port as number) > 65535) fail("port", `${JSON.stringify(news.port)} is not a TCP port`);
  if (news.hostKey === undefined && news.knownHosts === undefined) fail("hostKey", "give the host's public key (ssh-ed25519 AAAA...) or knownHosts: an unknown host key is never accepted");
  if (news.hostKey !== undefined && news.knownHosts !== undefined) fail("hostKey", "give hostKey or knownHosts, not both");
  if (!["image", "host", "none"].includes(news.validate as string)) fail("validate", `${JSON.stringify(news.validate)} is not one of image, host, none`);
  if (news.validate === "image" && typeof news.image !== "string") fail("image", 'validate "image" needs the DHCP image to validate with');
  if (typeof news.timeoutSeconds !== "number" || !(news.timeoutSeconds > 0)) fail("timeoutSeconds", `${JSON.stringify(news.timeoutSeconds)} is not a number of seconds`);
  return failures;
}

/** Stable JSON, so option objects compare by value whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
