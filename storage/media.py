"""Photos residents send, kept as files under ``MEDIA_DIR`` with random names.

Every photo, from every channel, is decoded and encoded anew before it is kept (Pillow):
what is stored is pixels and nothing else. EXIF goes (a phone photo carries the GPS position
of where it was taken, often a home, and the camera's serial number); the orientation EXIF
asked for is applied to the pixels first; a file that only *starts* like an image (a JPEG
header and then HTML or script) does not decode and is refused; the pixel count is bounded
before decoding (a small file can claim gigapixels); an animated GIF keeps its first frame.
Decoding takes tens of milliseconds for a camera photo: callers run ``save_image`` in a
worker thread, never on the event loop.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import warnings
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# 40 megapixels: more than any phone camera takes, far less than a decompression bomb.
MAX_PIXELS = 40_000_000
_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "png", "WEBP": "webp"}
REF_PATTERN = re.compile(r"^[0-9a-f]{32}\.(jpg|png|gif|webp)$")
JPEG_QUALITY = 85


class NotAnImage(ValueError):
    pass


class TooManyPixels(NotAnImage):
    """An image whose pixel count is beyond ``MAX_PIXELS`` (a decompression bomb, or huge)."""


def _decoded(data: bytes) -> tuple[Image.Image, str]:
    """The image's first frame, upright, and the kind to keep it as."""
    with warnings.catch_warnings():
        # Pillow's own bomb warning comes at 89 megapixels; ours refuses well before.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(_FORMATS))
        except UnidentifiedImageError as error:
            raise NotAnImage("not a JPEG, PNG, GIF or WebP image") from error
        except Image.DecompressionBombError as error:
            raise TooManyPixels(str(error)) from error
    with image:
        kind = _FORMATS[image.format or ""]
        if image.width * image.height > MAX_PIXELS:
            raise TooManyPixels(f"{image.width} × {image.height} pixels")
        try:
            image.seek(0)  # an animation keeps its first frame
            image.load()  # truncated, or something else behind the header: raises here
            upright = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            raise NotAnImage("the image data is broken") from error
    return upright, kind


def reencoded(data: bytes) -> tuple[bytes, str]:
    """The photo as fresh pixels without metadata, and its file kind; raise NotAnImage."""
    image, kind = _decoded(data)
    out = io.BytesIO()
    # Only the pixels are passed on: no exif, icc_profile, comment or text chunks.
    if kind == "jpg":
        image.convert("RGB").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        colours = "RGBA" if _has_alpha(image) else "RGB"
        if kind == "webp":
            image.convert(colours).save(out, "WEBP", quality=JPEG_QUALITY)
        else:  # PNG, and a GIF's first frame as PNG
            image.convert(colours).save(out, "PNG", optimize=True)
    return out.getvalue(), kind


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def save_image(*, media_dir: Path, data: bytes) -> str:
    """Store a photo re-encoded and return its reference; raise NotAnImage for anything else."""
    clean, kind = reencoded(data)
    media_dir.mkdir(parents=True, exist_ok=True)
    ref = f"{secrets.token_hex(16)}.{kind}"
    temporary = media_dir / f".{ref}.part"
    temporary.write_bytes(clean)
    temporary.replace(media_dir / ref)  # whole files only, even if the process dies midway
    return ref


def image_exists(*, media_dir: Path, ref: str) -> bool:
    return bool(REF_PATTERN.match(ref)) and (media_dir / ref).is_file()


def image_path(*, media_dir: Path, ref: str | None) -> Path | None:
    """The file of a stored photo; None for anything else (a Telegram file id, a bad name)."""
    if ref is None or not image_exists(media_dir=media_dir, ref=ref):
        return None
    return media_dir / ref


def stored_since(
    *, media_dir: Path, older_than: datetime, newer_than: datetime | None
) -> list[str]:
    """References of stored photos whose file was written in that span (oldest bound open
    with ``newer_than=None``)."""
    if not media_dir.is_dir():
        return []
    latest, earliest = older_than.timestamp(), newer_than.timestamp() if newer_than else None
    found = []
    with os.scandir(media_dir) as entries:
        for entry in entries:
            if not REF_PATTERN.match(entry.name) or not entry.is_file():
                continue
            written = entry.stat().st_mtime
            if written < latest and (earliest is None or written >= earliest):
                found.append(entry.name)
    return found


def remove(*, media_dir: Path, refs: Iterable[str]) -> int:
    """Delete stored photos; return how many files went."""
    removed = 0
    for ref in refs:
        path = image_path(media_dir=media_dir, ref=ref)
        if path is not None:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
