// `node dist/lab/inCtl.js CMD ARGS...`: runs CMD inside the lab's control namespace rdh-ctl, the way
// `npm test` runs mocha. Cleans up stale lab state first, builds rdh-ctl and the core network, runs
// CMD with `nsenter --net` (not `ip netns exec`: the mount namespace stays the root one, so namespaces
// the tests create stay visible), forwards stdio, signals and the exit code, and always cleans up.
import { spawn } from "node:child_process";
import { cleanupStale } from "./cleanup";
import { ensureCore } from "./core";
import { CTL_NS, ROOT_NETNS_ENV } from "./paths";
import { holdsLabLock, rerunLocked } from "./labLock";

async function main(args: string[]): Promise<number> {
  // --keep: leave the lab up afterwards (the demo), for `node dist/lab/cli.js down` to remove.
  const keep = args[0] === "--keep";
  const argv = keep ? args.slice(1) : args;
  if (argv.length === 0) {
    process.stderr.write("usage: node dist/lab/inCtl.js [--keep] CMD [ARGS...]\n");
    return 2;
  }
  if (!holdsLabLock()) return rerunLocked(__filename, args);
  let child: ReturnType<typeof spawn> | undefined;
  let stopping: NodeJS.Signals | undefined;
  // The signal goes to CMD's whole process group: `npx` exits at once on SIGINT and would leave
  // mocha running against a lab that cleanup is tearing down. A second signal kills the group.
  const onSignal = (sig: NodeJS.Signals) => {
    const again = stopping !== undefined;
    stopping = sig;
    if (child?.pid !== undefined) {
      try {
        process.kill(-child.pid, again ? "SIGKILL" : sig);
      } catch {
        // already gone
      }
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await cleanupStale();
    await ensureCore();
    if (stopping) return 130;
    child = spawn("nsenter", [`--net=/run/netns/${CTL_NS}`, "--", ...argv], {
      stdio: "inherit",
      detached: true,
      // lets the image build (debootstrap) reach the apt mirror from inside rdh-ctl
      env: { ...process.env, [ROOT_NETNS_ENV]: `/proc/${process.pid}/ns/net` },
    });
    const running = child;
    return await new Promise<number>((resolve) => {
      running.on("error", (e) => {
        process.stderr.write(`inCtl: ${argv[0]}: ${e.message}\n`);
        resolve(127);
      });
      running.on("close", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 130 : 143)));
    }).finally(async () => {
      // CMD may exit before its children (npx on SIGINT, while mocha runs its `after` hooks): give
      // them up to 30 s when stopping on a signal, then kill whatever is left in the group.
      const group = running.pid;
      if (group === undefined) return;
      for (let i = 0; stopping && i < 300 && groupAlive(group); i++) await new Promise((r) => setTimeout(r, 100));
      try {
        process.kill(-group, "SIGKILL");
      } catch {
        // none left
      }
    });
  } finally {
    if (!keep) await cleanupStale().catch((e: unknown) => process.stderr.write(`inCtl: cleanup failed: ${e instanceof Error ? e.message : String(e)}\n`));
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`inCtl: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
