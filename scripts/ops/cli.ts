import { OperationRefused } from "@hivematrix/lib/backup";
import { ConfigError } from "@hivematrix/lib/config";

/**
 * Runs an operations command (`bun run backup`, `restore`, `service`): whatever stops it is one
 * line on stderr saying what to do, and exit code 1; a wrong command line is exit code 2.
 */
export async function runCommand(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${name}: ${e.message}`);
      process.exit(2);
    }
    const error = e as Error;
    console.error(
      e instanceof ConfigError
        ? `configuration error: ${error.message}`
        : e instanceof OperationRefused
          ? `${name}: ${error.message}`
          : `${name} failed: ${error.name}: ${error.message.split("\n")[0]}`,
    );
    process.exit(1);
  }
}

/** A command line that cannot be followed (parseArgs's own errors are turned into this too). */
export class UsageError extends Error {}

export function parsed<T>(parse: () => T, usage: string): T {
  try {
    return parse();
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]}\nusage: ${usage}`);
  }
}
