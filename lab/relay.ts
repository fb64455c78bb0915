// ISC dhcrelay 4.4.3 on a department's router: listens for clients on the remote network (rnet0,
// downstream, -id) and relays to the host's dhcpd over the LAN (lan0, upstream, -iu). The relay
// puts giaddr = 10.n.2.1, so dhcpd picks the 10.n.2.0/24 subnet and answers to the router.
import * as fs from "node:fs";
import * as path from "node:path";
import { isAlive, readPidFile, sleep, spawnDaemon, tailFile, waitFor } from "./exec";
import { LabError } from "./labError";
import { statePath } from "./paths";
import type { Department } from "./department";

function relayDir(d: Pick<Department, "name">): string {
  return statePath("relay", d.name);
}

export async function startRelay(d: Department): Promise<void> {
  await stopRelay(d);
  const dir = relayDir(d);
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, "dhcrelay.log");
  const pidFile = path.join(dir, "dhcrelay.pid");
  // -d: stay in the foreground (we keep its pid); ip netns exec execs it, so the pid is dhcrelay's.
  const pid = spawnDaemon(
    ["ip", "netns", "exec", d.routerNs, "dhcrelay", "-4", "-d", "-pf", pidFile, "-id", "rnet0", "-iu", "lan0", d.host.address],
    log,
  );
  fs.writeFileSync(pidFile, `${pid}\n`);
  await waitFor(`dhcrelay on ${d.routerNs}`, 10_000, () => {
    if (!isAlive(pid)) throw new LabError(`dhcrelay on ${d.routerNs} exited: ${tailFile(log)}`);
    return /Sending on\s+Socket/.test(tailFile(log, 50));
  }, () => tailFile(log));
}

export async function stopRelay(d: Department): Promise<void> {
  const pid = readPidFile(path.join(relayDir(d), "dhcrelay.pid"));
  if (pid === undefined || !isAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(50);
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}
