// A protected MCP server (streamable HTTP on Node http): every request needs a Mayfly token audienced to this
// server; list_orders needs orders:read, cancel_order needs orders:write. Tokens are verified offline (JWKS)
// and revocations arrive over the broker's revocation feed when MAYFLY_FEED_TOKEN is set.
import { createServer } from "node:http";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { Verifier, RevocationFeed, mcpAuth, readJsonBody } from "@mayfly/client";

const broker = process.env.MAYFLY_URL ?? "http://127.0.0.1:8470";
const port = Number(process.env.PORT ?? 3001);
const resource = `http://127.0.0.1:${port}/mcp`;

const revocations = process.env.MAYFLY_FEED_TOKEN
  ? new RevocationFeed({ broker, token: () => process.env.MAYFLY_FEED_TOKEN }).start()
  : undefined;
const verifier = new Verifier({ issuer: broker, audience: resource, revocations });
const guard = mcpAuth({
  verifier,
  resource,
  resourceName: "orders (Mayfly example)",
  toolScopes: { list_orders: ["orders:read"], cancel_order: ["orders:write"] },
});

const orders = [
  { id: "o-1", item: "mayfly lure", status: "open" },
  { id: "o-2", item: "fly rod", status: "shipped" },
];

function mcpServer() {
  const mcp = new McpServer({ name: "orders", version: "1.0.0" });
  mcp.registerTool("list_orders", { description: "List the orders", inputSchema: {} }, async (_args, extra) => {
    // extra.authInfo is what the middleware verified: the task, the scopes, the agent.
    console.log(`list_orders for agent ${extra.authInfo.extra.sub}, task ${extra.authInfo.extra.task}`);
    return { content: [{ type: "text", text: JSON.stringify(orders) }] };
  });
  mcp.registerTool("cancel_order", { description: "Cancel an order", inputSchema: { id: z.string() } }, async ({ id }) => {
    return { content: [{ type: "text", text: `cancelled ${id}` }] };
  });
  return mcp;
}

createServer(async (req, res) => {
  try {
    if (guard.serveMetadata(req, res)) return; // RFC 9728 metadata
    if (new URL(req.url, resource).pathname !== "/mcp") return res.writeHead(404).end();
    const body = req.method === "POST" ? await readJsonBody(req) : undefined;
    if (!(await guard.authorize(req, res, body))) return; // 401/403 answered, with WWW-Authenticate
    const mcp = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      transport.close();
      mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  } catch (e) {
    if (!res.headersSent) res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ error: e.code ?? "USAGE" }));
  }
}).listen(port, "127.0.0.1", () => {
  console.log(`MCP server at ${resource}, metadata at ${guard.metadataUrl}, broker ${broker}`);
});
