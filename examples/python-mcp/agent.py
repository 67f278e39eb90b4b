"""An agent that calls the orders MCP server's tools with a Mayfly task token per task.

    python examples/python-mcp/agent.py

Credentials: MAYFLY_CLIENT_ID / MAYFLY_CLIENT_SECRET of an agent allowed `orders:read` for the server's
audience. Without them, and with the broker's admin.json readable (MAYFLY_HOME, default ~/.mayfly: you
started `./mayfly server` yourself), it registers such a demo agent first.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path

import httpx
import httpx2
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

from mayfly import PermissionDenied, TokenProvider

BROKER = os.environ.get("MAYFLY_URL", "http://127.0.0.1:8470").rstrip("/")
RESOURCE = os.environ.get("ORDERS_MCP_URL", "http://127.0.0.1:8000/mcp")


def demo_agent_credentials() -> tuple[str, str]:
    """MAYFLY_CLIENT_ID/SECRET, else a demo agent registered with the broker's bootstrap admin."""
    if os.environ.get("MAYFLY_CLIENT_ID") and os.environ.get("MAYFLY_CLIENT_SECRET"):
        return os.environ["MAYFLY_CLIENT_ID"], os.environ["MAYFLY_CLIENT_SECRET"]
    home = Path(os.environ.get("MAYFLY_HOME") or Path.home() / ".mayfly")
    admin = json.loads((home / "admin.json").read_text())
    with TokenProvider(BROKER, client_id=admin["client_id"], client_secret=admin["client_secret"]) as tokens:
        r = httpx.post(BROKER + "/v1/agents", headers={"Authorization": tokens.token().authorization()},
                       json={"name": "orders-mcp-demo-" + uuid.uuid4().hex[:6], "kind": "llm",
                             "scopes": ["orders:read"], "audiences": [RESOURCE]})
        r.raise_for_status()
        data = r.json()["data"]
        return data["client_id"], data["client_secret"]


async def call_tools(token: str, calls: list[tuple[str, dict]]) -> list[str]:
    """One MCP session with one task token; returns each tool's text result."""
    out = []
    async with httpx2.AsyncClient(headers={"Authorization": "Bearer " + token}, timeout=30) as http:
        async with streamable_http_client(RESOURCE, http_client=http) as streams:
            read, write = streams[0], streams[1]
            async with ClientSession(read, write) as session:
                await session.initialize()
                tools = await session.list_tools()
                out.append("tools: " + ", ".join(t.name for t in tools.tools))
                for name, args in calls:
                    result = await session.call_tool(name, args)
                    out.append(f"{name}: " + " ".join(_compact(getattr(c, "text", "")) for c in result.content))
    return out


def _compact(text: str) -> str:
    try:
        return json.dumps(json.loads(text), separators=(",", ":"))
    except ValueError:
        return text


def main() -> list[str]:
    client_id, secret = demo_agent_credentials()
    lines = []
    with TokenProvider(BROKER, client_id=client_id, client_secret=secret, revoke_on_close=True) as tokens:
        # Task 1: a report. A token for this task only: one audience, one scope, a task id the audit shows.
        report = tokens.task(scope="orders:read", audience=RESOURCE, task_id="orders-report-" + uuid.uuid4().hex[:6])
        lines.append(f"task {report.task_id}: token for {report.audience[0]} with {' '.join(report.scopes)}")
        lines += asyncio.run(call_tools(report.value, [("list_orders", {})]))
        # Task 2: a refund needs orders:write, which this agent does not hold: the broker says so, permanently.
        try:
            tokens.task(scope="orders:write", audience=RESOURCE, task_id="refund-ord_2")
        except PermissionDenied as e:
            lines.append(f"refund: {e.code} (exit {e.exit_code}), needs {e.required_scope or 'orders:write'}: "
                         "escalate to a person, do not retry")
    return lines


if __name__ == "__main__":
    for line in main():
        print(line)
