import type { DiscoveryJson } from "../core/discover";

/** The human table of `routedhcp discover`. */
export function formatDiscovery(discovery: DiscoveryJson): string {
  const rows = discovery.subnets.map((s) => [
    s.interface,
    s.cidr,
    s.excluded ? `${s.kind} (excluded)` : s.kind,
    s.kind === "remote" || s.via !== undefined ? `via ${s.via}` : (s.router ?? "-"),
  ]);
  const header = ["INTERFACE", "SUBNET", "KIND", "ROUTER"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const lines = [line(header), ...rows.map(line)];
  lines.push("", `host addresses: ${discovery.addresses.length > 0 ? discovery.addresses.join(", ") : "(unknown: no fib_trie)"}`);
  return lines.join("\n") + "\n";
}
