// The self-configuring image's pure parts: what it holds (image/Dockerfile against image/contents.ts,
// and the entrypoint's require closure against both), its options as ROUTEDHCP_* variables
// (image/optionsEnv.ts) and its refusal to serve a container's own network (image/containerNetwork.ts).
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { PlanOptions } from "../../core/options";
import { checkOptions } from "../../core/options";
import { OptionError } from "../../core/optionError";
import { APP_DIR, IMAGE_APP_PATHS, imageOverlay } from "../../image/contents";
import { NetworkFacts, ownContainerNetwork } from "../../image/containerNetwork";
import { namingVariables, optionsFromEnv, optionsToEnv } from "../../image/optionsEnv";
import { ROOTFS_PACKAGES } from "../../lab/image";
import { dhcpContainerSpec, ENTRYPOINT } from "../../sdk/containerSpec";
import { ROOT } from "./support/fixtures";

const DOCKERFILE = readFileSync(join(ROOT, "image", "Dockerfile"), "utf8");

/** KEY=VALUE strings (docker --env) as an environment. */
const envOf = (lines: readonly string[]): NodeJS.ProcessEnv =>
  Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));

const fromEnvError = (env: NodeJS.ProcessEnv): string => {
  try {
    optionsFromEnv(env);
  } catch (error) {
    assert.ok(error instanceof OptionError, String(error));
    return error.message;
  }
  assert.fail(`no error for ${JSON.stringify(env)}`);
};

describe("image contents (image/Dockerfile, image/contents.ts)", () => {
  it("the Dockerfile's COPY lines are IMAGE_APP_PATHS, in order, each to the same path under APP_DIR", () => {
    const copies = [...DOCKERFILE.matchAll(/^COPY\s+(\S+)\s+(\S+)\s*$/gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual(copies, IMAGE_APP_PATHS.map((p) => [p, `${APP_DIR}/${p}`]));
    assert.equal(DOCKERFILE.match(/^COPY\b/gm)?.length, IMAGE_APP_PATHS.length, "no COPY line of another shape");
  });

  it("the lab's offline overlay puts the same paths at the same places", () => {
    assert.deepEqual(
      imageOverlay("/repo").map((o) => [o.from, o.to]),
      IMAGE_APP_PATHS.map((p) => [`/repo/${p}`, `${APP_DIR}/${p}`]),
    );
  });

  it("the Dockerfile's CMD and the container spec run the same entrypoint, inside APP_DIR", () => {
    assert.equal(ENTRYPOINT, `${APP_DIR}/dist/image/entrypoint.js`);
    assert.match(DOCKERFILE, new RegExp(`^CMD \\["node", "${ENTRYPOINT}"\\]$`, "m"));
    const spec = dhcpContainerSpec({ mode: "self-configuring", name: "d", image: "i", leasesVolume: "v", options: {} });
    assert.ok(spec.command[2]?.includes(`node ${ENTRYPOINT}`), spec.command[2]);
  });

  it("the Dockerfile installs the lab image's Debian packages (both images hold the same)", () => {
    const install = /apt-get install -y --no-install-recommends ([^\\\n&]+)/.exec(DOCKERFILE)?.[1]?.trim().split(/\s+/);
    assert.deepEqual(install, [...ROOTFS_PACKAGES]);
  });

  it("everything the compiled entrypoint requires lies inside IMAGE_APP_PATHS or is built into node", () => {
    const inImage = (file: string) => IMAGE_APP_PATHS.some((p) => `${relative(ROOT, file)}/`.startsWith(`${p}/`) || relative(ROOT, file) === p);
    const seen = new Set<string>();
    const outside: string[] = [];
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      if (!inImage(file)) outside.push(relative(ROOT, file));
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/\brequire\("([^"]+)"\)/g)) {
        if (spec!.startsWith("node:") || builtinModules.includes(spec!)) continue;
        walk(require.resolve(spec!, { paths: [dirname(file)] }));
      }
    };
    walk(join(ROOT, "dist", "image", "entrypoint.js"));
    assert.deepEqual(outside, []);
    assert.ok([...seen].some((f) => f.includes("node_modules/ip-num/")), "ip-num is reached (the walk follows packages)");
  });
});

