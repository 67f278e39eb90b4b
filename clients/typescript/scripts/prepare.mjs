// npm's `prepare` hook: builds dist/ (tsc) so that `npm install ./clients/typescript` works from a fresh
// checkout, where npm links the folder without installing its devDependencies. Installs them here first when
// TypeScript is missing (with --ignore-scripts, so this hook does not run again), and skips the build when
// dist/ is newer than every source file.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const newest = (dir) => readdirSync(dir, { withFileTypes: true })
  .reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
const built = join(root, "dist", "index.js");
if (existsSync(built) && statSync(built).mtimeMs >= newest(join(root, "src"))) process.exit(0);

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
if (!existsSync(tsc) || !existsSync(join(root, "node_modules", "jose"))) {
  run("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]);
}
run(process.execPath, [tsc, "-p", "tsconfig.json"]);
