// Planning options as environment variables, for the self-configuring image (the paper's own
// mode): ROUTEDHCP_RELAY=true, ROUTEDHCP_LEASE_TIME=600, ... Both directions live here so the
// component that writes them and the entrypoint that reads them cannot drift apart.
import { checkOptions, type PlanOptions } from "../core/options";
import { OptionError } from "../core/optionError";

const LISTS = { ROUTEDHCP_DNS: "dnsServers", ROUTEDHCP_INCLUDE: "includeInterfaces", ROUTEDHCP_EXCLUDE: "excludeInterfaces", ROUTEDHCP_EXCLUDE_ADDRESSES: "excludeAddresses" } as const;
const NUMBERS = { ROUTEDHCP_LEASE_TIME: "defaultLeaseTime", ROUTEDHCP_MAX_LEASE_TIME: "maxLeaseTime", ROUTEDHCP_MAX_POOL_SIZE: "maxPoolSize" } as const;
const BOOLEANS = { ROUTEDHCP_RELAY: "relay", ROUTEDHCP_PING_CHECK: "pingCheck" } as const;
const JSONS = { ROUTEDHCP_POOLS: "pools", ROUTEDHCP_RESERVATIONS: "reservations", ROUTEDHCP_ROUTERS: "routers" } as const;
/** Option name -> the variable that carries it. */
const VARIABLE_OF: Readonly<Record<string, string>> = Object.fromEntries(
  [...Object.entries({ ...LISTS, ...NUMBERS, ...BOOLEANS, ...JSONS }), ["ROUTEDHCP_DOMAIN", "domainName"]].map(([name, key]) => [key, name]),
);

export function optionsToEnv(options: PlanOptions): string[] {
  const env: string[] = [];
  const record = options as Record<string, unknown>;
  for (const [name, key] of Object.entries(BOOLEANS)) if (record[key] !== undefined) env.push(`${name}=${String(record[key])}`);
  for (const [name, key] of Object.entries(NUMBERS)) if (record[key] !== undefined) env.push(`${name}=${String(record[key])}`);
  for (const [name, key] of Object.entries(LISTS)) if (record[key] !== undefined) env.push(`${name}=${(record[key] as string[]).join(",")}`);
  if (options.domainName !== undefined) env.push(`ROUTEDHCP_DOMAIN=${options.domainName}`);
  for (const [name, key] of Object.entries(JSONS)) if (record[key] !== undefined) env.push(`${name}=${JSON.stringify(record[key])}`);
  return env.sort();
}

export function optionsFromEnv(env: NodeJS.ProcessEnv): PlanOptions {
  const options: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(BOOLEANS)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    if (!/^(true|false|1|0|yes|no)$/i.test(value)) throw new OptionError(name, `"${value}" is not true or false`);
    options[key] = /^(true|1|yes)$/i.test(value);
  }
  for (const [name, key] of Object.entries(NUMBERS)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    if (!/^\d+$/.test(value)) throw new OptionError(name, `"${value}" is not a whole number`);
    options[key] = Number(value);
  }
  for (const [name, key] of Object.entries(LISTS)) {
    const value = env[name];
    if (value !== undefined && value !== "") options[key] = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
  }
  if (env.ROUTEDHCP_DOMAIN !== undefined && env.ROUTEDHCP_DOMAIN !== "") options.domainName = env.ROUTEDHCP_DOMAIN;
  for (const [name, key] of Object.entries(JSONS)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    try {
      options[key] = JSON.parse(value);
    } catch {
      throw new OptionError(name, "is not JSON");
    }
  }
  // Checked here, so that a value the core refuses is reported by the variable the user set.
  try {
    checkOptions(options as PlanOptions);
  } catch (error) {
    throw error instanceof OptionError ? namingVariables(error) : error;
  }
  return options as PlanOptions;
}

/**
 * The same error with option names replaced by the variables that carry them:
 * `[dnsServers[0]] "x" is not an IPv4 address` -> `[ROUTEDHCP_DNS[0]] "x" is not an IPv4 address`.
 * For errors the core raises while planning (a pool outside every served subnet, say).
 */
export function namingVariables(error: OptionError): OptionError {
  const rename = (key: string) => VARIABLE_OF[key] ?? key;
  const argument = error.argument.replace(/^[A-Za-z]+/, rename);
  const reason = error.reason.replace(/\[([A-Za-z]+)\]/g, (whole, key: string) => (VARIABLE_OF[key] === undefined ? whole : `[${rename(key)}]`));
  return new OptionError(argument, reason);
}
