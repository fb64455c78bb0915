// routedhcp: DHCP servers built from what the hosts already know.
export { DepartmentDhcp } from "./departmentDhcp";
export type { DepartmentDhcpArgs, DepartmentConnection } from "./departmentDhcp";
export { HostDhcpConfig } from "../provider/hostDhcpConfig";
export type { HostDhcpConfigArgs } from "../provider/hostDhcpConfig";
export { dhcpContainerSpec, DEFAULT_IMAGE } from "./containerSpec";
export type { DhcpContainerSpec, DhcpMode } from "./containerSpec";
export {
  buildDhcpConfig,
  discover,
  parseRouteTable,
  parseFibTrie,
  discoverSubnets,
  describeDiscovery,
  planPools,
  renderDhcpdConf,
  checkOptions,
  ParseError,
  OptionError,
  NothingToServeError,
  VIRTUAL_INTERFACE_PATTERNS,
} from "../core";
export type { PlanOptions, Reservation, DhcpConfig, Discovery, DiscoveryJson, RouteSnapshot } from "../core";
export { readProcDir } from "../io/readProcDir";
export { readOverSsh } from "../io/readOverSsh";
export type { SshTarget } from "../io/sshSession";
export { ReadError } from "../io/readError";
