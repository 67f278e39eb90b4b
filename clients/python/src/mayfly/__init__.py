"""Mayfly for Python agents, tools and MCP servers: token providers (sync and async), the auth-failure
classifier, httpx/requests auth, a JWT verifier with the revocation feed, and MCP server middleware.
See docs/python.md."""

from .classify import AuthFailure, Format, Kind, Recovery, SentCredential, classify
from .clock import ManualClock
from .dpop import DpopKey
from .errors import (AuthError, CredentialsExpired, CredentialsInvalid, CredentialsMissing, CredentialsRevoked,
                     MayflyError, PermissionDenied, PreconditionFailed, RateLimited, Timeout, Unavailable, UsageError)
from .aio import AsyncTokenProvider
from .auth import MayflyAuth, MayflyRequestsAuth
from .mcp import MayflyMCPAuth
from .policy import Backoff, RefreshPolicy
from .provider import TokenProvider
from .retry import run_with_auth_retry
from .revocation import RevocationFeed
from .token import AccessToken
from .verifier import VerifiedToken, Verifier

__version__ = "0.1.0"

__all__ = [
    "AccessToken", "AsyncTokenProvider", "DpopKey", "MayflyAuth", "MayflyMCPAuth", "MayflyRequestsAuth", "RevocationFeed",
    "VerifiedToken", "Verifier", "run_with_auth_retry", "AuthError", "AuthFailure", "Backoff", "CredentialsExpired", "CredentialsInvalid",
    "CredentialsMissing", "CredentialsRevoked", "Format", "Kind", "ManualClock", "MayflyError", "PermissionDenied",
    "PreconditionFailed", "RateLimited", "Recovery", "RefreshPolicy", "SentCredential", "Timeout", "TokenProvider",
    "Unavailable", "UsageError", "classify",
]
