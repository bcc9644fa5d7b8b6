"""Headers every response carries: ``nosniff`` and, outside development mode, HSTS.

Pages set their own policies on top (the chat page's CSP, the staff area's); this middleware
only adds what is missing, so a route's own choice stands.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A year, subdomains too: once a browser has seen it, it never speaks plain HTTP to us.
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
NOSNIFF = (b"x-content-type-options", b"nosniff")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.extra = (HSTS, NOSNIFF) if hsts else (NOSNIFF,)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in self.extra if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
