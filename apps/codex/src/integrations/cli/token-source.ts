import { userInfo } from "node:os";
import { REPO_ROOT } from "@hivematrix/lib/config";
import type { TokenSource } from "./codex-api.ts";

/**
 * Where the sync command's JWT comes from: HIVEMATRIX_TOKEN when set (e.g. minted elsewhere),
 * else `bun run token` as this machine's user, exactly as a person would mint one for curl:
 * an admin token backed by a session in Core, so the run is attributed to that user.
 */
export function tokenSource(env: Record<string, string | undefined>): TokenSource {
  if (env.HIVEMATRIX_TOKEN) {
    const given = env.HIVEMATRIX_TOKEN;
    return {
      token: async () => given,
      renew: async () => {
        throw new Error("Codex refused HIVEMATRIX_TOKEN; mint a new one with `bun run token`");
      },
    };
  }
  const user = (env.USER || userInfo().username).replace(/[^\w.@-]/g, "-").slice(0, 100) || "cli";
  let current: Promise<string> | null = null;
  const mint = async () => {
    const proc = Bun.spawn([process.execPath, "run", "--silent", "token", "--level", "admin", "--user", user], {
      cwd: REPO_ROOT,
      env: env as Record<string, string>,
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err] = [await new Response(proc.stdout).text(), await new Response(proc.stderr).text()];
    if ((await proc.exited) !== 0) throw new Error(`bun run token failed: ${err.trim() || `exit ${proc.exitCode}`}`);
    return out.trim();
  };
  return {
    token: () => {
      current ??= mint();
      return current;
    },
    renew: () => {
      current = mint();
      return current;
    },
  };
}
