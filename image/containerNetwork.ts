// Is this container in a network namespace of its own? Then /proc/net/route shows the container's
// routes, not the host's (design.md: bind-mounting the host's /proc/net/route into a bridge-network
// container, as the paper's Figure 10 does, still shows the reader's namespace), and serving them
// would answer on the wrong network. Pure: the entrypoint gathers the facts.

export interface NetworkFacts {
  /** /.dockerenv or /run/.containerenv exists. */
  readonly inContainer: boolean;
  readonly hostname: string;
  /** The 64-hex container id from /proc/self/mountinfo, if any. */
  readonly containerId: string | null;
  /** The LAN subnets the table gives, with whether their interface is one end of a veth pair. */
  readonly lans: readonly { readonly iface: string; readonly cidr: string; readonly veth: boolean }[];
}

// Docker's default address pools (daemon.json default-address-pools): 172.17.0.0/16 ... 172.31.0.0/16
// and 192.168.0.0/16 in /20s.
const DOCKER_POOL = /^(172\.(1[7-9]|2\d|3[01])\.\d+\.\d+|192\.168\.\d+\.\d+)\/\d+$/;

/** A message when the table is a container network only; null when it looks like the host's. */
export function ownContainerNetwork(facts: NetworkFacts): string | null {
  if (!facts.inContainer || facts.lans.length === 0) return null;
  const ownUts = facts.containerId !== null && facts.hostname === facts.containerId.slice(0, 12);
  const dockerish = facts.lans.every((l) => l.veth && DOCKER_POOL.test(l.cidr));
  if (!ownUts && !dockerish) return null;
  const seen = facts.lans.map((l) => `${l.iface} ${l.cidr}`).join(", ");
  return (
    `this container has a network of its own (${seen}): /proc/net/route shows the container's routes, not the host's, ` +
    "so it would serve the wrong network. Run it with host networking (docker run --network host ...; DepartmentDhcp does)"
  );
}
