/**
 * A planning option that cannot be honoured. `argument` names the option as the user wrote it,
 * in brackets in the message: `[reservations[0].mac] "00:11" is not a MAC address`.
 */
export class OptionError extends Error {
  override name = "OptionError";

  constructor(
    readonly argument: string,
    readonly reason: string,
  ) {
    super(`[${argument}] ${reason}`);
  }
}
