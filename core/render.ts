// Stage 4: render dhcpd.conf (dhcpd.conf(5), dhcp-options(5)). Byte-identical for the same plan:
// no time stamps, fixed order, so `pulumi preview` shows only real changes.
import { DhcpPlan, PlannedSubnet } from "./plan";
import { broadcastOf, formatAddress, maskOf } from "./ipv4";

export function renderDhcpdConf(plan: DhcpPlan): string {
  const { options } = plan;
  const out: string[] = [
    "# dhcpd.conf written by routedhcp from this host's routing table. Do not edit: it is rewritten",
    "# whenever the routes change.",
    `# dhcpd listens on: ${plan.interfaces.join(" ")}`,
    "",
    "authoritative;",
    "ddns-update-style none;",
    `default-lease-time ${options.defaultLeaseTime};`,
    `max-lease-time ${options.maxLeaseTime};`,
    `ping-check ${options.pingCheck ? "true" : "false"};`,
  ];
  if (options.domainName !== null) out.push(`option domain-name "${options.domainName}";`);
  if (options.dnsServers.length > 0) out.push(`option domain-name-servers ${options.dnsServers.map(formatAddress).join(", ")};`);

  for (const { iface, subnets } of plan.networks) {
    out.push("");
    if (subnets.length === 1) {
      out.push(`# ${iface}`);
      out.push(...subnetBlock(subnets[0]!, ""));
    } else {
      // Several subnets on one wire: one shared-network, or dhcpd treats them as separate links.
      // Quoted: dhcpd cannot read every name Linux allows bare ("a..b", "_").
      out.push(`shared-network "${iface}" {`);
      subnets.forEach((subnet, i) => {
        if (i > 0) out.push("");
        out.push(...subnetBlock(subnet, "  "));
      });
      out.push("}");
    }
  }
  for (const subnet of plan.remote) {
    out.push("", `# remote network behind ${subnet.iface}, reached through a DHCP relay agent`);
    out.push(...subnetBlock(subnet, ""));
  }
  return out.join("\n") + "\n";
}

function subnetBlock(subnet: PlannedSubnet, indent: string): string[] {
  const mask = formatAddress(maskOf(subnet.prefix));
  const lines = [`${indent}subnet ${formatAddress(subnet.network)} netmask ${mask} {`];
  const inner = `${indent}  `;
  if (subnet.ranges.length === 0) lines.push(`${inner}# no pool: no address is free for one`);
  for (const range of subnet.ranges) lines.push(`${inner}range ${formatAddress(range.start)} ${formatAddress(range.end)};`);
  if (subnet.router !== null) lines.push(`${inner}option routers ${formatAddress(subnet.router)};`);
  lines.push(`${inner}option subnet-mask ${mask};`);
  if (subnet.prefix <= 30) lines.push(`${inner}option broadcast-address ${formatAddress(broadcastOf(subnet.network, subnet.prefix))};`);
  for (const r of subnet.reservations) {
    lines.push(`${inner}host ${r.name} {`, `${inner}  hardware ethernet ${r.mac};`, `${inner}  fixed-address ${formatAddress(r.address)};`, `${inner}}`);
  }
  lines.push(`${indent}}`);
  return lines;
}
