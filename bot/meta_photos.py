"""Photos residents send on Messenger and Instagram arrive as links to Meta's CDN, and those
links expire within days. A job fetches the photos of submitted ideas and of messages to
the team soon after and keeps them as our own files, so staff can see them and "delete my
data" removes them.

Only hosts in ``META_MEDIA_HOSTS`` are fetched: the link came in a signed webhook, but the
server should still never be made to fetch an address of someone else's choosing.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import anyio.to_thread
import httpx
from sqlalchemy.engine import Engine

from handlers.channels import fetched_by_job
from storage import linked_photos
from storage.engine import transaction
from storage.media import NotAnImage, save_image

logger = logging.getLogger(__name__)

BATCH = 50
# Meta's links are dead by then: a photo still failing (a host that no longer answers) is let
# go rather than tried for ever ahead of newer ones.
GIVE_UP_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class PhotoFetch:
    media_dir: Path
    max_bytes: int
    allowed_hosts: Sequence[str]  # a host itself or any of its subdomains


class _Gone(Exception):
    """The photo cannot be had (expired, refused, not an image): stop trying."""


def host_allowed(url: str, allowed_hosts: Sequence[str]) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme in ("https", "http") and any(
        host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts
    )


async def _download(client: httpx.AsyncClient, url: str, max_bytes: int) -> bytes:
    async with client.stream("GET", url, follow_redirects=False) as response:
        if 400 <= response.status_code < 500 or 300 <= response.status_code < 400:
            raise _Gone(f"HTTP {response.status_code}")
        response.raise_for_status()  # 5xx: try again next time
        data = bytearray()
        async for chunk in response.aiter_bytes():
            data += chunk
            if len(data) > max_bytes:
                raise _Gone("larger than the photo limit")
        return bytes(data)


async def fetch_meta_photos(
    *,
    database: Engine,
    client: httpx.AsyncClient,
    fetch: PhotoFetch,
    now: datetime | None = None,
) -> int:
    """Fetch what is waiting; return how many photos are now our own files."""
    now = now or datetime.now(UTC)
    with transaction(database) as connection:
        due = linked_photos.photos_to_fetch(
            connection=connection, prefixes=fetched_by_job(), limit=BATCH
        )
    kept = 0
    for photo in due:
        which = f"{photo.holder} {photo.row_id}"
        url = photo.ref.split(":", 1)[1]
        local: str | None = None
        try:
            if not host_allowed(url, fetch.allowed_hosts):
                raise _Gone("not one of META_MEDIA_HOSTS")
            if now - photo.sent_at > GIVE_UP_AFTER:
                raise _Gone("still not fetched after a week")
            data = await _download(client, url, fetch.max_bytes)
            # Decoded and encoded anew (no EXIF) in a worker thread, off the event loop.
            local = await anyio.to_thread.run_sync(
                functools.partial(save_image, media_dir=fetch.media_dir, data=data)
            )
        except (_Gone, NotAnImage) as error:
            # The idea or message stays; only its photo is lost. No link in the log: it
            # names the person's file.
            logger.warning("the photo of %s could not be fetched: %s", which, error)
        except httpx.HTTPError as error:
            logger.info("the photo of %s: %s; trying again later", which, type(error).__name__)
            continue
        with transaction(database) as connection:
            changed = linked_photos.set_photo_ref(connection=connection, photo=photo, new=local)
        if local is not None and not changed:  # erased meanwhile, or another instance was first
            (fetch.media_dir / local).unlink(missing_ok=True)
        kept += local is not None and changed
    return kept
