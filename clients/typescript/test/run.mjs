// The test run as Maven's integration-test phase starts it: one real broker from the built jar for every test
// file (passed on in MAYFLY_TEST_BROKER), then `node --test` over test/*.test.mjs, then the broker stops.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startBroker } from "./support/broker.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = only.length > 0 ? only : readdirSync(here).filter((f) => f.endsWith(".test.mjs")).sort().map((f) => join(here, f));
const started = Date.now();
const b = await startBroker();
console.error(`broker up at ${b.url} in ${Date.now() - started} ms`);
let code = 1;
try {
  code = await new Promise((resolve) => {
    const child = spawn(process.execPath, ["--test", "--test-concurrency=2", ...files], {
      stdio: "inherit",
      env: { ...process.env, MAYFLY_TEST_BROKER: JSON.stringify({ url: b.url, home: b.home }) },
    });
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
} finally {
  await b.stop();
}
process.exit(code);
