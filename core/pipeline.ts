// The pure pipeline end to end: parse -> discover -> plan -> render. No I/O: callers read the
// files (locally, over SSH, inside the image) and validate the result with dhcpd -t.
import { parseRouteTable } from "./routeTable";
import { parseFibTrie } from "./fibTrie";
import { Discovery, discoverSubnets } from "./discover";
import { checkOptions, PlanOptions } from "./options";
import { DhcpPlan, planPools } from "./plan";
import { renderDhcpdConf } from "./render";

export interface SourceText {
  readonly text: string;
  /** Where the text came from, for messages: "/proc/net/route", "root@10.1.1.6:/proc/net/route". */
  readonly source: string;
}

export interface RouteSnapshot {
  readonly route: SourceText;
  readonly fibTrie?: SourceText | undefined;
}

export interface DhcpConfig {
  readonly discovery: Discovery;
  readonly plan: DhcpPlan;
  readonly dhcpdConf: string;
  /** dhcpd's listen list. */
  readonly interfaces: readonly string[];
}

export function discover(snapshot: RouteSnapshot, options: PlanOptions = {}): Discovery {
  const checked = checkOptions(options);
  const routes = parseRouteTable(snapshot.route.text, snapshot.route.source);
  const addresses = snapshot.fibTrie === undefined ? [] : parseFibTrie(snapshot.fibTrie.text, snapshot.fibTrie.source);
  return discoverSubnets(routes, addresses, checked);
}

export function buildDhcpConfig(snapshot: RouteSnapshot, options: PlanOptions = {}): DhcpConfig {
  const checked = checkOptions(options);
  const routes = parseRouteTable(snapshot.route.text, snapshot.route.source);
  const addresses = snapshot.fibTrie === undefined ? [] : parseFibTrie(snapshot.fibTrie.text, snapshot.fibTrie.source);
  const discovery = discoverSubnets(routes, addresses, checked);
  const plan = planPools(discovery, checked, snapshot.route.source);
  return { discovery, plan, dhcpdConf: renderDhcpdConf(plan), interfaces: plan.interfaces };
}
