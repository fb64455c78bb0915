// A department with a Docker host for the "rollout" and "serving" benchmarks: the lab department
// (lab/department.ts: host with sshd and its own dockerd, router, one LAN client), the routedhcp image
// on the host, and a Rollout (lab/rollout.ts: HostDhcpConfig through the real dynamic-provider host,
// then the container spec over ssh://, as `pulumi up` does). All of it is removed afterwards, also
// when the benchmark fails.
import * as fs from "node:fs";
import { withDockerEngine } from "../lab/dockerEngine";
import { createDepartment, departmentNamespaces, destroyDepartment, listDepartments, type Department } from "../lab/department";
import { stopDockerd } from "../lab/dockerd";
import { delNetns, ipIn } from "../lab/netns";
import { clientDir, CTL_NS } from "../lab/paths";
import { ensureRoutedhcpImage, Rollout } from "../lab/rollout";
import type { DhcpContainerSpec } from "../sdk/containerSpec";
import { hostSshdPid, waitForDhcpPort } from "./bareDhcpd";
import type { Benchmark, BenchOptions, BenchmarkResult } from "./benchmark";
import { requireLab, withCleanup } from "./inLab";

export interface DhcpDepartment {
  readonly department: Department;
  readonly rollout: Rollout;
  /** A process in the host's network namespace (its sshd), to watch port 67 there. */
  readonly hostPid: number;
}

/** A lab benchmark (rollout, serving) that runs in a department of its own, made and removed around it. */
export function departmentBenchmark(
  spec: Pick<Benchmark, "name" | "description"> & { readonly department: { readonly name: string; readonly index: number } },
  body: (lab: DhcpDepartment, options: BenchOptions) => Promise<BenchmarkResult>,
): Benchmark {
  return {
    name: spec.name,
    description: spec.description,
    lab: true,
    run: (options) => {
      requireLab(spec.name);
      return withDhcpDepartment(spec.department, options.log, (lab) => body(lab, options));
    },
  };
}

async function withDhcpDepartment<T>(
  spec: { readonly name: string; readonly index: number },
  log: (line: string) => void,
  body: (lab: DhcpDepartment) => Promise<T>,
): Promise<T> {
  let department: Department | undefined;
  let rollout: Rollout | undefined;
  return withCleanup(
    async () => {
      log(`${spec.name}: creating department ${spec.index} with a Docker host`);
      department = await createDepartment({ name: spec.name, index: spec.index, docker: true, clients: 1, remoteClients: 0 });
      log(`${spec.name}: routedhcp image on ${department.host.netns}`);
      await ensureRoutedhcpImage(department.host, log);
      rollout = await Rollout.start();
      return body({ department, rollout, hostPid: hostSshdPid(department.host.name) });
    },
    async () => {
      await rollout?.close();
      const made = department ?? listDepartments().find((d) => d.name === spec.name);
      if (made !== undefined) {
        await destroyDepartment(made);
      } else {
        // createDepartment failed half-way: what it may have made, by name.
        await stopDockerd(spec.name);
        const ns = departmentNamespaces(spec.name, 1, 0);
        await Promise.all([ns.host, ns.router, ns.lan, ns.rnet, ...ns.clients].map(delNetns));
        await ipIn(CTL_NS, ["route", "del", `10.${spec.index}.0.0/16`]).catch(() => undefined);
      }
    },
    log,
  );
}

/** Removes the DHCP container and its leases volume, and waits until port 67 is free on the host. */
export async function removeDhcpContainer(lab: DhcpDepartment, spec: DhcpContainerSpec): Promise<void> {
  // Over the host's own socket: tear-down is never timed. Best effort, as `docker rm --force` is.
  await withDockerEngine(lab.department.host, async (engine) => {
    await engine.request("DELETE", `/containers/${encodeURIComponent(spec.name)}?force=true`);
    for (const v of spec.volumes) await engine.request("DELETE", `/volumes/${encodeURIComponent(v.volume)}?force=true`);
  }, "local");
  await waitForDhcpPort(lab.hostPid, false, 10_000, `container ${spec.name}`);
}

/** Forgets the client's lease (its dhclient lease file and address), so its next lease is a first one. */
export async function resetClient(clientNs: string): Promise<void> {
  const dir = clientDir(clientNs);
  for (const f of ["dhclient.leases", "dhclient.lease.env", "dhclient.lease.env.events"]) fs.rmSync(`${dir}/${f}`, { force: true });
  await ipIn(clientNs, ["-4", "addr", "flush", "dev", "eth0"]);
}
