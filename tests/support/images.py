"""Real image files for tests, made with Pillow: a phone photo with GPS and a rotation in its
EXIF, an animated GIF, a decompression bomb's header, a JPEG that turns into HTML."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

ORIENTATION, GPS_INFO, SERIAL = 0x0112, 0x8825, 0xA431


def phone_photo(width: int = 2400, height: int = 1800, *, quality: int = 90) -> bytes:
    """A JPEG as a phone writes it (about 3 MB at the default size): noisy pixels, EXIF with
    a GPS position near Mikkeli's market square, a camera serial and "rotate 90°"."""
    image = Image.effect_noise((width, height), 64).convert("RGB")
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[SERIAL] = "SN-0042-FAKE"
    exif.get_ifd(GPS_INFO).update({1: "N", 2: (61.0, 41.0, 17.0), 3: "E", 4: (27.0, 16.0, 20.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def small_png(colour: tuple[int, int, int] = (11, 79, 138)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return out.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("P", (20, 20), index) for index in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pixel_bomb(side: int = 60_000) -> bytes:
    """A valid PNG header claiming side × side pixels (3.6 gigapixels) in a few bytes."""
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _chunk(b"IEND", b"")
    )


HTML_BEHIND_A_JPEG_HEADER = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"<html><script>alert(1)</script>"


def has_exif(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif()) or "exif" in image.info


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size
