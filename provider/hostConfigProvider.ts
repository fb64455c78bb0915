// The HostDhcpConfig dynamic provider. Pulumi serializes this object into the resource's
// __provider and runs it in its dynamic-provider host, so every method works from its arguments
// alone and requires what it needs at run time (design.md, "Dynamic provider facts").
//
// The read and the render happen in `check`: during `pulumi preview` the engine never calls
// create/update but shows the checked inputs, so the dhcpd.conf that `pulumi up` will deploy is
// visible in the preview, and a changed route table shows up as a changed dhcpdConf line.
import type * as pulumi from "@pulumi/pulumi";
import { buildDhcpConfig } from "../core/pipeline";
import { describeDiscovery } from "../core/discover";
import type { PlanOptions } from "../core/options";
import { ParseError } from "../core/parseError";
import { OptionError } from "../core/optionError";
import { readSnapshotOn, SshSnapshot } from "../io/readOverSsh";
import { SshTarget, withSsh } from "../io/sshSession";
import { checkInImage, checkWithHostDhcpd } from "../io/checkOnHost";
import { checkInputs, COMPARED_KEYS, HostDhcpConfigInputs, HostDhcpConfigOutputs, RenderedHostConfig, stableJson } from "./hostConfigInputs";

/** What the engine passes for a value not known yet (during preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function targetOf(inputs: HostDhcpConfigInputs): SshTarget {
  return {
    host: inputs.host,
    port: inputs.port,
    user: inputs.user,
    privateKey: inputs.privateKey,
    passphrase: inputs.passphrase,
    hostKey: inputs.hostKey,
    knownHosts: inputs.knownHosts === undefined ? undefined : { text: inputs.knownHosts, source: "knownHosts" },
    timeoutMs: inputs.timeoutSeconds * 1000,
  };
}

/** Renders a snapshot: the pure part of the provider's work. */
export function renderSnapshot(snapshot: SshSnapshot, options: PlanOptions): RenderedHostConfig {
  const config = buildDhcpConfig(snapshot, options);
  const discovery = describeDiscovery(config.discovery);
  return {
    dhcpdConf: config.dhcpdConf,
    subnets: discovery.subnets,
    addresses: discovery.addresses,
    interfaces: [...config.interfaces],
    routeTable: snapshot.route.text,
    hostKeyFingerprint: snapshot.hostKeyFingerprint,
  };
}

/** Reads the host over one SSH connection and renders its dhcpd.conf. */
export async function renderFromHost(inputs: HostDhcpConfigInputs): Promise<RenderedHostConfig> {
  return withSsh(targetOf(inputs), async (session) => renderSnapshot(await readSnapshotOn(session), inputs.options));
}

/** Validates with the dhcpd that will run the config; throws dhcpd's own message when it refuses. */
export async function validateOnHost(inputs: HostDhcpConfigOutputs): Promise<void> {
  if (inputs.validate === "none") return;
  const result = await withSsh(targetOf(inputs), (session) =>
    inputs.validate === "image" ? checkInImage(session, inputs.image!, inputs.dhcpdConf) : checkWithHostDhcpd(session, inputs.dhcpdConf),
  );
  if (!result.ok) {
    throw new Error(`dhcpd -t refused the config for ${inputs.user}@${inputs.host}; nothing on the host was changed:\n${result.message}`);
  }
}

function failureOf(error: unknown): { property: string; reason: string } {
  if (error instanceof OptionError) return { property: `options.${error.argument}`, reason: error.message };
  if (error instanceof ParseError) return { property: "host", reason: error.message };
  const message = (error as Error).message ?? String(error);
  const property = /host key|hostKey/i.test(message) ? "hostKey" : /private key|passphrase/i.test(message) ? "privateKey" : /authentication/i.test(message) ? "user" : "host";
  return { property, reason: message };
}

/** Inputs after check: rendered unless a connection input was still unknown then. */
type CheckedInputs = HostDhcpConfigInputs & Partial<RenderedHostConfig>;

async function ensureRendered(inputs: CheckedInputs): Promise<HostDhcpConfigOutputs> {
  const { dhcpdConf, subnets, addresses, interfaces, routeTable, hostKeyFingerprint } = inputs;
  if (dhcpdConf !== undefined && subnets !== undefined && addresses !== undefined && interfaces !== undefined && routeTable !== undefined && hostKeyFingerprint !== undefined) {
    return { ...inputs, dhcpdConf, subnets, addresses, interfaces, routeTable, hostKeyFingerprint };
  }
  return { ...inputs, ...(await renderFromHost(inputs)) };
}

export const hostConfigProvider: pulumi.dynamic.ResourceProvider<CheckedInputs, HostDhcpConfigOutputs> = {
  async check(_olds, news) {
    const failures = checkInputs(news as unknown as Record<string, unknown>);
    if (failures.length > 0) return { inputs: news, failures };
    const connection = [news.host, news.port, news.user, news.privateKey, news.hostKey, news.knownHosts, news.options];
    if (connection.some((v) => v === UNKNOWN) || JSON.stringify(news.options ?? {}).includes(UNKNOWN)) {
      return { inputs: news }; // not known until an earlier resource exists: read at update time
    }
    try {
      const rendered = await renderFromHost(news);
      return { inputs: { ...news, ...rendered } };
    } catch (error) {
      return { inputs: news, failures: [failureOf(error)] };
    }
  },

  async diff(_id, olds, news) {
    const changed = COMPARED_KEYS.filter((key) => stableJson(olds[key]) !== stableJson(news[key]));
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async create(inputs) {
    const outs = await ensureRendered(inputs);
    await validateOnHost(outs);
    return { id: `${inputs.user}@${inputs.host}:${inputs.port}`, outs };
  },

  async update(_id, _olds, news) {
    const outs = await ensureRendered(news);
    await validateOnHost(outs);
    return { outs };
  },

  async read(id, props) {
    // `pulumi refresh`: what the host's routes say now.
    const state = props as HostDhcpConfigOutputs;
    const rendered = await renderFromHost(state);
    return { id, props: { ...state, ...rendered } };
  },

  async delete() {
    // The config is data: the container that runs it is a resource of its own.
  },
};
