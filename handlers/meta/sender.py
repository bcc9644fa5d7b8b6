"""Send stored replies through Meta's Send API (httpx), inside the 24-hour window only.

Outside the window a message is held until the person writes again. Codes 1200, 2, 4, 17,
613 and 5xx are retried with backoff; outside-window (10/2018278, 10/2534022), 551, 190, 100
and other 4xx are dead-lettered with the reason — 190 (bad token) also as a log error.
Sends are paced under the account's limit (Instagram: 100 calls a second).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from dialogs.replies import ButtonReceipt, Reply
from handlers.delivery import Delivery, Held, RetryLater, Sent, Undeliverable
from handlers.meta.render import messages_for
from handlers.meta.spec import WINDOW
from handlers.pacing import Pacer
from storage.outbox import OutboxItem

logger = logging.getLogger(__name__)

RETRY_CODES = frozenset({1200, 2, 4, 17, 613})
UNAVAILABLE = 551


class MetaSender:
    """One channel (``messenger`` or ``instagram``) and the endpoint and token it sends with."""

    def __init__(
        self,
        *,
        channel: str,
        client: httpx.AsyncClient,
        url: str,
        token: str,
        bearer: bool = False,
        pacer: Pacer | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.channel = channel
        self._client = client
        self._url = url
        self._token = token
        self._bearer = bearer  # Instagram Login tokens go in a header; page tokens as a query
        self._pacer = pacer
        self._clock = clock

    async def send(self, item: OutboxItem) -> Delivery:
        if ButtonReceipt.from_json(item.payload) is not None:
            return Sent()  # Meta has no button receipts to answer
        if item.last_inbound_at is None or self._clock() - item.last_inbound_at > WINDOW:
            return Held("outside the 24-hour window; waits for the person's next message")
        reply = Reply.from_json(item.payload)
        for message in messages_for(reply, instagram=self.channel == "instagram"):
            body = {
                "recipient": {"id": item.recipient},
                "messaging_type": "RESPONSE",
                "message": message,
            }
            failed = await self._post(body)
            if failed is not None:
                return failed
        return Sent()

    async def _post(self, body: dict[str, Any]) -> Delivery | None:
        if self._pacer is not None:
            await self._pacer.wait(body["recipient"]["id"])
        headers = {"Authorization": f"Bearer {self._token}"} if self._bearer else {}
        params = {} if self._bearer else {"access_token": self._token}
        try:
            response = await self._client.post(self._url, json=body, params=params, headers=headers)
        except httpx.HTTPError as error:
            return RetryLater(f"network: {type(error).__name__}")
        if response.status_code < 300:
            return None
        return self._failure(response)

    def _failure(self, response: httpx.Response) -> Delivery:
        try:
            error = response.json().get("error", {})
        except ValueError:
            error = {}
        code, subcode = error.get("code"), error.get("error_subcode")
        reason = (
            f"{response.status_code} code {code}/{subcode}: {str(error.get('message', ''))[:200]}"
        )
        if response.status_code >= 500 or code in RETRY_CODES:
            return RetryLater(reason)
        if code == 190:
            logger.error("Meta refused the %s access token (code 190): renew it", self.channel)
        return Undeliverable(reason, unreachable=code == UNAVAILABLE)
