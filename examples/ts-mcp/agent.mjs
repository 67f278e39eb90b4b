// An agent that calls the example MCP server's tools with per-task tokens: the session token stays with the
// broker; the MCP server only ever sees a task token audienced to it, scoped to orders:read, for one task.
// Without MAYFLY_CLIENT_ID/MAYFLY_CLIENT_SECRET it first creates a demo agent with the broker's admin
// credentials ($MAYFLY_HOME/admin.json, as `./mayfly server` writes them).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { TokenProvider, mayflyFetch, mayflyHome, PermissionDeniedError } from "@mayfly/client";

const broker = process.env.MAYFLY_URL ?? "http://127.0.0.1:8470";
const resource = `http://127.0.0.1:${process.env.PORT ?? 3001}/mcp`;

async function demoAgent() {
  if (process.env.MAYFLY_CLIENT_ID && process.env.MAYFLY_CLIENT_SECRET) {
    return { clientId: process.env.MAYFLY_CLIENT_ID, clientSecret: process.env.MAYFLY_CLIENT_SECRET };
  }
  const admin = JSON.parse(readFileSync(join(mayflyHome(), "admin.json"), "utf8"));
  const tokens = new TokenProvider({ broker, clientId: admin.client_id, clientSecret: admin.client_secret });
  const http = mayflyFetch(tokens);
  const r = await http(`${broker}/v1/agents`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: `ts-mcp-demo-${Date.now()}`, kind: "llm", scopes: ["orders:read"], audiences: [resource] }),
  });
  const { data } = await r.json();
  await tokens.close();
  console.log(`created demo agent ${data.agent_id} (scopes orders:read, audience ${resource})`);
  return { clientId: data.client_id, clientSecret: data.client_secret };
}

const { clientId, clientSecret } = await demoAgent();
const tokens = new TokenProvider({ broker, clientId, clientSecret, revokeOnClose: true });
const taskId = `inventory-check-${Date.now()}`;
const client = new Client({ name: "demo-agent", version: "1.0.0" });
await client.connect(
  new StreamableHTTPClientTransport(new URL(resource), {
    // Every request to the MCP server carries a task token for it; mayflyFetch refreshes it on expiry.
    fetch: mayflyFetch(tokens, { taskFor: () => ({ audience: resource, scope: "orders:read", taskId, ttl: 300 }) }),
  }),
);
const { tools } = await client.listTools();
console.log("tools:", tools.map((t) => t.name).join(", "));
const listed = await client.callTool({ name: "list_orders", arguments: {} });
console.log("list_orders:", listed.content[0].text);
try {
  await client.callTool({ name: "cancel_order", arguments: { id: "o-1" } });
} catch (e) {
  if (!(e instanceof PermissionDeniedError)) throw e;
  // A permanent denial: stop and escalate, never retry. The server named the scope to ask for.
  console.log(`cancel_order denied: needs ${e.requiredScope} (exit code ${e.exitCode}); escalating instead of retrying`);
}
const task = await tokens.task({ audience: resource, scope: "orders:read", taskId, ttl: 300 });
console.log(`used ${task} for task ${taskId}`);
await client.close();
await tokens.close(); // revokes the session: every token of it dies with the program
