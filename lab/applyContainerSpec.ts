// Applies a DhcpContainerSpec to a host's real Docker engine over ssh://, doing what the
// @pulumi/docker Container resource does with the same spec, through the same Engine API calls on
// one kept-alive `docker system dial-stdio` connection (lab/dockerEngine.ts): the volume, then
// (replacing delete-first, as DepartmentDhcp's deleteBeforeReplace asks) create, upload each file
// as a tar at /, start. The spec comes from sdk/containerSpec.ts, the
// very function DepartmentDhcp uses, so tests and demo deploy the container the component declares.
import type { DhcpContainerSpec } from "../sdk/containerSpec";
import { DockerEngine, tarOneFile, withDockerEngine } from "./dockerEngine";
import { run } from "./exec";
import { sshEnv, type LabHost } from "./sshd";

/** The docker CLI against host over ssh:// (for tests that poke at a host the way an operator would). */
export function dockerOver(host: LabHost) {
  return (args: readonly string[], opts: { allowFail?: boolean; timeoutMs?: number } = {}) =>
    run(["docker", "-H", host.dockerHost ?? `ssh://root@${host.address}`, ...args], { env: sshEnv(host), timeoutMs: opts.timeoutMs ?? 120_000, ...(opts.allowFail ? { allowFail: true } : {}) });
}

/** The body of POST /containers/create for a spec. */
export function containerCreateBody(spec: DhcpContainerSpec): object {
  return {
    Image: spec.image,
    Cmd: spec.command,
    Env: spec.env,
    HostConfig: {
      NetworkMode: spec.networkMode,
      CapAdd: spec.capabilities,
      RestartPolicy: { Name: spec.restart },
      Mounts: spec.volumes.map((v) => ({ Type: "volume", Source: v.volume, Target: v.containerPath })),
    },
  };
}

/** Creates or replaces the container and starts it; returns its id. */
export function applyContainerSpec(host: LabHost, spec: DhcpContainerSpec): Promise<string> {
  return withDockerEngine(host, async (engine) => {
    await prepareContainer(engine, spec);
    return createAndStart(engine, spec);
  });
}

/** What comes before the container: its volumes (the provider's Volume resources), and the old container gone. */
export async function prepareContainer(engine: DockerEngine, spec: DhcpContainerSpec): Promise<void> {
  for (const v of spec.volumes) await engine.expect([201], "POST", "/volumes/create", { Name: v.volume });
  await engine.expect([204, 404], "DELETE", `/containers/${encodeURIComponent(spec.name)}?force=true`);
}

/** The Container resource's create: create, upload each file, start; returns the container's id. */
export async function createAndStart(engine: DockerEngine, spec: DhcpContainerSpec): Promise<string> {
  const created = await engine.expect([201], "POST", `/containers/create?name=${encodeURIComponent(spec.name)}`, containerCreateBody(spec));
  const id = (JSON.parse(created.body.toString("utf8")) as { Id: string }).Id;
  for (const upload of spec.uploads) {
    await engine.expect([200], "PUT", `/containers/${id}/archive?path=%2F`, await tarOneFile(upload.path, upload.content), "application/x-tar");
  }
  await engine.expect([204], "POST", `/containers/${id}/start`);
  return id;
}

export async function removeContainer(host: LabHost, name: string): Promise<void> {
  await withDockerEngine(host, (engine) => engine.expect([204, 404], "DELETE", `/containers/${encodeURIComponent(name)}?force=true`));
}

export async function containerId(host: LabHost, name: string): Promise<string | null> {
  return withDockerEngine(host, async (engine) => {
    const res = await engine.expect([200, 404], "GET", `/containers/${encodeURIComponent(name)}/json`);
    return res.status === 200 ? (JSON.parse(res.body.toString("utf8")) as { Id: string }).Id : null;
  });
}