describe("image options as ROUTEDHCP_* variables (image/optionsEnv.ts)", () => {
  const every: PlanOptions = {
    relay: true,
    defaultLeaseTime: 900,
    maxLeaseTime: 3600,
    dnsServers: ["10.1.1.53", "10.1.1.54"],
    domainName: "sales.example.com",
    pingCheck: false,
    includeInterfaces: ["eth*"],
    excludeInterfaces: ["eth9", "wlan?"],
    pools: { "10.1.1.0/24": ["10.1.1.100-10.1.1.199"] },
    excludeAddresses: ["10.1.1.5", "10.1.1.60-10.1.1.70"],
    reservations: [{ name: "printer", mac: "52:54:00:12:34:56", address: "10.1.1.20" }],
    routers: { "10.1.2.0/24": "10.1.2.254" },
    maxPoolSize: 100,
  };

  it("every option becomes one variable, sorted, in the documented format", () => {
    assert.deepEqual(optionsToEnv(every), [
      "ROUTEDHCP_DNS=10.1.1.53,10.1.1.54",
      "ROUTEDHCP_DOMAIN=sales.example.com",
      "ROUTEDHCP_EXCLUDE=eth9,wlan?",
      "ROUTEDHCP_EXCLUDE_ADDRESSES=10.1.1.5,10.1.1.60-10.1.1.70",
      "ROUTEDHCP_INCLUDE=eth*",
      "ROUTEDHCP_LEASE_TIME=900",
      "ROUTEDHCP_MAX_LEASE_TIME=3600",
      "ROUTEDHCP_MAX_POOL_SIZE=100",
      "ROUTEDHCP_PING_CHECK=false",
      'ROUTEDHCP_POOLS={"10.1.1.0/24":["10.1.1.100-10.1.1.199"]}',
      "ROUTEDHCP_RELAY=true",
      'ROUTEDHCP_RESERVATIONS=[{"name":"printer","mac":"52:54:00:12:34:56","address":"10.1.1.20"}]',
      'ROUTEDHCP_ROUTERS={"10.1.2.0/24":"10.1.2.254"}',
    ]);
  });

  const roundTrips: [string, PlanOptions][] = [
    ["every option", every],
    ["no options", {}],
    ["only relay", { relay: true }],
    ["false booleans", { relay: false, pingCheck: false }],
    ["one list entry", { dnsServers: ["10.0.0.1"] }],
  ];
  for (const [name, options] of roundTrips) {
    it(`round trip: ${name}`, () => {
      assert.deepEqual(optionsFromEnv(envOf(optionsToEnv(options))), options);
    });
  }

  it("round trip: an empty list is written empty and reads back as absent, which plans the same", () => {
    const options: PlanOptions = { dnsServers: [], excludeAddresses: [] };
    assert.deepEqual(optionsToEnv(options), ["ROUTEDHCP_DNS=", "ROUTEDHCP_EXCLUDE_ADDRESSES="]);
    const back = optionsFromEnv(envOf(optionsToEnv(options)));
    assert.deepEqual(back, {});
    assert.deepEqual(checkOptions(back), checkOptions(options));
  });

  it("reads what a person types: true/false spellings, spaces and empty items in lists, empty variables", () => {
    assert.deepEqual(optionsFromEnv({ ROUTEDHCP_RELAY: "YES", ROUTEDHCP_PING_CHECK: "0" }), { relay: true, pingCheck: false });
    assert.deepEqual(optionsFromEnv({ ROUTEDHCP_RELAY: "1", ROUTEDHCP_PING_CHECK: "No" }), { relay: true, pingCheck: false });
    assert.deepEqual(optionsFromEnv({ ROUTEDHCP_DNS: " 10.0.0.1 , ,10.0.0.2," }), { dnsServers: ["10.0.0.1", "10.0.0.2"] });
    assert.deepEqual(optionsFromEnv({ ROUTEDHCP_RELAY: "", ROUTEDHCP_LEASE_TIME: "", ROUTEDHCP_POOLS: "", ROUTEDHCP_DOMAIN: "" }), {});
    assert.deepEqual(optionsFromEnv({ PATH: "/bin", ROUTEDHCP_PROC: "/host/proc" }), {}, "other variables are not options");
    assert.deepEqual(optionsFromEnv({ ROUTEDHCP_CONF: "/tmp/d.conf", ROUTEDHCP_DHCPD: "/usr/sbin/dhcpd", XROUTEDHCP_RELAY: "1" }), {}, "nor are the entrypoint's own");
  });

  const errors: [string, NodeJS.ProcessEnv, string][] = [
    ["a boolean that is not one", { ROUTEDHCP_RELAY: "maybe" }, '[ROUTEDHCP_RELAY] "maybe" is not true or false'],
    ["letters for a number", { ROUTEDHCP_LEASE_TIME: "abc" }, '[ROUTEDHCP_LEASE_TIME] "abc" is not a whole number'],
    ["a fraction", { ROUTEDHCP_MAX_POOL_SIZE: "1.5" }, '[ROUTEDHCP_MAX_POOL_SIZE] "1.5" is not a whole number'],
    ["a negative number", { ROUTEDHCP_MAX_LEASE_TIME: "-5" }, '[ROUTEDHCP_MAX_LEASE_TIME] "-5" is not a whole number'],
    ["broken JSON", { ROUTEDHCP_POOLS: "{" }, "[ROUTEDHCP_POOLS] is not JSON"],
    ["broken JSON (reservations)", { ROUTEDHCP_RESERVATIONS: "[{mac:1}]" }, "[ROUTEDHCP_RESERVATIONS] is not JSON"],
    // Values the core refuses: still named by the variable (image/optionsEnv.ts namingVariables).
    ["zero seconds", { ROUTEDHCP_LEASE_TIME: "0" }, "[ROUTEDHCP_LEASE_TIME] 0 is not a whole number of seconds"],
    ["max below default", { ROUTEDHCP_LEASE_TIME: "9000", ROUTEDHCP_MAX_LEASE_TIME: "600" }, "[ROUTEDHCP_MAX_LEASE_TIME] 600 is shorter than [ROUTEDHCP_LEASE_TIME] 9000"],
    ["a DNS server that is no address", { ROUTEDHCP_DNS: "10.0.0.1,10.0.0.300" }, '[ROUTEDHCP_DNS[1]] "10.0.0.300" is not an IPv4 address'],
    ["a bad domain", { ROUTEDHCP_DOMAIN: "a b" }, '[ROUTEDHCP_DOMAIN] "a b" is not a domain name'],
    ["a bad interface pattern", { ROUTEDHCP_EXCLUDE: "eth0,e/1" }, '[ROUTEDHCP_EXCLUDE[1]] "e/1" is not an interface name pattern (A-Z a-z 0-9 _ . - * ?)'],
    ["JSON of the wrong shape", { ROUTEDHCP_POOLS: '["10.1.1.0/24"]' }, '[ROUTEDHCP_POOLS] ["10.1.1.0/24"] is not an object keyed by subnet'],
    ["a bad MAC in JSON", { ROUTEDHCP_RESERVATIONS: '[{"mac":"00:11","address":"10.1.1.9"}]' }, '[ROUTEDHCP_RESERVATIONS[0].mac] "00:11" is not a MAC address like 52:54:00:12:34:56'],
    ["a bad router", { ROUTEDHCP_ROUTERS: '{"10.1.2.0/24":"x"}' }, '[ROUTEDHCP_ROUTERS["10.1.2.0/24"]] "x" is not an IPv4 address'],
    // A misspelled variable would leave its option at the default without a word.
    ["a misspelled variable", { ROUTEDHCP_LEASETIME: "600" }, "[ROUTEDHCP_LEASETIME] is not a variable the image reads; did you mean ROUTEDHCP_LEASE_TIME?"],
    ["a misspelled variable, set empty", { ROUTEDHCP_RELEY: "" }, "[ROUTEDHCP_RELEY] is not a variable the image reads; did you mean ROUTEDHCP_RELAY?"],
    ["a singular for a plural", { ROUTEDHCP_ROUTER: '{"10.1.2.0/24":"10.1.2.254"}' }, "[ROUTEDHCP_ROUTER] is not a variable the image reads; did you mean ROUTEDHCP_ROUTERS?"],
    ["two words run together", { ROUTEDHCP_MAXPOOLSIZE: "100" }, "[ROUTEDHCP_MAXPOOLSIZE] is not a variable the image reads; did you mean ROUTEDHCP_MAX_POOL_SIZE?"],
    ["lower case", { routedhcp_relay: "true" }, "[routedhcp_relay] is not a variable the image reads; did you mean ROUTEDHCP_RELAY?"],
    ["an entrypoint variable misspelled", { ROUTEDHCP_PORC: "/host/proc" }, "[ROUTEDHCP_PORC] is not a variable the image reads; did you mean ROUTEDHCP_PROC?"],
    ["the first of two, by name", { ROUTEDHCP_RELEY: "1", ROUTEDHCP_DNSS: "10.0.0.1" }, "[ROUTEDHCP_DNSS] is not a variable the image reads; did you mean ROUTEDHCP_DNS?"],
    ["before the values are read", { ROUTEDHCP_LEASE_TIME: "abc", ROUTEDHCP_LEASETIME: "600" }, "[ROUTEDHCP_LEASETIME] is not a variable the image reads; did you mean ROUTEDHCP_LEASE_TIME?"],
    [
      "nothing close: every variable is listed",
      { ROUTEDHCP_XYZZY: "1" },
      "[ROUTEDHCP_XYZZY] is not a variable the image reads; the image reads ROUTEDHCP_CONF, ROUTEDHCP_DEBUG, ROUTEDHCP_DHCPD, ROUTEDHCP_DNS, ROUTEDHCP_DOMAIN, " +
        "ROUTEDHCP_EXCLUDE, ROUTEDHCP_EXCLUDE_ADDRESSES, ROUTEDHCP_INCLUDE, ROUTEDHCP_LEASE_TIME, ROUTEDHCP_MAX_LEASE_TIME, ROUTEDHCP_MAX_POOL_SIZE, " +
        "ROUTEDHCP_PING_CHECK, ROUTEDHCP_POOLS, ROUTEDHCP_PROC, ROUTEDHCP_RELAY, ROUTEDHCP_RESERVATIONS, ROUTEDHCP_ROUTERS",
    ],
  ];
  for (const [name, env, message] of errors) {
    it(`error names the variable: ${name}`, () => {
      assert.equal(fromEnvError(env), message);
    });
  }

  it("errors the core raises while planning are renamed the same way, and renaming twice changes nothing", () => {
    const planned = new OptionError('pools["10.9.0.0/24"]', "is not a subnet this host serves (it serves 10.1.1.0/24)");
    const once = namingVariables(planned);
    assert.equal(once.message, '[ROUTEDHCP_POOLS["10.9.0.0/24"]] is not a subnet this host serves (it serves 10.1.1.0/24)');
    assert.equal(namingVariables(once).message, once.message);
    assert.equal(namingVariables(new OptionError("options", "is odd")).message, "[options] is odd");
  });
});

