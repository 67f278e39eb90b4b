"""An MCP server (streamable HTTP, the `mcp` package) whose tools only Mayfly task tokens can call.

    python examples/python-mcp/server.py        # listens on http://127.0.0.1:8000/mcp

MAYFLY_URL names the broker (default http://127.0.0.1:8470); ORDERS_MCP_URL this server's resource URL.
"""

from __future__ import annotations

import os
import urllib.parse

from mcp.server.mcpserver import MCPServer

from mayfly.mcp import MayflyMCPAuth
from mayfly.verifier import Verifier

BROKER = os.environ.get("MAYFLY_URL", "http://127.0.0.1:8470").rstrip("/")
RESOURCE = os.environ.get("ORDERS_MCP_URL", "http://127.0.0.1:8000/mcp")

ORDERS = [{"id": "ord_1", "total": 42.0, "status": "paid"}, {"id": "ord_2", "total": 7.5, "status": "open"}]

server = MCPServer("orders", instructions="Orders of the demo shop. Reading needs orders:read, refunds orders:write.")


@server.tool()
def list_orders() -> list[dict]:
    """Every order of the shop."""
    return ORDERS


@server.tool()
def refund(order_id: str) -> str:
    """Refund an order (needs orders:write)."""
    return f"refunded {order_id}"


def build_app(broker: str = BROKER, resource: str = RESOURCE):
    """The MCP app behind Mayfly: each request's token must be a Mayfly token for this resource; each tool
    asks for its scope."""
    host = urllib.parse.urlsplit(resource).hostname or "127.0.0.1"
    return MayflyMCPAuth(
        server.streamable_http_app(host=host),
        verifier=Verifier(broker, audience=resource),
        resource=resource,
        resource_name="Demo shop orders",
        tool_scopes={"list_orders": ["orders:read"], "refund": ["orders:write"]},
    )


if __name__ == "__main__":
    import uvicorn

    parts = urllib.parse.urlsplit(RESOURCE)
    uvicorn.run(build_app(), host=parts.hostname or "127.0.0.1", port=parts.port or 8000, log_level="warning")
