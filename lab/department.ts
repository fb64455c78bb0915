// A department network (design.md, the paper's use case): LAN 10.n.1.0/24 with the target host
// 10.n.1.6 (sshd, optionally its own dockerd) and clients, a router 10.n.1.1 / 10.n.2.1 / 10.255.0.n
// that relays DHCP from the remote network 10.n.2.0/24, and ctl reaching 10.n.0.0/16 through it.
import * as fs from "node:fs";
import { startDockerd, stopDockerd, dockerSocketPath } from "./dockerd";
import { LabError } from "./labError";
import { addAddress, addBridge, addNetns, addRoute, addVeth, attachToBridge, delNetns, ipIn, sysctlIn } from "./netns";
import { ensureCore, plugIntoCore, unplugFromCore } from "./core";
import { CTL_NS, hostDir, statePath, clientDir } from "./paths";
import { startSshd, stopSshd, type LabHost } from "./sshd";
import { stopRelay } from "./relay";
import { unmountUnder } from "./mounts";

export interface DepartmentSpec {
  /** Lower-case letters and digits, starting with a letter (it goes into namespace names). */
  readonly name: string;
  /** 1..99: the second octet of the department's networks and the router's address on the core. */
  readonly index: number;
  /** Run a dockerd on the host (default false). */
  readonly docker?: boolean;
  /** LAN clients rdh-<name>-c1.. (default 1). */
  readonly clients?: number;
  /** Remote-network clients rdh-<name>-r1.. (default 1). */
  readonly remoteClients?: number;
}

export interface Department {
  readonly name: string;
  readonly index: number;
  readonly host: LabHost;
  readonly routerNs: string;
  readonly lanCidr: string;
  readonly remoteCidr: string;
  readonly routerLan: string;
  readonly routerRemote: string;
  /** LAN client namespaces. */
  readonly clients: string[];
  /** Remote-network client namespaces. */
  readonly remoteClients: string[];
  readonly lanBridgeNs: string;
  readonly remoteBridgeNs: string;
}

/** The namespaces of a department, whether or not it exists. */
export function departmentNamespaces(name: string, clients: number, remoteClients: number) {
  const ns = (s: string) => `rdh-${name}-${s}`;
  return {
    host: ns("host"),
    router: ns("rtr"),
    lan: ns("lan"),
    rnet: ns("rnet"),
    clients: Array.from({ length: clients }, (_, i) => ns(`c${i + 1}`)),
    remoteClients: Array.from({ length: remoteClients }, (_, i) => ns(`r${i + 1}`)),
  };
}

function departmentFile(name: string): string {
  return statePath("departments", `${name}.json`);
}

/** The departments the lab state dir records as up. */
export function listDepartments(): Department[] {
  const dir = statePath("departments");
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()
    .map((f) => JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8")) as Department);
}

function validate(spec: DepartmentSpec): void {
  if (!/^[a-z][a-z0-9]{0,19}$/.test(spec.name)) {
    throw new LabError(`department [name] "${spec.name}" must be 1-20 lower-case letters or digits, starting with a letter`);
  }
  if (!Number.isInteger(spec.index) || spec.index < 1 || spec.index > 99) {
    throw new LabError(`department [index] ${spec.index} must be an integer from 1 to 99`);
  }
  for (const k of ["clients", "remoteClients"] as const) {
    const v = spec[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 50)) throw new LabError(`department [${k}] ${v} must be 0..50`);
  }
  const clash = listDepartments().find((d) => d.index === spec.index && d.name !== spec.name);
  if (clash) throw new LabError(`department [index] ${spec.index} is taken by "${clash.name}"`);
}

