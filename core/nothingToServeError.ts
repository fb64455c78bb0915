/** The host sits on no network a DHCP server could serve (a cloud VM with a /32, say). */
export class NothingToServeError extends Error {
  override name = "NothingToServeError";

  constructor(readonly source: string, detail: string) {
    super(`${source}: nothing to serve: ${detail}`);
  }
}
