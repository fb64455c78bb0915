// The HostDhcpConfig provider runs as serialized code (Pulumi's closure serializer turns classes
// into functions and drops class fields and captured Maps): the core it carries must render every
// fixture exactly as the core does in-process. Catches what would otherwise only fail in the lab.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { renderSnapshot, hostConfigProvider } from "../../provider/hostConfigProvider";
import { SCENARIOS, snapshotOf } from "./support/fixtures";

/* eslint-disable @typescript-eslint/no-require-imports */
const requireFromString = require("require-from-string") as (code: string) => { handler: () => unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

describe("the serialized provider", function () {
  this.timeout(60_000);
  let serializedRender: typeof renderSnapshot;

  before(async () => {
    const text = (await pulumi.runtime.serializeFunction(() => renderSnapshot, { allowSecrets: true })).text;
    serializedRender = requireFromString(text).handler() as typeof renderSnapshot;
  });

  for (const scenario of SCENARIOS.filter((s) => s !== "cloud-vm")) {
    it(`renders ${scenario} exactly as the in-process core does`, () => {
      const snapshot = { ...snapshotOf(scenario), hostKeyFingerprint: "SHA256:x" };
      for (const options of [{}, { relay: true, dnsServers: ["10.0.0.53"], excludeInterfaces: ["eth2"] }]) {
        assert.deepEqual(serializedRender(snapshot, options), renderSnapshot(snapshot, options));
      }
    });
  }

  it("reports errors with their messages after serialization", () => {
    // Serialized classes lose their Error prototype; the provider host reads .message, so that must hold.
    const messageOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as Error).message;
      }
      return "no error";
    };
    const snapshot = { ...snapshotOf("cloud-vm"), hostKeyFingerprint: "SHA256:x" };
    assert.equal(messageOf(() => serializedRender(snapshot, {})), messageOf(() => renderSnapshot(snapshot, {})));
    assert.match(messageOf(() => serializedRender(snapshot, {})), /nothing to serve: no LAN subnet is connected to this host/);
    const lan = { ...snapshotOf("two-lans"), hostKeyFingerprint: "SHA256:x" };
    assert.equal(messageOf(() => serializedRender(lan, { reservations: [{ mac: "zz", address: "1.2.3.4" }] })), '[reservations[0].mac] "zz" is not a MAC address like 52:54:00:12:34:56');
  });

  it("serializes the whole provider with every CRUD method and no captured secret", async () => {
    const text = (await pulumi.runtime.serializeFunction(() => hostConfigProvider, { allowSecrets: true })).text;
    const provider = requireFromString(text).handler() as Record<string, unknown>;
    assert.deepEqual(Object.keys(provider).sort(), ["check", "create", "delete", "diff", "read", "update"]);
    assert.ok(!/BEGIN OPENSSH PRIVATE KEY/.test(text));
  });
});
