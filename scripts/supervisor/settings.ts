import { readInt } from "@hivematrix/lib/config";

export interface SupervisorSettings {
  logFileMaxBytes: number;
  logFileKeep: number;
}

/** HIVEMATRIX_LOG_FILE_MAX_MB (default 10) and HIVEMATRIX_LOG_FILE_KEEP (default 5), read once at start-up. */
export function supervisorSettings(env: Record<string, string | undefined>): SupervisorSettings {
  return {
    logFileMaxBytes: readInt(env, "HIVEMATRIX_LOG_FILE_MAX_MB", 10, 1, 100_000) * 1024 * 1024,
    logFileKeep: readInt(env, "HIVEMATRIX_LOG_FILE_KEEP", 5, 0, 100),
  };
}
