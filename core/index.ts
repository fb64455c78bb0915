// The pure core: no Pulumi, no SSH, no file system.
export { parseRouteTable, ROUTE_COLUMNS } from "./routeTable";
export type { Route } from "./routeTable";
export { parseFibTrie } from "./fibTrie";
export { discoverSubnets, describeDiscovery } from "./discover";
export type { Discovery, DiscoveryJson, Subnet, SubnetKind, InterfaceSelection } from "./discover";
export { checkOptions, DEFAULT_OPTIONS } from "./options";
export type { PlanOptions, Reservation, CheckedOptions, Range } from "./options";
export { planPools } from "./plan";
export type { DhcpPlan, PlannedSubnet } from "./plan";
export { renderDhcpdConf } from "./render";
export { buildDhcpConfig, discover } from "./pipeline";
export type { DhcpConfig, RouteSnapshot, SourceText } from "./pipeline";
export { VIRTUAL_INTERFACE_PATTERNS } from "./interfacePatterns";
export { ParseError } from "./parseError";
export { OptionError } from "./optionError";
export { NothingToServeError } from "./nothingToServeError";
