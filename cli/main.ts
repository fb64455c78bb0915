// The routedhcp command: discover and render from a proc directory or a host over SSH.
// Every failure is one line on stderr and a non-zero exit, never a stack trace or partial output.
import { parseArgs } from "node:util";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { buildDhcpConfig, discover } from "../core/pipeline";
import { describeDiscovery } from "../core/discover";
import type { PlanOptions } from "../core/options";
import type { RouteSnapshot } from "../core/pipeline";
import { ParseError } from "../core/parseError";
import { OptionError } from "../core/optionError";
import { NothingToServeError } from "../core/nothingToServeError";
import { readProcDir } from "../io/readProcDir";
import { readOverSsh } from "../io/readOverSsh";
import { ReadError } from "../io/readError";
import { checkWithLocalDhcpd } from "../io/checkConfig";
import { formatDiscovery } from "./formatDiscovery";
import { HELP } from "./help";
import { UsageError } from "./usageError";

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  proc: { type: "string" },
  ssh: { type: "string" },
  identity: { type: "string" },
  "passphrase-env": { type: "string" },
  "known-hosts": { type: "string" },
  "host-key": { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  check: { type: "boolean" },
  relay: { type: "boolean" },
  include: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
  "lease-time": { type: "string" },
  "max-lease-time": { type: "string" },
  dns: { type: "string" },
  domain: { type: "string" },
  "no-ping-check": { type: "boolean" },
  options: { type: "string" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

export async function main(argv: readonly string[], out = process.stdout, err = process.stderr): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help || positionals[0] === "help") {
      out.write(HELP);
      return 0;
    }
    const command = positionals[0];
    if (command !== "discover" && command !== "render") {
      throw new UsageError(command === undefined ? "no command: use discover or render (see --help)" : `unknown command "${command}" (see --help)`);
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    if (command === "discover" && values.check) throw new UsageError("--check goes with render");
    if (command === "render" && values.json) throw new UsageError("--json goes with discover");

    const options = await planOptions(values);
    const snapshot = await readSnapshot(values);
    if (command === "discover") {
      const discovery = describeDiscovery(discover(snapshot, options));
      out.write(values.json ? `${JSON.stringify(discovery)}\n` : formatDiscovery(discovery));
      return 0;
    }
    const config = buildDhcpConfig(snapshot, options);
    if (values.check) {
      const result = await checkWithLocalDhcpd(config.dhcpdConf);
      if (!result.ok) throw new ReadError("dhcpd -t", `the rendered config does not validate: ${result.message.split("\n").join(" | ")}`);
    }
    out.write(config.dhcpdConf);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`routedhcp: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ParseError || error instanceof OptionError || error instanceof NothingToServeError || error instanceof ReadError) {
      err.write(`routedhcp: ${error.message}\n`);
      return 1;
    }
    err.write(`routedhcp: unexpected failure: ${(error as Error).message ?? String(error)}\n`);
    if (process.env.ROUTEDHCP_DEBUG) err.write(`${(error as Error).stack}\n`);
    return 1;
  }
}

async function readSnapshot(values: Values): Promise<RouteSnapshot> {
  if (values.ssh === undefined) {
    for (const flag of ["identity", "known-hosts", "host-key", "passphrase-env", "timeout"] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --ssh`);
    }
    return readProcDir(values.proc ?? "/proc");
  }
  if (values.proc !== undefined) throw new UsageError("give --proc or --ssh, not both");
  const match = /^([A-Za-z0-9._-]+)@([A-Za-z0-9._-]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?$/.exec(values.ssh);
  if (match === null) throw new UsageError(`--ssh "${values.ssh}" is not USER@HOST[:PORT]`);
  const [, user, host, port] = match;
  if (values["host-key"] !== undefined && values["known-hosts"] !== undefined) throw new UsageError("give --known-hosts or --host-key, not both");
  const knownHostsPath = values["known-hosts"] ?? join(homedir(), ".ssh", "known_hosts");
  const timeout = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!(timeout > 0)) throw new UsageError(`--timeout "${values.timeout}" is not a number of seconds`);
  let passphrase: string | undefined;
  if (values["passphrase-env"] !== undefined) {
    passphrase = process.env[values["passphrase-env"]];
    if (passphrase === undefined) throw new UsageError(`--passphrase-env: ${values["passphrase-env"]} is not set`);
  }
  return readOverSsh({
    host: host!.replace(/^\[|\]$/g, ""),
    port: port === undefined ? 22 : Number(port),
    user: user!,
    privateKey: values.identity === undefined ? undefined : await readArgumentFile("--identity", values.identity),
    passphrase,
    hostKey: values["host-key"],
    knownHosts: values["host-key"] === undefined ? { text: await readArgumentFile("--known-hosts", knownHostsPath), source: knownHostsPath } : undefined,
    timeoutMs: timeout * 1000,
  });
}

async function planOptions(values: Values): Promise<PlanOptions> {
  let fromFile: PlanOptions = {};
  if (values.options !== undefined) {
    const text = await readArgumentFile("--options", values.options);
    try {
      fromFile = JSON.parse(text) as PlanOptions;
    } catch (error) {
      throw new UsageError(`--options ${values.options}: not JSON (${(error as Error).message})`);
    }
    if (typeof fromFile !== "object" || fromFile === null || Array.isArray(fromFile)) throw new UsageError(`--options ${values.options}: not a JSON object`);
  }
  const seconds = (flag: "lease-time" | "max-lease-time"): number | undefined => {
    const text = values[flag];
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} "${text}" is not a whole number of seconds`);
    return Number(text);
  };
  const options: Record<string, unknown> = { ...fromFile };
  const set = (key: keyof PlanOptions, value: unknown) => {
    if (value !== undefined) options[key] = value;
  };
  set("relay", values.relay ? true : undefined);
  set("includeInterfaces", values.include);
  set("excludeInterfaces", values.exclude);
  set("defaultLeaseTime", seconds("lease-time"));
  set("maxLeaseTime", seconds("max-lease-time"));
  set("dnsServers", values.dns?.split(",").map((s) => s.trim()));
  set("domainName", values.domain);
  set("pingCheck", values["no-ping-check"] ? false : undefined);
  return options as PlanOptions;
}

async function readArgumentFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`${flag} ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
