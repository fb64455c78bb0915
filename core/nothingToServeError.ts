/** The host sits on no network a DHCP server could serve (a cloud VM with a /32, say). */
export class NothingToServeError extends Error {
  constructor(readonly source: string, detail: string) {
    super(`${source}: nothing to serve: ${detail}`);
    // Set here, not by super() or a class field: Pulumi serializes this class for the dynamic
    // provider as a plain function, which loses both (design.md, "Dynamic provider facts").
    this.name = "NothingToServeError";
    this.message = `${source}: nothing to serve: ${detail}`;
  }
}
