// Where the lab keeps its state. Everything under LAB_STATE_DIR belongs to the lab and is removed by
// cleanupStale(); the image cache survives on purpose (building the rootfs takes tens of seconds).
import * as path from "node:path";

export const LAB_STATE_DIR = process.env["ROUTEDHCP_LAB_DIR"] ?? "/run/routedhcp-lab";
export const IMAGE_CACHE_DIR = process.env["ROUTEDHCP_LAB_CACHE"] ?? "/var/cache/routedhcp-lab";

/** Set by inCtl for the command it runs: a handle (/proc/<pid>/ns/net) on the root network namespace. */
export const ROOT_NETNS_ENV = "ROUTEDHCP_LAB_ROOT_NETNS";

/** Every namespace the lab creates starts with this; cleanup removes every namespace that does. */
export const NS_PREFIX = "rdh-";
export const CTL_NS = "rdh-ctl";
export const CORE_NS = "rdh-core";
export const CORE_BRIDGE = "core";
/** ctl's address on the core network (departments' routers are 10.255.0.<index>). */
export const CTL_CORE_ADDRESS = "10.255.0.254";
/** ctl's second address on the same bridge, for the light sshd-only hosts 10.255.1.<i>/24. */
export const CTL_LIGHT_ADDRESS = "10.255.1.254";

export function statePath(...parts: string[]): string {
  return path.join(LAB_STATE_DIR, ...parts);
}

/** The lab client key pair (one per lab), used for every host. */
export function clientKeyPath(): string {
  return statePath("keys", "id_ed25519");
}

export function hostDir(hostName: string): string {
  return statePath("hosts", hostName);
}

export function clientDir(clientNs: string): string {
  return statePath("clients", clientNs);
}
