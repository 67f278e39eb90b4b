import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root: the first directory above this package holding spec/auth-failures. */
export const repoRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "spec", "auth-failures"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("spec/auth-failures not found above " + fileURLToPath(import.meta.url));
    dir = up;
  }
})();