describe("ownContainerNetwork (image/containerNetwork.ts)", () => {
  const id = "3f2a9c1d7e4b".padEnd(64, "0a");
  const facts = (over: Partial<NetworkFacts>): NetworkFacts => ({ inContainer: true, hostname: "dept-host", containerId: id, lans: [], ...over });
  const lan = (iface: string, cidr: string, veth: boolean) => ({ iface, cidr, veth });

  const cases: [string, NetworkFacts, RegExp | null][] = [
    ["host networking on a lab host (veth eth0, 10.41.1.0/24, the host's hostname)", facts({ lans: [lan("eth0", "10.41.1.0/24", true)] }), null],
    ["host networking on a physical host in 192.168/16 (no veth)", facts({ hostname: "vm", lans: [lan("ens34", "192.168.100.0/24", false)] }), null],
    ["host networking, no container id found", facts({ containerId: null, lans: [lan("eth0", "10.41.1.0/24", true)] }), null],
    ["Docker's default bridge (hostname = id prefix)", facts({ hostname: id.slice(0, 12), lans: [lan("eth0", "172.17.0.0/16", true)] }), /\(eth0 172\.17\.0\.0\/16\)/],
    ["a user network outside Docker's pools, default hostname", facts({ hostname: id.slice(0, 12), lans: [lan("eth0", "10.99.0.0/24", true)] }), /\(eth0 10\.99\.0\.0\/24\)/],
    ["a custom hostname, but veth in 172.30.0.0/16", facts({ hostname: "dhcp", lans: [lan("eth0", "172.30.0.0/16", true)] }), /\(eth0 172\.30\.0\.0\/16\)/],
    ["a custom hostname, veth in a 192.168 /20 pool", facts({ hostname: "dhcp", lans: [lan("eth0", "192.168.16.0/20", true)] }), /\(eth0 192\.168\.16\.0\/20\)/],
    ["a custom hostname, two container networks", facts({ hostname: "dhcp", lans: [lan("eth0", "172.30.0.0/16", true), lan("eth1", "172.31.0.0/16", true)] }), /\(eth0 172\.30\.0\.0\/16, eth1 172\.31\.0\.0\/16\)/],
    ["a custom hostname, one network not Docker's", facts({ hostname: "dhcp", lans: [lan("eth0", "172.30.0.0/16", true), lan("eth1", "10.41.1.0/24", true)] }), null],
    ["a custom hostname, Docker's range but not a veth", facts({ hostname: "dhcp", lans: [lan("ens3", "172.20.0.0/16", false)] }), null],
    ["not in a container (a host with docker-like networks)", facts({ inContainer: false, hostname: id.slice(0, 12), lans: [lan("eth0", "172.17.0.0/16", true)] }), null],
    ["in a container, nothing to look at", facts({ hostname: id.slice(0, 12), lans: [] }), null],
  ];
  for (const [name, input, expected] of cases) {
    it(`${expected === null ? "serves" : "refuses"}: ${name}`, () => {
      const message = ownContainerNetwork(input);
      if (expected === null) {
        assert.equal(message, null);
      } else {
        assert.ok(message !== null);
        assert.match(message, expected);
        assert.match(message, /Run it with host networking \(docker run --network host \.\.\.; DepartmentDhcp does\)$/);
      }
    });
  }

  it("the whole message", () => {
    assert.equal(
      ownContainerNetwork(facts({ hostname: id.slice(0, 12), lans: [lan("eth0", "172.30.0.0/16", true)] })),
      "this container has a network of its own (eth0 172.30.0.0/16): /proc/net/route shows the container's routes, not the host's, " +
        "so it would serve the wrong network. Run it with host networking (docker run --network host ...; DepartmentDhcp does)",
    );
  });
});
