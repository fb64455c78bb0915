/** A command line that cannot be run: names the argument. */
export class UsageError extends Error {
  override name = "UsageError";
}
