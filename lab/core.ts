// The control namespace rdh-ctl and the core network 10.255.0.0/24 (bridge `core` in rdh-core).
// ctl holds 10.255.0.254/24 (routers are 10.255.0.<n>) and 10.255.1.254/24 (light hosts 10.255.1.<i>).
import { addAddress, addBridge, addNetns, addVeth, attachToBridge, ipIn, netnsExists } from "./netns";
import { CORE_BRIDGE, CORE_NS, CTL_CORE_ADDRESS, CTL_LIGHT_ADDRESS, CTL_NS } from "./paths";

let pending: Promise<void> | undefined;

/** Creates rdh-ctl, rdh-core and the link between them unless they are there already. */
export function ensureCore(): Promise<void> {
  // departments created in parallel share one build of the core
  pending ??= buildCore().finally(() => (pending = undefined));
  return pending;
}

async function buildCore(): Promise<void> {
  const fresh = !netnsExists(CORE_NS);
  await addNetns(CORE_NS);
  await addNetns(CTL_NS);
  if (fresh) await addBridge(CORE_NS, CORE_BRIDGE);
  const links = (await ipIn(CTL_NS, ["-o", "link", "show"])).stdout;
  if (!/ ctl0[@:]/.test(links)) {
    await addVeth(CTL_NS, "ctl0", CORE_NS, "ctl");
    await attachToBridge(CORE_NS, "ctl", CORE_BRIDGE);
    await addAddress(CTL_NS, "ctl0", `${CTL_CORE_ADDRESS}/24`);
    await addAddress(CTL_NS, "ctl0", `${CTL_LIGHT_ADDRESS}/24`);
  }
}

/** Attaches a veth from ns (named nsIface there) to the core bridge as corePort. */
export async function plugIntoCore(ns: string, nsIface: string, corePort: string): Promise<void> {
  await addVeth(ns, nsIface, CORE_NS, corePort);
  await attachToBridge(CORE_NS, corePort, CORE_BRIDGE);
}

/**
 * Deletes a port of the core bridge (and so its veth peer). Deleting the namespace at the other end
 * also removes it, but asynchronously (the kernel's netns cleanup), too late for an immediate re-create.
 */
export async function unplugFromCore(corePort: string): Promise<void> {
  if (!netnsExists(CORE_NS)) return;
  await ipIn(CORE_NS, ["link", "del", corePort]).catch(() => undefined);
}
