"""Splitting long texts for platforms with message limits, on word boundaries."""

from __future__ import annotations

from collections.abc import Callable


def split_text(text: str, limit: int, *, size: Callable[[str], int] = len) -> list[str]:
    """Split on paragraph, line or word boundaries; cut a word only if it alone is too long.

    ``size`` measures a piece (characters by default; Instagram counts UTF-8 bytes).
    """
    chunks: list[str] = []
    rest = text
    while size(rest) > limit:
        window = rest[:limit]
        while size(window) > limit:  # many-byte characters: shrink to the byte limit
            window = window[: max(1, len(window) - (size(window) - limit))]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            cut = len(window)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks.append(rest)
    return [chunk for chunk in chunks if chunk]
