"""The engine: one event in, replies out, all in one transaction.

``ConversationEngine.handle`` loads the participant and their conversation, decides the next
step, renders the replies in the participant's language, saves the state with a version
check, records the event in the inbox and queues the replies in the outbox — then commits
once. Events that arrive together may share that commit (``handle_together``), each in a
savepoint of its own, so each is still all or nothing. The inbox row comes last: if its key
was seen before, the event is rolled back and the replies stored the first time are
returned, so a repeat changes nothing and the common case pays for no separate duplicate
check. Replies of synchronous channels (the web chat) are stored on the inbox row, as they
are already delivered in the response. It is synchronous on purpose: the whole event is one
short database transaction (or savepoint), run by ``dialogs.runner`` in a worker thread or
on the event loop, one conversation at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from dialogs import common
from dialogs.channels import ChannelRules
from dialogs.definitions import DialogConfig, Goto, Turn
from dialogs.events import (
    Event,
    Flooding,
    MessageDeleted,
    Overheard,
    ReachabilityChanged,
    TeamEcho,
)
from dialogs.flows.human_texts import TEAM
from dialogs.registry import FlowRegistry
from dialogs.render import render
from dialogs.replies import Reply
from dialogs.turns import decide
from locales import DEFAULT_LANGUAGE, Translators, match_language
from storage import conversations, humans, inbox, outbox, participants, privacy
from storage.conversations import ConversationState, StaleConversation
from storage.engine import savepoint, transaction
from storage.participants import Arrival

logger = logging.getLogger(__name__)

MAX_STALE_RETRIES = 3
MAX_GUARD_HOPS = 3
# Queued after the replies that say a person will answer: the platform's inbox takes the
# thread (Messenger's Page Inbox), so the team can answer there as well as in ours.
HAND_OVER: dict[str, Any] = {"handover": "pass"}


class _SeenBefore(Exception):
    """The inbox already holds this event: roll back everything this attempt did."""


@dataclass(frozen=True)
class Handled:
    replies: list[Reply]
    payloads: list[dict[str, Any]]  # the replies as stored JSON, ready for an HTTP response
    duplicate: bool = False
    # Not handled: the person sent faster than the flood limit allows. A synchronous channel
    # says so with when to send again (seconds); the event left no trace.
    throttled_for: float | None = None
    # The person's language after the turn (a page in it may follow), when the turn ran.
    language: str | None = None
    # The person was erased in this turn: a device keeping the conversation forgets it too.
    forgotten: bool = False


class ConversationEngine:
    def __init__(
        self,
        *,
        database: Engine,
        registry: FlowRegistry,
        translators: Translators,
        config: DialogConfig,
        pseudonym_key: bytes,
        channels: Mapping[str, ChannelRules],
        default_language: str = DEFAULT_LANGUAGE,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """``channels``: each channel's rules, from its spec in ``handlers``."""
        self._database = database
        self._channels = dict(channels)
        self._registry = registry
        self._translators = translators
        self._config = config
        self._pseudonym_key = pseudonym_key
        self._default_language = default_language
        self._clock = clock

    @property
    def channels(self) -> Mapping[str, ChannelRules]:
        return self._channels

    def is_synchronous(self, channel: str) -> bool:
        """Whether the channel's replies go back in the HTTP response (the web chat)."""
        return self._channels[channel].synchronous

    def handle(self, event: Event) -> Handled:
        """Handle one event exactly once; retry if another process moved the conversation."""
        outcome = self.handle_together([event])[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def handle_together(self, events: Sequence[Event]) -> list[Handled | Exception]:
        """Handle events that arrived together: one commit, each event in a savepoint.

        Each event is still all or nothing — a failing one is rolled back to its savepoint
        and its exception returned in its place, the others go on — but they share one
        BEGIN and one COMMIT, which on SQLite is a third of an event's cost. Nothing is
        acknowledged before that commit: a database error fails the whole group (raised),
        and the callers ask the platforms to deliver it again.
        """
        with transaction(self._database) as connection:
            return [self._handle_once(connection, event) for event in events]

    def _handle_once(self, connection: Connection, event: Event) -> Handled | Exception:
        for attempt in range(1, MAX_STALE_RETRIES + 1):
            try:
                with savepoint(connection):
                    return self._handle(connection, event)
            except _SeenBefore:
                return self._repeat(connection, event)
            except StaleConversation:
                logger.info("conversation changed under us; retrying (attempt %d)", attempt)
            except sa.exc.OperationalError:
                raise  # the database itself is unwell: the whole group fails
            except Exception as error:
                return error
        return RuntimeError("conversation kept changing under us")

    def _handle(self, connection: Connection, event: Event) -> Handled:
        now = self._clock()
        if isinstance(event.input, Overheard | TeamEcho):
            return self._overheard(connection, event, event.input, now)
        # Loading the participant locks their row until commit: two processes cannot both
        # advance one conversation, and the version check on save backs that up.
        arrival = participants.participant_for_event(
            connection=connection,
            channel=event.channel,
            channel_user_id=event.user_id,
            pseudonym_key=self._pseudonym_key,
            now=now,
        )
        if isinstance(event.input, MessageDeleted | ReachabilityChanged):
            return self._silent(connection, event, arrival, now)
        if isinstance(event.input, Flooding):
            return self._slow_down(connection, event, arrival, now)
        participant, state, is_new = arrival.participant, arrival.state, arrival.is_new
        language = participant.locale
        if language is None:
            language = match_language(event.locale_hint, default=self._default_language)
            participants.set_locale(
                connection=connection, participant_id=participant.id, locale=language
            )
        turn = Turn(
            connection=connection,
            participant=participant,
            language=language,
            data=dict(state.data) if state else {},
            event=event,
            config=self._config,
            now=now,
            translator=self._translators[language],
            rules=self._channels[event.channel],
        )
        current = f"{state.flow}.{state.step}" if state else None
        goto = decide(
            registry=self._registry,
            translators=self._translators,
            current=current,
            turn=turn,
            is_new=is_new or state is None,
        )
        goto = self._guarded(goto, turn)
        if goto.forget:
            return self._forget(connection, event, goto, turn, now)
        if goto.language is not None and goto.language != language:
            language = goto.language
            participants.set_locale(
                connection=connection, participant_id=participant.id, locale=language
            )
        data = goto.data if goto.data is not None else turn.data
        after = replace(turn, language=language, data=data, translator=self._translators[language])
        replies = [] if goto.quiet else render(goto=goto, registry=self._registry, turn=after)
        flow, step = goto.step.split(".", 1)
        conversations.save_conversation(
            connection=connection,
            participant_id=participant.id,
            state=ConversationState(flow=flow, step=step, data=data),
            previous=state,
            now=now,
        )
        hand_over = goto.hand_over and self._channels[event.channel].inbox_handover
        payloads = self._store_event(
            connection,
            event,
            participant_id=participant.id,
            payload=event.summary() if participant.has_consented else None,
            replies=replies,
            now=now,
            release=arrival.has_held,
            after=[HAND_OVER] if hand_over else [],
        )
        return Handled(replies=replies, payloads=payloads, language=language)

    def erase(self, *, channel: str, user_id: str) -> bool:
        """Erase a person as "delete my data" does (a platform asked); False if unknown."""
        with transaction(self._database) as connection:
            participant = participants.find_participant(
                connection=connection, channel=channel, channel_user_id=user_id
            )
            if participant is None:
                return False
            erased = privacy.erase_participant(
                connection=connection, participant=participant, ballot_key=self._config.ballot_key
            )
        if self._config.media_dir is not None:
            for photo in erased.photo_refs:
                (self._config.media_dir / photo).unlink(missing_ok=True)
        return True

    def _silent(
        self, connection: Connection, event: Event, arrival: Arrival, now: datetime
    ) -> Handled:
        """Events that change a record but are no turn of the conversation: nothing is said."""
        participant_id = arrival.participant.id
        match event.input:
            case MessageDeleted(event_id=deleted):
                inbox.forget_payload(connection=connection, channel=event.channel, event_id=deleted)
            case ReachabilityChanged(reachable=reachable):
                participants.set_reachable(
                    connection=connection, participant_id=participant_id, reachable=reachable
                )
        self._store_event(
            connection, event, participant_id=participant_id, payload=None, replies=[], now=now,
            release=arrival.has_held,
        )  # fmt: skip
        return Handled(replies=[], payloads=[])

    def _overheard(
        self, connection: Connection, event: Event, said: Overheard | TeamEcho, now: datetime
    ) -> Handled:
        """Words said while the platform's inbox had the thread: kept with the person's
        conversation with the team (only with consent, as everything said there), never
        answered; from someone the bot does not know, nothing is kept but the event's key."""
        participant = participants.find_participant(
            connection=connection, channel=event.channel, channel_user_id=event.user_id
        )
        conversation = None
        if participant is not None:
            participants.lock(connection=connection, participant_id=participant.id)
            conversation = humans.current(connection=connection, participant_id=participant.id)
        if participant is not None and conversation is not None and participant.has_consented:
            if isinstance(said, TeamEcho):
                team = self._translators[conversation.language].gettext(TEAM)
                humans.add_staff_message(
                    connection=connection, conversation_id=conversation.id, account_id=None,
                    sender_name=team, text=said.text, now=now,
                )  # fmt: skip
            else:
                humans.add_resident_message(
                    connection=connection, conversation_id=conversation.id, text=said.text,
                    photo_ref=said.image_ref, now=now,
                )  # fmt: skip
        self._store_event(
            connection, event, participant_id=participant.id if participant else None,
            payload=None, replies=[], now=now,
        )  # fmt: skip
        return Handled(replies=[], payloads=[])

    def _slow_down(
        self, connection: Connection, event: Event, arrival: Arrival, now: datetime
    ) -> Handled:
        """Say "slow down" and nothing else: the conversation stays where it was."""
        participant = arrival.participant
        translator = self._translators[participant.locale or self._default_language]
        replies = [Reply(text=translator.text(common.SLOW_DOWN.msgid))]
        payloads = self._store_event(
            connection, event, participant_id=participant.id, payload=None, replies=replies,
            now=now, release=arrival.has_held,
        )  # fmt: skip
        return Handled(replies=replies, payloads=payloads)

    def _guarded(self, goto: Goto, turn: Turn) -> Goto:
        """Let the target step's guard redirect (consent first, daily limits…)."""
        for _ in range(MAX_GUARD_HOPS):
            step = self._registry.step(goto.step)
            if not goto.enter or step.guard is None:
                return goto
            data = goto.data if goto.data is not None else turn.data
            redirected = step.guard(replace(turn, data=data), goto)
            if redirected is None:
                return goto
            goto = replace(redirected, say=goto.say + redirected.say)
        raise RuntimeError(f"guards keep redirecting at {goto.step}")

    def _forget(
        self, connection: Connection, event: Event, goto: Goto, turn: Turn, now: datetime
    ) -> Handled:
        """The participant was erased in this turn: answer, and keep only the inbox key."""
        replies = render(goto=goto, registry=self._registry, turn=replace(turn, data={}))
        payloads = self._store_event(
            connection, event, participant_id=None, payload=None, replies=replies, now=now
        )
        return Handled(replies=replies, payloads=payloads, forgotten=True)

    def _store_event(
        self,
        connection: Connection,
        event: Event,
        *,
        participant_id: int | None,
        payload: dict[str, object] | None,
        replies: list[Reply],
        now: datetime,
        release: bool = False,
        after: Sequence[dict[str, Any]] = (),
    ) -> list[dict[str, Any]]:
        """Record the inbox key (last: a repeat rolls everything back) and queue the replies;
        ``release`` sends what waited for this person's next message (Meta's window);
        ``after`` are platform calls that follow the replies (a thread handed over)."""
        payloads = [reply.to_json() for reply in replies]
        rules = self._channels[event.channel]
        synchronous = rules.synchronous
        inbox_id = inbox.record_inbound(
            connection=connection,
            channel=event.channel,
            event_id=event.event_id,
            participant_id=participant_id,
            payload=payload,
            replies=payloads if synchronous else None,
            now=now,
        )
        if inbox_id is None:
            raise _SeenBefore
        if release and rules.window is not None and participant_id is not None:
            outbox.release_held(connection=connection, participant_id=participant_id, now=now)
        if not synchronous:
            receipt = [event.receipt.to_json()] if event.receipt is not None else []
            outbox.enqueue(
                connection=connection,
                channel=event.channel,
                recipient=event.user_id,
                participant_id=participant_id,
                inbox_id=inbox_id,
                payloads=[*receipt, *payloads, *after],
                now=now,
            )
        return payloads

    def _repeat(self, connection: Connection, event: Event) -> Handled:
        """Return what was answered the first time (web chat), and change nothing."""
        stored = inbox.stored_replies(
            connection=connection, channel=event.channel, event_id=event.event_id
        )
        participant = participants.find_participant(
            connection=connection, channel=event.channel, channel_user_id=event.user_id
        )
        return Handled(
            replies=[Reply.from_json(p) for p in stored],
            payloads=stored,
            duplicate=True,
            language=participant.locale if participant is not None else None,
            forgotten=participant is None,  # erased since: the page forgets as the first time
        )
