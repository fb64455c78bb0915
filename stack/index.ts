// The department program behind the root Pulumi.yaml: one stack per department, each stack's
// config names its DHCP host. See examples/walkthrough.md.
import * as pulumi from "@pulumi/pulumi";
import { DepartmentDhcp } from "../sdk/departmentDhcp";
import type { PlanOptions } from "../core/options";
import type { DhcpMode } from "../sdk/containerSpec";

const config = new pulumi.Config();
const hostKey = config.get("hostKey");
const knownHosts = config.get("knownHosts");
const image = config.get("image");
const relay = config.getBoolean("relay");
const mode = config.get("mode") as DhcpMode | undefined;
const options = config.getObject<PlanOptions>("options");
const privateKey = config.getSecret("privateKey");
const dockerSshOpts = config.getObject<string[]>("dockerSshOpts");

const department = new DepartmentDhcp(pulumi.getStack(), {
  connection: {
    host: config.require("host"),
    port: config.getNumber("port") ?? 22,
    user: config.get("user") ?? "root",
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(hostKey !== undefined ? { hostKey } : {}),
    ...(knownHosts !== undefined ? { knownHosts } : {}),
  },
  ...(image !== undefined ? { image } : {}),
  ...(relay !== undefined ? { relay } : {}),
  ...(mode !== undefined ? { mode } : {}),
  ...(options !== undefined ? { options } : {}),
  ...(dockerSshOpts !== undefined ? { dockerSshOpts } : {}),
});

export const dhcpdConf = department.dhcpdConf;
export const subnets = department.subnets;
export const interfaces = department.interfaces;
export const containerName = department.containerName;
