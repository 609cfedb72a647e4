/**
 * Why a backup or restore did not happen, in one line for the person running it (the CLIs print
 * the message as it is; Helm will show it). Anything else that escapes is a bug, not a refusal.
 */
export class OperationRefused extends Error {
  override name = "OperationRefused";
}
