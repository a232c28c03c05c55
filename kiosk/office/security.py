"""Security headers on every response of the office (API, dashboard, downloads, errors).

- ``Content-Security-Policy``: the dashboard uses no inline script, no inline style and
  nothing from another origin (one local stylesheet, inline SVG with presentation
  attributes, and the editor's voice recorder, a script file of the office's own that
  uploads to it and plays clips from it), so the policy allows exactly that:
  ``default-src 'none'``, scripts, styles, images, sound and requests from the office
  itself, forms posting only to it, no ``<base>``, and ``frame-ancestors 'none'`` so no
  other site can frame the login page (clickjacking).
- ``X-Frame-Options: DENY`` says the same to browsers that predate ``frame-ancestors``.
- ``X-Content-Type-Options: nosniff``: a CSV is never run as a script or page.
- ``Referrer-Policy: no-referrer``: report filters in the URL stay at the office.
- ``Cache-Control: no-store`` on everything that does not set its own caching (only the
  stylesheet does): pages and exports behind the login never land in a shared cache or the
  browser's disk cache.

``Strict-Transport-Security`` belongs to the HTTPS proxy (docs/office.md), which alone
knows whether the office is reached over HTTPS.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "media-src 'self'; connect-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """Pure ASGI middleware (streaming bodies pass through untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
