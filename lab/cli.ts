// `node dist/lab/cli.js up [--departments sales,engineering] [--no-docker] | down | status | image`
// (image: build the cached debootstrap rootfs tarball now, outside any lab namespace)
import { spawnSync } from "node:child_process";
import { cleanupStale } from "./cleanup";
import { createDepartment, listDepartments } from "./department";
import { ensureCore } from "./core";
import { ensureRootfsTarball } from "./image";
import { listLabNetns, netnsPids } from "./netns";
import { LAB_STATE_DIR } from "./paths";

import { holdsLabLock, rerunLocked } from "./labLock";

const USAGE = "usage: node dist/lab/cli.js up [--departments sales,engineering] [--no-docker] [--clients N] | down | status | image";

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function up(args: string[]): Promise<void> {
  const names = (option(args, "--departments") ?? "sales,engineering").split(",").filter(Boolean);
  const clients = Number(option(args, "--clients") ?? "2");
  await ensureCore();
  const taken = new Map(listDepartments().map((d) => [d.name, d.index]));
  let next = 1;
  for (const name of names) {
    let index = taken.get(name);
    if (index === undefined) {
      while ([...taken.values()].includes(next)) next++;
      index = next;
    }
    taken.set(name, index);
    const started = Date.now();
    const d = await createDepartment({ name, index, docker: !args.includes("--no-docker"), clients, remoteClients: 1 });
    console.log(`${d.name}: host ${d.host.address} (${d.host.netns}), LAN ${d.lanCidr}, remote ${d.remoteCidr}, router ${d.routerNs}` +
      `${d.host.dockerHost ? `, docker ${d.host.dockerHost}` : ""} [${((Date.now() - started) / 1000).toFixed(1)} s]`);
  }
  console.log(`ssh from rdh-ctl: ip netns exec rdh-ctl ssh -i ${LAB_STATE_DIR}/keys/id_ed25519 -o UserKnownHostsFile=${LAB_STATE_DIR}/hosts/NAME/known_hosts root@10.N.1.6`);
}

async function status(): Promise<void> {
  const namespaces = await listLabNetns();
  if (namespaces.length === 0) console.log("no lab namespaces");
  for (const ns of namespaces) {
    const pids = await netnsPids(ns);
    const procs = pids.map((p) => {
      const r = spawnSync("ps", ["-o", "comm=", "-p", String(p)], { encoding: "utf8" });
      return `${r.stdout.trim() || "?"}(${p})`;
    });
    console.log(`${ns}${procs.length ? `: ${procs.join(" ")}` : ""}`);
  }
  for (const d of listDepartments()) console.log(`department ${d.name}: index ${d.index}, host ${d.host.address}${d.host.dockerSocket ? `, dockerd ${d.host.dockerSocket}` : ""}`);
}

async function main(argv: string[]): Promise<void> {
  if ((argv[0] === "up" || argv[0] === "down") && !holdsLabLock()) {
    process.exitCode = await rerunLocked(__filename, argv);
    return;
  }
  switch (argv[0]) {
    case "up":
      return up(argv.slice(1));
    case "image": {
      const started = Date.now();
      const tarball = await ensureRootfsTarball((m) => console.log(m));
      console.log(`${tarball} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return;
    }
    case "down":
      return cleanupStale();
    case "status":
      return status();
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`lab: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
