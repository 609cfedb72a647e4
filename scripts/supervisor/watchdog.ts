/**
 * Ends a unit when its supervisor is gone, however the supervisor went (`kill -9` runs no exit
 * handler, and Bun has no PR_SET_PDEATHSIG). The unit's command runs under a tiny POSIX shell
 * that keeps the read end of a pipe whose write end only the supervisor holds: when the
 * supervisor's process ends, the kernel closes that end, `read` returns, and the shell signals
 * the unit's whole process group (TERM, then KILL once the unit is gone or after 10 s). This
 * works for any program, a Bun app as well as Keycloak's Java, and costs one idle `sh` per unit.
 * The shell execs the command, so the unit keeps the pid the supervisor spawned.
 */
const SCRIPT = [
  "exec 3<&0",
  // TERM is ignored here because the watchdog signals its own group too; KILL ends it last.
  "{ trap '' TERM; read -r _ <&3; kill -TERM 0; i=0;" +
    " while kill -0 $$ 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; kill -KILL 0; } &",
  'exec "$@" 3<&- </dev/null',
].join("\n");

/** The command to spawn instead of `command`, with stdin a pipe the supervisor keeps open and never writes. */
export function watched(command: string[]): string[] {
  return ["sh", "-c", SCRIPT, "hivematrix-watchdog", ...command];
}
