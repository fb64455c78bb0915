/** A file or host could not be read: names what, where, and why, never a key or a stack. */
export class ReadError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${reason}`, options);
    // Set here, not by super() or a class field: Pulumi serializes this class for the dynamic
    // provider as a plain function, which loses both (design.md, "Dynamic provider facts").
    this.name = "ReadError";
    this.message = `${source}: ${reason}`;
  }
}
