// A real Mayfly broker for the tests: `java -jar mayfly-cli/target/mayfly.jar server` on a free port with a
// temporary MAYFLY_HOME, as mayfly-cli's black-box ITs start it. test/run.mjs starts one for the whole run and
// passes it on in MAYFLY_TEST_BROKER; a test file run on its own starts its own.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "./paths.mjs";

export const JAR = process.env.MAYFLY_JAR ?? join(repoRoot, "mayfly-cli", "target", "mayfly.jar");

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts a broker; resolves once /healthz answers. Extra server arguments (e.g. --signing-alg RS256) allowed. */
export async function startBroker(extraArgs = []) {
  if (!existsSync(JAR)) throw new Error(`${JAR} is missing: build it with ./mvnw -pl mayfly-cli -am package -DskipTests`);
  const home = mkdtempSync(join(tmpdir(), "mayfly-ts-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = [];
  const child = spawn("java", ["-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", JAR, "server", "--listen", `127.0.0.1:${port}`, "--home", home, ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MAYFLY_HOME: home },
  });
  child.stdout.on("data", (d) => log.push(String(d)));
  child.stderr.on("data", (d) => log.push(String(d)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`broker exited with ${child.exitCode}:\n${log.join("")}`);
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.ok && existsSync(join(home, "admin.json"))) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`broker did not start within 90 s:\n${log.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    home,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The broker this test file uses: the run's shared one, or one of its own (stopped when the file ends). */
export async function broker(t) {
  const shared = process.env.MAYFLY_TEST_BROKER;
  const b = shared ? JSON.parse(shared) : await startBroker();
  if (!shared) t.after(() => b.stop());
  return new Admin(b.url, b.home);
}

/** Admin calls against a broker, authenticated with its bootstrap admin.json. */
export class Admin {
  constructor(url, home) {
    this.url = url;
    this.home = home;
    this.credentials = JSON.parse(readFileSync(join(home, "admin.json"), "utf8"));
  }

  async adminToken() {
    const r = await fetch(`${this.url}/oauth/token`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: "Basic " + Buffer.from(`${encodeURIComponent(this.credentials.client_id)}:${encodeURIComponent(this.credentials.client_secret)}`).toString("base64"),
      },
      body: "grant_type=client_credentials",
    });
    if (!r.ok) throw new Error(`admin login failed: ${r.status} ${await r.text()}`);
    return (await r.json()).access_token;
  }

  async v1(method, path, body) {
    const r = await fetch(`${this.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${await this.adminToken()}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json();
    if (!json.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json.error)}`);
    return json.data;
  }

  /** A new agent; its client id and secret. Names are made unique per call. */
  async agent({ scopes = ["orders:read"], audiences = ["https://orders.example"], kind = "llm", name = "ts" } = {}) {
    const unique = `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const data = await this.v1("POST", "/v1/agents", { name: unique, kind, scopes, audiences });
    return { clientId: data.client_id, clientSecret: data.client_secret, agentId: data.agent_id };
  }
}
