"""Photos residents send with ideas, kept as files under ``MEDIA_DIR`` with random names."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

_SIGNATURES = (
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
REF_PATTERN = re.compile(r"^[0-9a-f]{32}\.(jpg|png|gif|webp)$")


class NotAnImage(ValueError):
    pass


def image_kind(data: bytes) -> str | None:
    """The file type from the first bytes (never from a name or a header the sender chose)."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def save_image(*, media_dir: Path, data: bytes) -> str:
    """Store an image and return its reference; raise NotAnImage for anything else."""
    kind = image_kind(data)
    if kind is None:
        raise NotAnImage("not a JPEG, PNG, GIF or WebP image")
    media_dir.mkdir(parents=True, exist_ok=True)
    ref = f"{secrets.token_hex(16)}.{kind}"
    temporary = media_dir / f".{ref}.part"
    temporary.write_bytes(data)
    temporary.replace(media_dir / ref)  # whole files only, even if the process dies midway
    return ref


def image_exists(*, media_dir: Path, ref: str) -> bool:
    return bool(REF_PATTERN.match(ref)) and (media_dir / ref).is_file()


def image_path(*, media_dir: Path, ref: str | None) -> Path | None:
    """The file of a stored photo; None for anything else (a Telegram file id, a bad name)."""
    if ref is None or not image_exists(media_dir=media_dir, ref=ref):
        return None
    return media_dir / ref
