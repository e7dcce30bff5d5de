"""Which HTTP failures are worth another try: the one rule downloads and alert webhooks
share (both retry with tenacity)."""

from __future__ import annotations

import httpx


def transient(exc: BaseException) -> bool:
    """A 5xx or 429 answer, a timeout, a connection that failed or broke off; not a 4xx,
    and not a URL without http(s):// (a setting to fix, not an outage to wait out)."""
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    unsupported = isinstance(exc, httpx.UnsupportedProtocol)
    return isinstance(exc, httpx.TransportError) and not unsupported
