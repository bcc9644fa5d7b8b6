"""Send stored replies through Meta's Send API (httpx), inside Meta's windows only.

Inside the 24-hour window anything goes; up to 7 days only what a person of the team wrote,
tagged HUMAN_AGENT (with the app's approval, ``META_HUMAN_AGENT``); otherwise a message is
held until the person writes again. A conversation handed to the team may also pass the
thread to Meta's Page Inbox and take it back (Messenger's handover). Codes 1200, 2, 4, 17,
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
from handlers.meta.spec import HUMAN_AGENT_WINDOW, PAGE_INBOX_APP_ID, WINDOW
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
        human_agent: bool = False,
    ) -> None:
        """``human_agent``: the app has Meta's approval for the HUMAN_AGENT tag."""
        self.channel = channel
        self._client = client
        self._url = url
        self._token = token
        self._bearer = bearer  # Instagram Login tokens go in a header; page tokens as a query
        self._pacer = pacer
        self._clock = clock
        self._human_agent = human_agent

    def allowed(self, reply: Reply, last_inbound_at: datetime | None) -> dict[str, str] | None:
        """How Meta lets us send ``reply`` now, or None (held until the person writes).

        Inside the 24-hour window: a RESPONSE. Between 24 hours and 7 days only a person of
        the team may write, with the HUMAN_AGENT tag, and only where the app has Meta's
        approval: never a text of the bot's (that would break Meta's policy).
        """
        if last_inbound_at is None:
            return None
        age = self._clock() - last_inbound_at
        if age <= WINDOW:
            return {"messaging_type": "RESPONSE"}
        if reply.from_person and self._human_agent and age <= HUMAN_AGENT_WINDOW:
            return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        return None

    async def send(self, item: OutboxItem) -> Delivery:
        if ButtonReceipt.from_json(item.payload) is not None:
            return Sent()  # Meta has no button receipts to answer
        handover = item.payload.get("handover")
        if isinstance(handover, str):
            return await self._hand_over(item.recipient, handover)
        reply = Reply.from_json(item.payload)
        messaging = self.allowed(reply, item.last_inbound_at)
        if messaging is None:
            return Held("outside Meta's window for this message; waits for the person's next one")
        for message in messages_for(reply, instagram=self.channel == "instagram"):
            body = {"recipient": {"id": item.recipient}, **messaging, "message": message}
            failed = await self._post(body)
            if failed is not None:
                return failed
        return Sent()

    async def _hand_over(self, recipient: str, how: str) -> Delivery:
        """Pass the thread to Meta's Page Inbox ("pass"), or take it back ("take")."""
        if how == "pass":
            path = "pass_thread_control"
            body: dict[str, Any] = {
                "recipient": {"id": recipient},
                "target_app_id": PAGE_INBOX_APP_ID,
            }
        else:
            path = "take_thread_control"
            body = {"recipient": {"id": recipient}}
        body["metadata"] = "osallistu"
        failed = await self._post(body, url=self._url.rsplit("/", 1)[0] + "/" + path)
        if isinstance(failed, Undeliverable):
            # A thread the inbox already had, or we already had: nothing to hand over; the
            # messages around this one go on regardless.
            logger.warning("%s on %s: %s", path, self.channel, failed.reason)
            return Sent()
        return failed or Sent()

    async def _post(self, body: dict[str, Any], *, url: str | None = None) -> Delivery | None:
        if self._pacer is not None:
            await self._pacer.wait(body["recipient"]["id"])
        headers = {"Authorization": f"Bearer {self._token}"} if self._bearer else {}
        params = {} if self._bearer else {"access_token": self._token}
        try:
            response = await self._client.post(
                url or self._url, json=body, params=params, headers=headers
            )
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
