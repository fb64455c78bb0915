// The main job (README's first command): build a department lab, roll its DHCP server out the way
// `pulumi up` does, and show a client's lease, the deployed config, and how to tear it down.
// Runs inside rdh-ctl: `node dist/lab/inCtl.js --keep node dist/lab/demo.js` (scripts/demo.sh).
import { createDepartment, lease, startRelay } from "./index";
import { ensureRoutedhcpImage, Rollout } from "./rollout";

async function main(): Promise<number> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say("== routedhcp demo: department \"sales\" (LAN 10.1.1.0/24, remote network 10.1.2.0/24 behind its router)");
  const d = await createDepartment({ name: "sales", index: 1, docker: true, clients: 1, remoteClients: 1 });
  say(`   target host ${d.host.address} (namespace ${d.host.netns}): sshd and its own Docker engine`);
  say("== building the ISC DHCP image offline (debootstrap; about 30 s the first time, cached after)");
  await ensureRoutedhcpImage(d.host, (line) => say(`   ${line}`));
  const rollout = await Rollout.start();
  try {
    say("== rolling out: read the host's routes over SSH, render, validate with the image's dhcpd, start the container");
    const up = await rollout.up(d, { relay: true, dnsServers: ["10.1.1.53"], domainName: "sales.example.com" });
    await startRelay(d);
    say(`   container ${up.spec.name} (${up.containerId.slice(0, 12)}) on ${d.host.dockerHost}, dhcpd on ${(up.props.interfaces as string[]).join(" ")}`);
    say("== the dhcpd.conf that was deployed:");
    process.stdout.write(`${(up.props.dhcpdConf as string).trimEnd().replace(/^/gm, "   ")}\n`);
    const lan = await lease(d.clients[0]!, { tool: "dhclient" });
    say(`== a LAN client (${lan.clientNs}) got ${lan.address}/${lan.prefix}, router ${lan.routers.join(" ")}, DNS ${lan.domainNameServers.join(" ")}, from ${lan.serverId}, for ${lan.leaseTime} s`);
    const remote = await lease(d.remoteClients[0]!, { tool: "dhclient" });
    say(`== a client behind the router's relay (${remote.clientNs}) got ${remote.address}/${remote.prefix}, router ${remote.routers.join(" ")}`);
    say("== the lab is still up. Look around:");
    say(`   ip netns exec ${d.clients[0]} ip -4 addr show eth0`);
    say(`   node dist/lab/cli.js status`);
    say("== tear it down: sudo node dist/lab/cli.js down");
    return 0;
  } finally {
    await rollout.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\nclean up with: sudo node dist/lab/cli.js down\n`);
    process.exit(1);
  },
);
