// Planning options as environment variables, for the self-configuring image (the paper's own
// mode): ROUTEDHCP_RELAY=true, ROUTEDHCP_LEASE_TIME=600, ... Both directions live here so the
// component that writes them and the entrypoint that reads them cannot drift apart.
import { checkOptions, type PlanOptions } from "../core/options";
import { OptionError } from "../core/optionError";

const LISTS = { ROUTEDHCP_DNS: "dnsServers", ROUTEDHCP_INCLUDE: "includeInterfaces", ROUTEDHCP_EXCLUDE: "excludeInterfaces", ROUTEDHCP_EXCLUDE_ADDRESSES: "excludeAddresses" } as const;
const NUMBERS = { ROUTEDHCP_LEASE_TIME: "defaultLeaseTime", ROUTEDHCP_MAX_LEASE_TIME: "maxLeaseTime", ROUTEDHCP_MAX_POOL_SIZE: "maxPoolSize" } as const;
const BOOLEANS = { ROUTEDHCP_RELAY: "relay", ROUTEDHCP_PING_CHECK: "pingCheck" } as const;
const JSONS = { ROUTEDHCP_POOLS: "pools", ROUTEDHCP_RESERVATIONS: "reservations", ROUTEDHCP_ROUTERS: "routers" } as const;
/** Variables the entrypoint reads besides the options (image/entrypoint.ts): test and debugging hooks. */
const ENTRYPOINT_VARIABLES = ["ROUTEDHCP_CONF", "ROUTEDHCP_DEBUG", "ROUTEDHCP_DHCPD", "ROUTEDHCP_PROC"] as const;
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

/** Every ROUTEDHCP_* variable the image reads, sorted. */
const KNOWN_VARIABLES: readonly string[] = [...Object.values(VARIABLE_OF), ...ENTRYPOINT_VARIABLES].sort();

export function optionsFromEnv(env: NodeJS.ProcessEnv): PlanOptions {
  checkVariableNames(env);
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
 * A misspelled variable (ROUTEDHCP_LEASETIME) would otherwise be ignored and the server started
 * with the default it meant to change. Names are compared without regard to case, since
 * `routedhcp_relay` is as surely meant for the image.
 */
function checkVariableNames(env: NodeJS.ProcessEnv): void {
  const unknown = Object.keys(env)
    .filter((name) => name.toUpperCase().startsWith("ROUTEDHCP_") && !KNOWN_VARIABLES.includes(name))
    .sort();
  const name = unknown[0];
  if (name === undefined) return;
  const [closest, distance] = closestKnown(name.toUpperCase());
  // A guess off by more than a third of what follows ROUTEDHCP_ is no help: list them all instead.
  const close = distance <= Math.max(1, Math.floor((name.length - "ROUTEDHCP_".length) / 3));
  const hint = close ? `did you mean ${closest}?` : `the image reads ${KNOWN_VARIABLES.join(", ")}`;
  throw new OptionError(name, `is not a variable the image reads; ${hint}`);
}

/** The known variable at the least edit distance from name, the first on a tie. */
function closestKnown(name: string): [string, number] {
  let best: [string, number] = ["", Infinity];
  for (const known of KNOWN_VARIABLES) {
    const distance = editDistance(name, known);
    if (distance < best[1]) best = [known, distance];
  }
  return best;
}

/** Insertions, deletions, substitutions and swaps of neighbours (PORC for PROC) to turn a into b. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const above = d[i - 1]!;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
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
