/**
 * `bun run bench <name> [options]`: runs scripts/bench/<name>.ts (e.g. `bun run bench gateway`).
 * An app adds its benchmark by adding a file there.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const dir = join(import.meta.dir, "bench");
const available = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .map((f) => f.slice(0, -3));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name) || !existsSync(join(dir, `${name}.ts`))) {
  console.error(`usage: bun run bench <name> [options]\nbenchmarks: ${available.join(", ")}`);
  process.exit(2);
}
const proc = Bun.spawn(["bun", join(dir, `${name}.ts`), ...args], { stdio: ["inherit", "inherit", "inherit"] });
process.on("SIGINT", () => proc.kill("SIGINT"));
process.exit(await proc.exited);
