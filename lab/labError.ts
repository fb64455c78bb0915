/** A lab step that failed: names the command or the namespace, and carries what the tool said. */
export class LabError extends Error {
  override name = "LabError";
  constructor(
    message: string,
    readonly context: { readonly argv?: readonly string[]; readonly code?: number | null; readonly stderr?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
