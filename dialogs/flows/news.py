"""News ("Uutiset"): the resident chooses what to hear about — new youth polls, events in an
area, news from the project — sees and changes it, and stops it all with one word.

Telegram delivers in the chat. Messenger and Instagram may not (Meta allows no such sending
in the EU) and a web chat page cannot be reached once closed, so there the bot says so
plainly and offers what can: e-mail (``news_email``), and the bot on Telegram.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from dialogs.channels import Announcements
from dialogs.commands import MENU
from dialogs.common import BACK_TO_MENU, as_one, ticked
from dialogs.definitions import Flow, Goto, LinkTo, Option, Say, Step, Turn
from dialogs.flows.gate import needs_consent
from dialogs.flows.news_email import ASK_ADDRESS, address_of, take_address, where_it_comes
from dialogs.flows.news_texts import TOPIC_LABELS, area_name, subscription_lines
from locales import N_
from storage import event_signups, ideas, subscriptions
from storage.domain_tables import ANYWHERE
from storage.news_tables import BY_EMAIL, Topic
from storage.subscriptions import SubscriptionRow


class StepId(StrEnum):
    CHOOSE = "choose"
    AREA = "area"
    ELSEWHERE = "elsewhere"
    EMAIL = "email"
    STOP = "stop"


def ref(step: StepId) -> str:
    return f"news.{step}"


ALL_OF_MIKKELI = "all"  # the area choice of events anywhere in town

STARTED: dict[Topic, str] = {
    Topic.POLLS: N_("Done. You will hear when a new youth poll opens."),
    Topic.EVENTS: N_("Done. You will hear about events in {area}."),
    Topic.NEWS: N_("Done. You will hear news from the project."),
}
STOPPED = N_("Done. You will no longer hear about this: {topic}.")
STOPPED_ALL = N_("Done. You will get no more news. You can choose news again in the menu.")
STOPPED_EVENT_MESSAGES = N_(
    "You will get no reminders or questions about the events you signed up for. Your sign-ups stay."
)
NOTHING_TO_STOP = N_("You have not chosen any news, so there is nothing to stop.")
DEEP_LINK = "news"  # t.me/…?start=news: where the link to the bot on Telegram lands
TELEGRAM = LinkTo(
    N_("The bot on Telegram"), lambda config: f"{config.telegram_url}?start={DEEP_LINK}"
)


def _mine(turn: Turn) -> list[SubscriptionRow]:
    return subscriptions.subscriptions_of(
        connection=turn.connection, participant_id=turn.participant.id
    )


def _area_names(turn: Turn) -> dict[str, dict[str, str]]:
    return ideas.area_names(connection=turn.connection)


def _in_chat(turn: Turn) -> bool:
    return turn.rules.announcements is Announcements.IN_CHAT


def _guard(turn: Turn, goto: Goto) -> Goto | None:
    """Consent first (what was agreed is stored); then only where news can be delivered:
    in the chat, or by e-mail to an address the resident gave."""
    asked = needs_consent(turn, goto)
    if asked is not None:
        return asked
    if _in_chat(turn) or (turn.config.news_by_email and address_of(turn) is not None):
        return None
    return Goto(ref(StepId.ELSEWHERE))


def _now(turn: Turn) -> tuple[Say, ...]:
    mine = _mine(turn)
    t = turn.translator
    where = () if _in_chat(turn) else _by_email(turn)
    if not mine:
        return (*where, Say(N_("You have not chosen any news yet.")))
    lines = [t.gettext(N_("You get news about:")), subscription_lines(t, mine, _area_names(turn))]
    return (*where, as_one(lines))


def _by_email(turn: Turn) -> tuple[Say, ...]:
    row = address_of(turn)
    return (where_it_comes(turn, row),) if row is not None else ()


def _toggles(turn: Turn) -> tuple[Option, ...]:
    """A button per topic, ticked when chosen: tapping starts or stops it."""
    chosen = {row.topic for row in _mine(turn)}
    t = turn.translator
    options = tuple(
        Option(
            id=f"news.{topic}",
            label={
                turn.language: ticked(t.gettext(label)) if topic in chosen else t.gettext(label)
            },
            go=ref(StepId.CHOOSE),
            run=_toggle(topic, chosen=topic in chosen),
        )
        for topic, label in TOPIC_LABELS.items()
    )
    if not _in_chat(turn):
        options += (
            Option(
                id="news.address",
                label=N_("Change the e-mail address"),
                short=N_("Change address"),
                go=ref(StepId.EMAIL),
            ),
        )
    if chosen:
        options += (
            Option(
                id="news.stopall",
                label=N_("Stop all news"),
                short=N_("Stop all"),
                go=ref(StepId.STOP),
            ),
        )
    return options


def _toggle(topic: Topic, *, chosen: bool) -> Any:
    def run(turn: Turn) -> Goto:
        if chosen:
            subscriptions.unsubscribe(
                connection=turn.connection, participant_id=turn.participant.id, topic=topic
            )
            label = turn.translator.gettext(TOPIC_LABELS[topic])
            return Goto(ref(StepId.CHOOSE), say=(Say(STOPPED, {"topic": label}),))
        if topic is Topic.EVENTS:
            return Goto(ref(StepId.AREA))
        return _subscribe(turn, topic, area_code=None)

    return run


def _subscribe(turn: Turn, topic: Topic, *, area_code: str | None) -> Goto:
    subscriptions.subscribe(
        connection=turn.connection,
        participant_id=turn.participant.id,
        topic=topic,
        area_code=area_code,
        channel=turn.event.channel if _in_chat(turn) else BY_EMAIL,
        agreed_at=turn.now,
        policy_version=turn.config.policy_version,
    )
    area = area_name(turn.translator, area_code, _area_names(turn))
    return Goto(ref(StepId.CHOOSE), say=(Say(STARTED[topic], {"area": area}),))


def _areas(turn: Turn) -> tuple[Option, ...]:
    def chose(code: str | None) -> Any:
        return lambda turn: _subscribe(turn, Topic.EVENTS, area_code=code)

    areas = tuple(
        Option(id=f"news.area.{a.code}", label=a.names, go=ref(StepId.CHOOSE), run=chose(a.code))
        for a in ideas.areas(connection=turn.connection)
        if a.code != ANYWHERE
    )
    return (
        *areas,
        Option(
            id=f"news.area.{ALL_OF_MIKKELI}",
            label=N_("All of Mikkeli"),
            go=ref(StepId.CHOOSE),
            run=chose(None),
        ),
    )


def _elsewhere(turn: Turn) -> tuple[Say, ...]:
    """Why news cannot come here, and what can: e-mail and the bot on Telegram, where they
    are set up."""
    if turn.rules.announcements is Announcements.BY_EMAIL:
        why = Say(N_("The web chat cannot send you messages once you close the page."))
    else:
        why = Say(
            N_(
                "Messenger and Instagram do not let us send news to people in the EU: "
                "we can only answer when you write."
            )
        )
    says = [why]
    if turn.config.news_by_email:
        says.append(Say(N_("We can send news to you by e-mail.")))
    if turn.config.telegram_url is not None:
        says.append(Say(N_("On Telegram you can get news from this bot."), link=TELEGRAM))
    return tuple(says)


def _ways(turn: Turn) -> tuple[Option, ...]:
    if not turn.config.news_by_email:
        return ()
    return (Option(id="news.byemail", label=N_("By e-mail"), go=ref(StepId.EMAIL)),)


def _address(turn: Turn, text: str) -> Goto:
    return take_address(turn, text, ask_again=ref(StepId.EMAIL), then=ref(StepId.CHOOSE))


def _stop_everything(turn: Turn, goto: Goto) -> Goto:
    """One word stops it all ("lopeta", "sluta", "stop", /stop): no question asked."""
    stopped = subscriptions.stop_all(connection=turn.connection, participant_id=turn.participant.id)
    # Reminders and questions about one's sign-ups stop too: the sign-ups themselves stand.
    quiet = event_signups.stop_messages(
        connection=turn.connection, participant_id=turn.participant.id
    )
    says = [
        Say(text)
        for text, done in ((STOPPED_ALL, stopped), (STOPPED_EVENT_MESSAGES, quiet))
        if done
    ]
    return Goto(MENU, say=tuple(says) or (Say(NOTHING_TO_STOP),))


FLOW = Flow(
    name="news",
    entry=StepId.CHOOSE,
    steps=(
        Step(
            id=StepId.CHOOSE,
            says_from=_now,
            prompt=Say(N_("Choose what you want to hear about. Tap again to stop it.")),
            options_from=_toggles,
            options=(BACK_TO_MENU,),
            guard=_guard,
            leads_to=(
                ref(StepId.AREA),
                ref(StepId.ELSEWHERE),
                ref(StepId.EMAIL),
                ref(StepId.STOP),
            ),
        ),
        Step(
            id=StepId.AREA,
            prompt=Say(N_("Events in which area?")),
            options_from=_areas,
            options=(Option(id="news.back", label=N_("Back"), go=ref(StepId.CHOOSE)),),
        ),
        Step(
            id=StepId.ELSEWHERE,
            says_from=_elsewhere,
            prompt=Say(N_("What would you like to do?")),
            options_from=_ways,
            options=(BACK_TO_MENU,),
            leads_to=(ref(StepId.EMAIL),),
        ),
        Step(
            id=StepId.EMAIL,
            prompt=Say(ASK_ADDRESS),
            on_text=_address,
            options=(BACK_TO_MENU,),
            leads_to=(ref(StepId.CHOOSE),),
        ),
        # Entered by the stop word: it acts on entering and always leads back to the menu.
        Step(id=StepId.STOP, prompt=Say(STOPPED_ALL), guard=_stop_everything, leads_to=(MENU,)),
    ),
)
