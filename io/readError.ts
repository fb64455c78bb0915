/** A file or host could not be read: names what, where, and why, never a key or a stack. */
export class ReadError extends Error {
  override name = "ReadError";

  constructor(
    readonly source: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${reason}`, options);
  }
}
