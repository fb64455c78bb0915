// The expected answers of test/fixtures/README.md ("Scenarios and expected answers"), in the JSON
// shape of `routedhcp discover --json`. Key order matters: JSON.stringify of these must equal the
// CLI's output byte for byte (interface, cidr, kind, router, then via for remote).
import type { DiscoveryJson } from "../../../core/discover";
import type { Scenario } from "./fixtures";

type JsonSubnet = DiscoveryJson["subnets"][number];

const lan = (iface: string, cidr: string, router: string | null): JsonSubnet => ({ interface: iface, cidr, kind: "lan", router });
const remote = (iface: string, cidr: string, via: string): JsonSubnet => ({ interface: iface, cidr, kind: "remote", router: null, via });
const virtual = (iface: string, cidr: string): JsonSubnet => ({ interface: iface, cidr, kind: "virtual", router: null });

export const EXPECTED_DISCOVERY: Record<Scenario, DiscoveryJson> = {
  "paper-file1": {
    subnets: [lan("ens34", "192.168.100.0/24", "192.168.100.1"), virtual("docker0", "172.17.0.0/16")],
    addresses: ["172.17.0.1", "192.168.100.6"],
  },
  "remote-network": {
    subnets: [lan("ens34", "10.160.15.0/24", "10.160.15.1"), remote("ens34", "192.168.0.0/24", "10.160.15.1")],
    addresses: ["10.160.15.20"],
  },
  "static-after-default": {
    subnets: [lan("eth0", "10.20.0.0/24", "10.20.0.1"), remote("eth0", "10.99.0.0/16", "10.20.0.254")],
    addresses: ["10.20.0.10"],
  },
  "default-metrics": {
    subnets: [lan("eth0", "10.30.0.0/24", "10.30.0.2"), lan("eth1", "10.31.0.0/24", "10.31.0.1")],
    addresses: ["10.30.0.10", "10.31.0.10"],
  },
  "two-lans": {
    subnets: [lan("eth0", "10.40.0.0/24", "10.40.0.1"), lan("eth1", "10.41.0.0/24", null)],
    addresses: ["10.40.0.10", "10.41.0.10"],
  },
  "shared-network": {
    subnets: [lan("eth0", "10.50.0.0/24", "10.50.0.1"), lan("eth0", "10.51.0.0/24", null)],
    addresses: ["10.50.0.10", "10.51.0.10"],
  },
  "virtual-zoo": {
    // lan first, then the virtual ones by interface name (byte order)
    subnets: [
      lan("eth0", "10.60.0.0/24", "10.60.0.1"),
      virtual("br-3f2a9c1d7e4b", "172.18.0.0/16"),
      virtual("cali1a2b3c4d5e6", "10.245.0.0/24"),
      virtual("cni0", "10.244.0.0/24"),
      virtual("docker0", "172.17.0.0/16"),
      virtual("flannel.1", "10.244.1.0/24"),
      virtual("lxcbr0", "10.0.3.0/24"),
      virtual("podman0", "10.88.0.0/16"),
      virtual("tun0", "10.8.0.0/24"),
      virtual("veth1234abc", "10.247.0.0/24"),
      virtual("virbr0", "192.168.122.0/24"),
      virtual("vxlan.calico", "10.246.0.0/24"),
      virtual("wg0", "10.66.0.0/24"),
    ],
    addresses: [
      "10.0.3.1", "10.8.0.1", "10.60.0.10", "10.66.0.1", "10.88.0.1", "10.244.0.1", "10.244.1.1",
      "10.245.0.1", "10.246.0.1", "10.247.0.1", "172.17.0.1", "172.18.0.1", "192.168.122.1",
    ],
  },
  "reject-routes": {
    subnets: [lan("eth0", "10.70.0.0/24", "10.70.0.1")],
    addresses: ["10.70.0.10"],
  },
  "cloud-vm": { subnets: [], addresses: ["10.128.0.5"] },
  "small-subnets": {
    subnets: [lan("eth0", "10.80.0.0/30", "10.80.0.2"), lan("eth1", "10.81.0.0/31", null), lan("eth2", "10.82.0.0/29", null)],
    addresses: ["10.80.0.1", "10.81.0.0", "10.82.0.1"],
  },
  "carrier-down": {
    subnets: [lan("eth0", "10.90.0.0/24", "10.90.0.1"), lan("eth1", "10.91.0.0/24", null)],
    addresses: ["10.90.0.10", "10.91.0.10"],
  },
  "no-default": {
    subnets: [lan("eth0", "10.100.0.0/24", null)],
    addresses: ["10.100.0.10"],
  },
};
