// DhcpContainerSpec -> @pulumi/docker ContainerArgs. Kept beside the spec so the mapping is one
// small, testable function.
import * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import type { DhcpContainerSpec } from "./containerSpec";

export function toContainerArgs(spec: pulumi.Output<DhcpContainerSpec>): docker.ContainerArgs {
  return {
    name: spec.name,
    image: spec.image,
    command: spec.command.apply((c) => [...c]),
    envs: spec.env.apply((e) => [...e]),
    networkMode: spec.networkMode,
    capabilities: { adds: spec.capabilities.apply((c) => [...c]) },
    uploads: spec.uploads.apply((uploads) => uploads.map((u) => ({ file: u.path, content: u.content }))),
    volumes: spec.volumes.apply((volumes) => volumes.map((v) => ({ volumeName: v.volume, containerPath: v.containerPath }))),
    restart: spec.restart,
    mustRun: true,
  };
}
