"""Mayfly for Python agents, tools and MCP servers."""
from .classify import AuthFailure, Format, Kind, Recovery, SentCredential, classify
from .clock import ManualClock

__all__ = ["AuthFailure", "Format", "Kind", "ManualClock", "Recovery", "SentCredential", "classify"]
