// Runs every ```js block of docs/typescript.md as a program against the real broker, the way a reader would:
// importing "@mayfly/client" (the package's self-reference), with MAYFLY_URL and an agent's credentials in
// the environment. A snippet that throws, or exits non-zero, fails its test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { repoRoot } from "./support/paths.mjs";
import { broker, freePort } from "./support/broker.mjs";

const run = promisify(execFile);
const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const doc = readFileSync(join(repoRoot, "docs", "typescript.md"), "utf8");
const blocks = [...doc.matchAll(/^### (.+)$|^```js\n([\s\S]*?)^```$/gm)];

let heading = "";
const snippets = [];
for (const m of blocks) {
  if (m[1]) heading = m[1];
  else snippets.push({ heading, code: m[2] });
}

test("docs/typescript.md has a snippet for every public name", async () => {
  const index = await import("../dist/index.js");
  const all = snippets.map((s) => s.code).join("\n");
  for (const name of Object.keys(index)) assert.ok(new RegExp(`\\b${name}\\b`).test(all), `no snippet uses ${name}`);
});

for (const [i, s] of snippets.entries()) {
  test(`docs snippet ${i + 1}: ${s.heading}`, async (t) => {
    const admin = await broker(t);
    const agent = await admin.agent({ scopes: ["orders:read", "mayfly:revocations:read"], audiences: ["https://orders.example"] });
    const dir = join(pkg, ".doc-snippets");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `snippet-${i + 1}.mjs`);
    writeFileSync(file, s.code);
    const { stdout } = await run(process.execPath, [file], {
      cwd: dir,
      timeout: 30_000,
      env: { ...process.env, MAYFLY_URL: admin.url, MAYFLY_CLIENT_ID: agent.clientId, MAYFLY_CLIENT_SECRET: agent.clientSecret, PORT: String(await freePort()) },
    });
    assert.ok(stdout.trim().length > 0, "the snippet printed something");
    if (process.env.MAYFLY_DOCS_ECHO) console.error(stdout);
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/.test(stdout), "no snippet prints a token");
  });
}
