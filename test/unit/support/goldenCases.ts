// The rendered dhcpd.conf files kept in test/golden, and the options each is rendered with. The CLI
// test renders the same cases through the real bin and compares against the same files.
import { existsSync } from "node:fs";
import type { PlanOptions } from "../../../core/options";
import { Scenario, SERVING } from "./fixtures";

export interface GoldenCase {
  /** test/golden/<file> */
  readonly file: string;
  readonly scenario: Scenario;
  readonly options: PlanOptions;
  /** The same options as `routedhcp render` arguments; FILE stands for an --options file holding optionsFile. */
  readonly cliArgs: readonly string[];
  readonly optionsFile?: PlanOptions;
}

/** Every planning option at once, on virtual-zoo (the fixture with the most interfaces). */
export const ALL_OPTIONS = {
  relay: true,
  defaultLeaseTime: 3600,
  maxLeaseTime: 86400,
  dnsServers: ["10.60.0.1", "192.0.2.53"],
  domainName: "dept.example.com",
  pingCheck: false,
  includeInterfaces: ["docker0", "wg*"], // docker0 and wg0 look virtual: serve them...
  excludeInterfaces: ["wg0"], // ...but exclude wins over include: wg0 stays out
  pools: {
    // overlapping explicit ranges merge; a single address is a range of one
    "10.60.0.0/24": ["10.60.0.50-10.60.0.99", "10.60.0.90-10.60.0.120", "10.60.0.200"],
  },
  excludeAddresses: ["10.60.0.60-10.60.0.64", "10.60.0.100", "172.17.200.0-172.17.200.255"],
  reservations: [
    { mac: "52:54:00:12:34:56", address: "10.60.0.20" },
    { mac: "52:54:00:12:34:57", address: "10.60.0.70" }, // inside the explicit pool: cut out of it
    { name: "printer-2f", mac: "52:54:00:AB:CD:EF", address: "172.17.0.10" },
  ],
} as const satisfies PlanOptions;

const { pools, excludeAddresses, reservations } = ALL_OPTIONS;

export const GOLDEN_CASES: readonly GoldenCase[] = [
  ...SERVING.map((scenario) => ({ file: `${scenario}.conf`, scenario, options: {}, cliArgs: [] })),
  { file: "remote-network.relay.conf", scenario: "remote-network", options: { relay: true }, cliArgs: ["--relay"] },
  { file: "static-after-default.relay.conf", scenario: "static-after-default", options: { relay: true }, cliArgs: ["--relay"] },
  {
    file: "virtual-zoo.all-options.conf",
    scenario: "virtual-zoo",
    options: ALL_OPTIONS,
    optionsFile: { pools, excludeAddresses, reservations },
    cliArgs: [
      "--relay", "--lease-time", "3600", "--max-lease-time", "86400", "--dns", "10.60.0.1,192.0.2.53",
      "--domain", "dept.example.com", "--no-ping-check", "--include", "docker0", "--include", "wg*", "--exclude", "wg0",
      "--options", "FILE",
    ],
  },
];

/** The dhcpd to validate with: Debian's, else whatever is on PATH. */
export const DHCPD = existsSync("/usr/sbin/dhcpd") ? "/usr/sbin/dhcpd" : "dhcpd";
