// The DHCP container, described once. DepartmentDhcp turns this spec into a @pulumi/docker
// Container; the lab applies the very same spec to a real Docker engine (lab/applyContainerSpec.ts),
// so the component and the end-to-end tests can never describe two different containers.
import type { PlanOptions } from "../core/options";
import { optionsToEnv } from "../image/optionsEnv";

export const LEASES_DIR = "/var/lib/dhcp";
export const CONF_PATH = "/etc/dhcp/dhcpd.conf";
export const DEFAULT_IMAGE = "routedhcp/isc-dhcp:4.4.3-P1";
/** Where the image keeps the self-configuring entrypoint (image/Dockerfile). */
export const ENTRYPOINT = "/opt/routedhcp/dist/image/entrypoint.js";

// dhcpd refuses to start without a lease file; the leases volume starts empty. -d: foreground,
// log to stderr (so `docker logs` shows every DHCPDISCOVER); --no-pid: the container is the pid.
const START_DHCPD = `touch ${LEASES_DIR}/dhcpd.leases && exec dhcpd -4 -d --no-pid -cf ${CONF_PATH} -lf ${LEASES_DIR}/dhcpd.leases "$@"`;
// Self-configuring: the entrypoint writes the config (or says why not, and the container stops)
// and prints the interfaces; then dhcpd replaces the shell as the container's main process.
const CONFIGURE_AND_START = `ifaces=$(node ${ENTRYPOINT}) && set -- $ifaces && ${START_DHCPD}`;

export type DhcpMode = "rendered" | "self-configuring";

export interface DhcpContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly env: readonly string[];
  /** Host networking: dhcpd must see the host's interfaces and answer on port 67. */
  readonly networkMode: "host";
  readonly capabilities: readonly string[];
  readonly uploads: readonly { readonly path: string; readonly content: string }[];
  readonly volumes: readonly { readonly volume: string; readonly containerPath: string }[];
  readonly restart: "unless-stopped";
}

export type DhcpContainerInput =
  | { readonly mode: "rendered"; readonly name: string; readonly image: string; readonly leasesVolume: string; readonly dhcpdConf: string; readonly interfaces: readonly string[] }
  | { readonly mode: "self-configuring"; readonly name: string; readonly image: string; readonly leasesVolume: string; readonly options: PlanOptions };

export function dhcpContainerSpec(input: DhcpContainerInput): DhcpContainerSpec {
  const common = {
    name: input.name,
    image: input.image,
    networkMode: "host" as const,
    // NET_RAW for dhcpd's raw packet socket and ping-check; NET_ADMIN for the interface setup.
    capabilities: ["NET_ADMIN", "NET_RAW"],
    volumes: [{ volume: input.leasesVolume, containerPath: LEASES_DIR }],
    restart: "unless-stopped" as const,
  };
  if (input.mode === "rendered") {
    return {
      ...common,
      command: ["sh", "-c", START_DHCPD, "dhcpd", ...input.interfaces],
      env: [],
      uploads: [{ path: CONF_PATH, content: input.dhcpdConf }],
    };
  }
  return { ...common, command: ["sh", "-c", CONFIGURE_AND_START, "dhcpd"], env: optionsToEnv(input.options), uploads: [] };
}
