// Stage 5: validate a rendered dhcpd.conf with the real ISC dhcpd (`dhcpd -t`, dhcpd(8)).
// Here: the dhcpd on this machine. The Pulumi path runs the same check with the image's dhcpd on
// the target host (provider/), so the config is judged by the dhcpd that will run it.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReadError } from "./readError";

export interface CheckResult {
  readonly ok: boolean;
  /** dhcpd's own complaint (the lines naming the config file), empty when ok. */
  readonly message: string;
}

export async function checkWithLocalDhcpd(conf: string, dhcpd = "dhcpd"): Promise<CheckResult> {
  const dir = await mkdtemp(join(tmpdir(), "routedhcp-check-"));
  const file = join(dir, "dhcpd.conf");
  try {
    await writeFile(file, conf);
    return await new Promise<CheckResult>((resolve, reject) => {
      execFile(dhcpd, ["-t", "-4", "-cf", file], { timeout: 30_000 }, (error, _stdout, stderr) => {
        if (error !== null && (error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(new ReadError(dhcpd, "not installed, so the config cannot be validated (Debian: apt-get install isc-dhcp-server)"));
          return;
        }
        resolve({ ok: error === null, message: error === null ? "" : dhcpdComplaint(stderr, file) });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Keeps what dhcpd says about the config and drops its banner ("Internet Systems Consortium..."). */
export function dhcpdComplaint(stderr: string, file: string): string {
  const banner = /^(Internet Systems Consortium|Copyright|All rights reserved|For info, please visit|ldap_|Config file:|Database file:|PID file:|If you think you have received|than a configuration|bugs on dhcp-server|the README file|before submitting|process and the information|exiting\.|Please read|This version of ISC|$)/;
  const lines = stderr.split("\n").filter((line) => !banner.test(line.trim()));
  return lines.join("\n").split(file).join("dhcpd.conf").trim();
}
