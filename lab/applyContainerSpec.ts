// Applies a DhcpContainerSpec to a host's real Docker engine over ssh://, doing what the
// @pulumi/docker Container resource does with the same spec: volume, then (replacing delete-first,
// as DepartmentDhcp's deleteBeforeReplace asks) create, upload the files, start. The spec comes
// from sdk/containerSpec.ts, the very function DepartmentDhcp uses, so tests and demo deploy the
// container the component declares.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DhcpContainerSpec } from "../sdk/containerSpec";
import { run } from "./exec";
import { sshEnv, type LabHost } from "./sshd";

export function dockerOver(host: LabHost) {
  return (args: readonly string[], opts: { allowFail?: boolean; timeoutMs?: number } = {}) =>
    run(["docker", "-H", host.dockerHost ?? `ssh://root@${host.address}`, ...args], { env: sshEnv(host), timeoutMs: opts.timeoutMs ?? 120_000, ...(opts.allowFail ? { allowFail: true } : {}) });
}

/** The docker create arguments for a spec (image and command last). */
export function dockerCreateArgs(spec: DhcpContainerSpec): string[] {
  return [
    "create",
    "--name", spec.name,
    "--network", spec.networkMode,
    ...spec.capabilities.flatMap((c) => ["--cap-add", c]),
    "--restart", spec.restart,
    ...spec.volumes.flatMap((v) => ["--volume", `${v.volume}:${v.containerPath}`]),
    ...spec.env.flatMap((e) => ["--env", e]),
    spec.image,
    ...spec.command,
  ];
}

/** Creates or replaces the container; returns its id. */
export async function applyContainerSpec(host: LabHost, spec: DhcpContainerSpec): Promise<string> {
  const docker = dockerOver(host);
  for (const v of spec.volumes) await docker(["volume", "create", v.volume]);
  await removeContainer(host, spec.name);
  const id = (await docker(dockerCreateArgs(spec))).stdout.trim();
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), "routedhcp-upload-"));
  try {
    for (const [i, upload] of spec.uploads.entries()) {
      const file = path.join(stage, `${i}-${path.basename(upload.path)}`);
      fs.writeFileSync(file, upload.content);
      await docker(["cp", file, `${spec.name}:${upload.path}`]);
    }
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  await docker(["start", spec.name]);
  return id;
}

export async function removeContainer(host: LabHost, name: string): Promise<void> {
  await dockerOver(host)(["rm", "--force", "--volumes=false", name], { allowFail: true });
}

export async function containerId(host: LabHost, name: string): Promise<string | null> {
  const result = await dockerOver(host)(["inspect", "--format", "{{.Id}}", name], { allowFail: true });
  return result.code === 0 ? result.stdout.trim() : null;
}
