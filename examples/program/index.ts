// A TypeScript Pulumi program that imports the library and builds the departments itself, here
// two departments in one program. (The root Pulumi.yaml program does one per stack instead.)
import * as pulumi from "@pulumi/pulumi";
import { DepartmentDhcp } from "routedhcp";

const config = new pulumi.Config();
const privateKey = config.requireSecret("privateKey");

const sales = new DepartmentDhcp("sales", {
  connection: { host: "10.1.1.6", user: "root", privateKey, hostKey: config.require("salesHostKey") },
  options: { dnsServers: ["10.1.1.53"], domainName: "sales.example.com" },
});

const engineering = new DepartmentDhcp("engineering", {
  connection: { host: "10.2.1.6", user: "root", privateKey, hostKey: config.require("engineeringHostKey") },
  relay: true,
  options: { pingCheck: true, excludeInterfaces: ["eth9"] },
});

export const salesConf = sales.dhcpdConf;
export const engineeringSubnets = engineering.subnets;
