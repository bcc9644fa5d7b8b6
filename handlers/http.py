"""Small HTTP facts every route shares."""

from __future__ import annotations

import math


def retry_after(seconds: float) -> str:
    """``Retry-After`` in whole seconds, never 0 (a client would come straight back)."""
    return str(max(1, math.ceil(seconds)))
