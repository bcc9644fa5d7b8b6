"""Messages that reach a web chat page later than its own request: a staff answer to an idea.

The web chat has no push channel, so the page asks now and then; what it has shown it
acknowledges in its next request, and only then is the row marked sent. A lost response
therefore shows the message again instead of losing it (the page skips ids it has drawn).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine

from dialogs.events import Channel
from storage import outbox
from storage.engine import transaction


@dataclass(frozen=True)
class WebchatUpdates:
    database: Engine

    def exchange(self, *, session: str, shown: list[int]) -> list[tuple[int, dict[str, Any]]]:
        if shown:  # a write only when there is something to acknowledge: most polls just read
            with transaction(self.database) as connection:
                outbox.mark_fetched(
                    connection=connection,
                    channel=Channel.WEBCHAT,
                    recipient=session,
                    ids=shown,
                    now=datetime.now(UTC),
                )
        with self.database.connect() as connection:
            return outbox.waiting_for(
                connection=connection, channel=Channel.WEBCHAT, recipient=session
            )
