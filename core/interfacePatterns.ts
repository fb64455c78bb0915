// Which interfaces carry container, overlay, VM or tunnel networks. Their subnets sit in the same
// routing table as the LAN (design.md: "Where the paper's Algorithm 1 falls short") but belong to
// software on this host, so a DHCP server must never answer on them.
export const VIRTUAL_INTERFACE_PATTERNS: readonly string[] = [
  "lo",
  "docker*", // Docker's default bridge
  "br-????????????", // Docker user-defined bridges: br- and 12 hex digits (not OpenWrt's br-lan)
  "cni*", // CNI bridge (Kubernetes)
  "flannel*",
  "cali*", // Calico workload veths
  "vxlan*", // VXLAN overlays (vxlan.calico, ...)
  "genev*", // Geneve overlays
  "cilium*",
  "weave*",
  "kube-*", // kube-ipvs0, kube-bridge
  "nodelocaldns",
  "veth*", // container ends of veth pairs
  "virbr*", // libvirt
  "vnet*", // libvirt VM taps
  "lxcbr*",
  "lxdbr*",
  "podman*",
  "wg*", // WireGuard
  "tun*", // OpenVPN and other tunnels
  "tap*",
  "tailscale*",
  "zt*", // ZeroTier
];

/** Shell-style match of an interface name: `*` any run, `?` one character. */
export function matchesPattern(name: string, pattern: string): boolean {
  // No module-level cache: Pulumi serializes this module into the dynamic provider, and a captured
  // Map does not survive that (design.md). Callers cache per discovery.
  const body = pattern.replace(/[.+^${}()|[\]\\-]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`).test(name);
}

export function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matchesPattern(name, pattern));
}

export function isValidPattern(pattern: string): boolean {
  return /^[A-Za-z0-9_.*?-]{1,15}$/.test(pattern);
}
