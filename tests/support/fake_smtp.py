"""A fake SMTP server on 127.0.0.1 that accepts every message and keeps it (no TLS)."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str = ""
    recipients: list[str] = field(default_factory=list)
    data: bytes = b""


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        inbox: list[Received] = self.server.inbox  # type: ignore[attr-defined]
        current = Received()
        self.wfile.write(b"220 fake ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250 fake\r\n")
            elif verb == "MAIL":
                current = Received(sender=command.split(":", 1)[1].strip())
                self.wfile.write(b"250 OK\r\n")
            elif verb == "RCPT":
                current.recipients.append(command.split(":", 1)[1].strip())
                self.wfile.write(b"250 OK\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go on\r\n")
                body = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    body += chunk
                current.data = body
                inbox.append(current)
                self.wfile.write(b"250 OK\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


@contextmanager
def fake_smtp() -> Iterator[tuple[int, list[Received]]]:
    """Yield the port and the list that fills with received messages."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.inbox = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.inbox  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