/** Builds the department (replacing one of the same name); with docker, waits for the host's dockerd. */
export async function createDepartment(spec: DepartmentSpec): Promise<Department> {
  validate(spec);
  const n = spec.index;
  const names = departmentNamespaces(spec.name, spec.clients ?? 1, spec.remoteClients ?? 1);
  const old = listDepartments().find((d) => d.name === spec.name);
  if (old) await destroyDepartment(old);
  await ensureCore();
  const lan = `10.${n}.1`;
  const rem = `10.${n}.2`;

  await Promise.all([names.host, names.router, names.lan, names.rnet, ...names.clients, ...names.remoteClients].map(addNetns));
  await Promise.all([addBridge(names.lan, "br0"), addBridge(names.rnet, "br0")]);

  // Router: core0 on the core bridge, lan0 on the LAN switch, rnet0 on the remote switch.
  await plugIntoCore(names.router, "core0", `rtr${n}`);
  await addAddress(names.router, "core0", `10.255.0.${n}/24`);
  await addVeth(names.router, "lan0", names.lan, "rtr");
  await attachToBridge(names.lan, "rtr", "br0");
  await addAddress(names.router, "lan0", `${lan}.1/24`);
  await addVeth(names.router, "rnet0", names.rnet, "rtr");
  await attachToBridge(names.rnet, "rtr", "br0");
  await addAddress(names.router, "rnet0", `${rem}.1/24`);
  await sysctlIn(names.router, "net.ipv4.ip_forward", "1");

  // Host: eth0 10.n.1.6, default via the router and the remote network via the router (the paper's
  // `192.168.0.0/24 via 10.160.15.1`), so /proc/net/route has a gateway route besides the default.
  await addVeth(names.host, "eth0", names.lan, "host");
  await attachToBridge(names.lan, "host", "br0");
  await addAddress(names.host, "eth0", `${lan}.6/24`);
  await addRoute(names.host, "default", `${lan}.1`);
  await addRoute(names.host, `${rem}.0/24`, `${lan}.1`);

  // Clients: an unconfigured eth0 each, waiting for DHCP.
  for (const [i, c] of names.clients.entries()) {
    await addVeth(c, "eth0", names.lan, `c${i + 1}`);
    await attachToBridge(names.lan, `c${i + 1}`, "br0");
  }
  for (const [i, c] of names.remoteClients.entries()) {
    await addVeth(c, "eth0", names.rnet, `r${i + 1}`);
    await attachToBridge(names.rnet, `r${i + 1}`, "br0");
  }

  await addRoute(CTL_NS, `10.${n}.0.0/16`, `10.255.0.${n}`);

  const dockerSocket = spec.docker ? dockerSocketPath(spec.name) : undefined;
  const host = await startSshd({ name: spec.name, netns: names.host, address: `${lan}.6`, ...(dockerSocket ? { dockerSocket } : {}) });
  if (spec.docker) await startDockerd(spec.name, names.host);

  const d: Department = {
    name: spec.name,
    index: n,
    host,
    routerNs: names.router,
    lanCidr: `${lan}.0/24`,
    remoteCidr: `${rem}.0/24`,
    routerLan: `${lan}.1`,
    routerRemote: `${rem}.1`,
    clients: names.clients,
    remoteClients: names.remoteClients,
    lanBridgeNs: names.lan,
    remoteBridgeNs: names.rnet,
  };
  fs.mkdirSync(statePath("departments"), { recursive: true });
  fs.writeFileSync(departmentFile(d.name), JSON.stringify(d, null, 2));
  return d;
}

/** Removes the host's containers, stops its daemons and deletes the department's namespaces. */
export async function destroyDepartment(d: Department): Promise<void> {
  await stopRelay(d);
  await stopDockerd(d.name);
  await stopSshd(d.name);
  await unplugFromCore(`rtr${d.index}`);
  const all = [d.host.netns, d.routerNs, d.lanBridgeNs, d.remoteBridgeNs, ...d.clients, ...d.remoteClients];
  await Promise.all(all.map(delNetns));
  await ipIn(CTL_NS, ["route", "del", `10.${d.index}.0.0/16`]).catch(() => undefined);
  for (const dir of [statePath("docker", d.name), hostDir(d.name), statePath("relay", d.name), ...d.clients.map(clientDir), ...d.remoteClients.map(clientDir)]) {
    await unmountUnder(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.rmSync(departmentFile(d.name), { force: true });
}
