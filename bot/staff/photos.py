"""Photos residents sent, as staff pages show them: our own file, one on its way from a
platform, or one fetched from the platform the moment staff open it (``handlers`` specs
say which)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import anyio.to_thread

from bot.staff.web import StaffArea
from handlers.channels import photo_spec
from handlers.spec import PhotoSource
from handlers.telegram.files import FileGone, download
from storage.media import NotAnImage, save_image

logger = logging.getLogger(__name__)


def photo_headers(name: str) -> dict[str, str]:
    """A stored photo is shown as an image and nothing else: the browser may not sniff it
    into HTML, run anything in it, or save it under a name the resident chose."""
    return {
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="{name}"',
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
        "Cross-Origin-Resource-Policy": "same-origin",
    }


def viewable(area: StaffArea, ref: str | None) -> bool:
    """Whether a staff page can show the photo now (ours, or fetchable on demand)."""
    if ref is None:
        return False
    spec = photo_spec(ref)
    if spec is None:
        return True
    return spec.photos is PhotoSource.ON_DEMAND and area.telegram is not None


def on_its_way(ref: str | None) -> bool:
    """A photo the fetch job has not brought in yet (Messenger, Instagram)."""
    spec = photo_spec(ref)
    return spec is not None and spec.photos is PhotoSource.FETCH_JOB


async def keep_on_demand(area: StaffArea, ref: str, attach: Callable[[str], bool]) -> str | None:
    """Fetch a photo the platform still holds, keep it as our own file (re-encoded, in a
    worker thread) and ``attach`` it where ``ref`` was; the local reference, or None."""
    spec = photo_spec(ref)
    if spec is None or spec.photos is not PhotoSource.ON_DEMAND or area.telegram is None:
        return None
    try:
        data = await download(area.telegram, ref)
        local = await anyio.to_thread.run_sync(
            functools.partial(save_image, media_dir=area.settings.media_dir, data=data)
        )
    except (FileGone, NotAnImage) as error:
        logger.warning("a %s photo could not be fetched: %s", spec.channel, error)
        return None
    if not attach(local):  # erased or fetched by someone else meanwhile: this copy is nobody's
        (area.settings.media_dir / local).unlink(missing_ok=True)
        return None
    return local
