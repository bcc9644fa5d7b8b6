"""Remove photos uploaded in the web chat but never attached to anything.

``POST /webchat/images`` stores a photo before the message that uses it; a photo whose
message never came (the page was closed, or a script uploads and walks away) is deleted an
hour later by an hourly job, so that the upload door cannot fill a disk. The hourly round
looks at the last two days' files; the nightly purge at all of them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from storage import media, media_use

logger = logging.getLogger(__name__)

UNATTACHED_FOR = timedelta(hours=1)
HOURLY_LOOKBACK = timedelta(days=2)


def sweep_unattached(
    *, database: Engine, media_dir: Path, now: datetime | None = None, everything: bool = False
) -> int:
    """Delete photos older than an hour that nothing refers to; return how many."""
    now = now or datetime.now(UTC)
    candidates = media.stored_since(
        media_dir=media_dir,
        older_than=now - UNATTACHED_FOR,
        newer_than=None if everything else now - HOURLY_LOOKBACK,
    )
    if not candidates:
        return 0
    with database.connect() as connection:
        used = media_use.refs_in_use(connection=connection, refs=candidates)
    # No lock between the read and the delete: only a message sent more than an hour after
    # its photo could attach one in between, and the page sends it right after the upload.
    removed = media.remove(media_dir=media_dir, refs=[r for r in candidates if r not in used])
    if removed:
        logger.info("removed %d photos that were never attached to anything", removed)
    return removed
