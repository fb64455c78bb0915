// "Light" hosts for fan-out benchmarks: sshd only, no router, no dockerd. rdh-h<i> sits straight on
// the core bridge at 10.255.1.<i>/24, where ctl also has 10.255.1.254, so no route is needed.
import * as fs from "node:fs";
import { ensureCore, plugIntoCore, unplugFromCore } from "./core";
import { LabError } from "./labError";
import { addAddress, addNetns, delNetns, ipIn, netnsExists } from "./netns";
import { CTL_NS, hostDir } from "./paths";
import { ensureClientKey, startSshd, type LabHost } from "./sshd";

export const MAX_SSH_HOSTS = 253;

function lightHostNs(i: number): string {
  return `rdh-h${i}`;
}

async function createOne(i: number): Promise<LabHost> {
  const ns = lightHostNs(i);
  await addNetns(ns);
  await plugIntoCore(ns, "eth0", `h${i}`);
  await addAddress(ns, "eth0", `10.255.1.${i}/24`);
  return startSshd({ name: `h${i}`, netns: ns, address: `10.255.1.${i}` });
}

/** Makes hosts rdh-h1..rdh-h<count> (replacing any of those names), 8 at a time. */
export async function createSshHosts(count: number): Promise<LabHost[]> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SSH_HOSTS) throw new LabError(`[count] ${count} must be 1..${MAX_SSH_HOSTS}`);
  await ensureCore();
  await ensureClientKey(); // once, before the parallel starts race to make it
  // Replace earlier ones of these names, all at once (each waits ~2 s for PID 1 to reap its sshd).
  const stale = Array.from({ length: count }, (_, k) => k + 1).filter((i) => netnsExists(lightHostNs(i)));
  await destroySshHosts(stale.map((i) => ({ name: `h${i}`, netns: lightHostNs(i) })));
  const hosts: LabHost[] = new Array<LabHost>(count);
  let next = 1;
  const worker = async () => {
    for (let i = next++; i <= count; i = next++) hosts[i - 1] = await createOne(i);
  };
  await Promise.all(Array.from({ length: Math.min(8, count) }, worker));
  // A host made again at an address (rdh-h1 of an earlier run) has a new MAC, and ctl would keep
  // sending to the old one for as long as its entry stays REACHABLE (15-45 s): the first connections
  // would time out. Only rdh-ctl's neighbour cache is touched.
  await ipIn(CTL_NS, ["neigh", "flush", "to", "10.255.1.0/24"]);
  return hosts;
}

export async function destroySshHosts(hosts: readonly Pick<LabHost, "name" | "netns">[]): Promise<void> {
  await Promise.all(hosts.map(async (h) => {
    await unplugFromCore(h.name);
    await delNetns(h.netns);
  }));
  for (const h of hosts) fs.rmSync(hostDir(h.name), { recursive: true, force: true });
}
