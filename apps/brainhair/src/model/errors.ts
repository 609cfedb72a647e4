/** Why a model request failed, in words for the chat, and whether another try may succeed. */
export class ModelError extends Error {
  override name = "ModelError";
  constructor(
    message: string,
    readonly retryable: boolean,
    /** Seconds the API asked us to wait (Retry-After), when it said. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** The person pressed Stop (or the turn was stopped elsewhere). */
export class Stopped extends Error {
  override name = "Stopped";
}
