/**
 * A planning option that cannot be honoured. `argument` names the option as the user wrote it,
 * in brackets in the message: `[reservations[0].mac] "00:11" is not a MAC address`.
 */
export class OptionError extends Error {
  constructor(
    readonly argument: string,
    readonly reason: string,
  ) {
    super(`[${argument}] ${reason}`);
    // Set here, not by super() or a class field: Pulumi serializes this class for the dynamic
    // provider as a plain function, which loses both (design.md, "Dynamic provider facts").
    this.name = "OptionError";
    this.message = `[${argument}] ${reason}`;
  }
}
