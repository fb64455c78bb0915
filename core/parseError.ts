/**
 * Malformed input, located: `/proc/net/route:3: Destination "0064A8ZZ" is not 8 hex digits`.
 * The message is the whole diagnosis; a CLI prints it alone, never a stack trace.
 */
export class ParseError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${source}:${line}: ${reason}`);
    // Set here, not by super() or a class field: Pulumi serializes this class for the dynamic
    // provider as a plain function, which loses both (design.md, "Dynamic provider facts").
    this.name = "ParseError";
    this.message = `${source}:${line}: ${reason}`;
  }
}
