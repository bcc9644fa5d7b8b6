"""Meta signs each webhook delivery: ``X-Hub-Signature-256: sha256=<HMAC-SHA256(secret, body)>``.

The HMAC is over the raw bytes Meta sent (non-ASCII escaped as ``\\uXXXX``, ``/`` maybe as
``\\/``): re-serialised JSON would not match, so this runs before anything is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

PREFIX = "sha256="


def signature_valid(body: bytes, header: str | None, secrets: Iterable[bytes]) -> bool:
    """True if ``header`` is the HMAC of ``body`` under any of ``secrets`` (constant time)."""
    if not header or not header.startswith(PREFIX):
        return False
    given = header[len(PREFIX) :].strip().lower().encode()
    valid = False
    for secret in secrets:
        expected = hmac.new(secret, body, hashlib.sha256).hexdigest().encode()
        valid |= hmac.compare_digest(given, expected)  # every secret checked: no timing hint
    return valid
