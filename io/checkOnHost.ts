// Stage 5 on the target: validate a dhcpd.conf with the dhcpd that will run it, before anything on
// the host changes: inside the DHCP image through the host's Docker engine, or the host's own dhcpd.
import type { SshSession } from "./sshSession";
import type { CheckResult } from "./checkConfig";
import { dhcpdComplaint } from "./checkConfig";
import { ReadError } from "./readError";

const CONF = "/tmp/routedhcp-check.conf";
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/;

export async function checkInImage(session: SshSession, image: string, conf: string): Promise<CheckResult> {
  if (!IMAGE_REF.test(image)) throw new ReadError(session.where, `[image] "${image}" is not an image reference`);
  const command = `docker run --rm -i --network none --entrypoint sh ${image} -c 'cat > ${CONF} && exec dhcpd -t -4 -cf ${CONF}'`;
  const result = await session.exec(command, conf, 120_000);
  if (result.code === 0) return { ok: true, message: "" };
  if (/Unable to find image|No such image|Cannot connect to the Docker daemon|docker: not found|command not found/i.test(result.stderr) && !/dhcpd/.test(result.stderr)) {
    throw new ReadError(session.where, `cannot validate with image ${image}: ${result.stderr.trim().split("\n")[0] ?? ""}`);
  }
  return { ok: false, message: dhcpdComplaint(result.stderr, CONF) };
}

export async function checkWithHostDhcpd(session: SshSession, conf: string): Promise<CheckResult> {
  const command = `f=$(mktemp) && cat > "$f" && { command -v dhcpd >/dev/null || { echo 'dhcpd: not installed on this host' >&2; rm -f "$f"; exit 127; }; } && dhcpd -t -4 -cf "$f"; rc=$?; rm -f "$f"; exit $rc`;
  const result = await session.exec(command, conf, 60_000);
  if (result.code === 0) return { ok: true, message: "" };
  if (result.code === 127) throw new ReadError(session.where, "cannot validate: dhcpd is not installed on this host (give an image to validate with)");
  return { ok: false, message: dhcpdComplaint(result.stderr.replace(/\/tmp\/tmp\.\w+/g, CONF), CONF) };
}
