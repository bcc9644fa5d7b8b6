"""A person in the chat, on the web chat: a resident asks, the outreach worker sees it in the
inbox, answers under their own name, they talk, the worker closes it, and the bot is back.
Also: outside service hours, a contact request "here in this chat", two workers at once,
idle conversations, retention, and "delete my data"."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.retention import run_purge
from bot.services import Services
from storage.human_tables import human_conversation_t, human_message_t
from storage.staff_tables import Role, audit_t
from storage.tables import outbox_t
from tests.staff.conftest import csrf_of
from tests.support.team import ALWAYS, NEVER, set_service_hours

SESSION = "resident-session-0001"
NAME = "Terhi, Yhdessä osallistuen"


def say(client: TestClient, n: int, **body: object) -> list[dict]:  # type: ignore[type-arg]
    answer = client.post(
        "/webchat/messages", json={"session": SESSION, "id": f"r{n}", "locale": "fi", **body}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["replies"]  # type: ignore[no-any-return]


def updates(client: TestClient, ack: list[int] | None = None) -> list[dict]:  # type: ignore[type-arg]
    answer = client.post("/webchat/updates", json={"session": SESSION, "ack": ack or []})
    return answer.json()["updates"]  # type: ignore[no-any-return]


def ask_for_a_person(client: TestClient) -> list[str]:
    say(client, 1, text="/start")
    say(client, 2, choice="consent.yes")
    return [r["text"] for r in say(client, 3, text="ihminen")]


def outreach(signed_in: Callable[[Role], TestClient], name: str | None = NAME) -> TestClient:
    client = signed_in(Role.OUTREACH)
    if name:
        token = csrf_of(client, "/staff/conversations")
        client.post("/staff/conversations/name", data={"csrf": token, "display_name": name})
    return client


def write(client: TestClient, conversation_id: int, text: str) -> None:
    token = csrf_of(client, f"/staff/conversations/{conversation_id}")
    answer = client.post(
        f"/staff/conversations/{conversation_id}/messages", data={"csrf": token, "text": text}
    )
    assert answer.status_code == 303, answer.text


def test_a_resident_and_an_outreach_worker_talk_in_the_web_chat(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    set_service_hours(services, ALWAYS)
    worker = outreach(signed_in)
    said = ask_for_a_person(worker)
    assert "Joku tiimistä vastaa sinulle tässä." in said
    first = say(worker, 4, text="Hei, tarvitsisin apua Kelan lomakkeen kanssa.")
    assert [r["text"] for r in first] == ["Lähetetty tiimille. Ihminen vastaa sinulle tässä."]
    assert say(worker, 5, text="Se on asumistuesta.") == []  # passed on, not answered again

    inbox = worker.get("/staff/conversations").text
    assert 'href="/staff/conversations/1"' in inbox and "Odottaa (1)" in inbox
    assert 'class="badge">1<' in inbox  # one conversation waits: counted once, not per word
    page = worker.get("/staff/conversations/1").text
    assert "Kelan lomakkeen" in page and "asumistuesta" in page
    assert "Verkkochat: asukas näkee viestisi" in page  # what the channel allows, said first

    write(worker, 1, "Hei! Autan mielelläni. Mikä kohta lomakkeessa on vaikea?")
    (update,) = updates(worker)
    assert update["reply"]["from_person"] == NAME  # a person, by name, never "Bot"
    assert update["reply"]["text"].startswith("Hei! Autan")
    updates(worker, ack=[update["id"]])
    assert 'class="badge"' not in worker.get("/staff/conversations").text  # answered, all read
    assert say(worker, 6, text="Tulot-kohta.") == []  # a conversation between people
    assert 'class="badge">1<' in worker.get("/staff/conversations").text  # a new word, unseen
    assert "Tulot-kohta." in worker.get("/staff/conversations/1").text

    token = csrf_of(worker, "/staff/conversations/1")
    closed = worker.post("/staff/conversations/1/close", data={"csrf": token, "note": "Ohjattu."})
    assert closed.status_code == 303
    (notice,) = updates(worker)
    assert notice["reply"]["text"] == "Tiimi lopetti keskustelun. Puhut taas botin kanssa."
    assert [c["id"] for c in notice["reply"]["choices"]] == ["menu"]
    back = say(worker, 7, text="valikko")
    assert back[-1]["text"] == "Mitä haluat tehdä?"  # the bot is back
    with services.database.connect() as connection:
        stored = list(connection.execute(sa.select(human_message_t.c.author)).scalars())
        actions = set(connection.execute(sa.select(audit_t.c.action)).scalars())
        targets = set(connection.execute(sa.select(audit_t.c.target)).scalars())
    assert stored == ["resident", "resident", "staff", "resident"]
    assert {"view_conversation", "human_message", "human_close"} <= actions
    assert all("lomake" not in (t or "") for t in targets)  # audit rows hold no content


def test_the_resident_ends_it_with_menu_and_a_confirmation(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    set_service_hours(services, ALWAYS)
    client = outreach(signed_in)
    ask_for_a_person(client)
    asked = say(client, 4, text="valikko")
    assert asked[-1]["text"].startswith("Haluatko lopettaa keskustelun tiimin kanssa")
    say(client, 5, choice="human.end")
    with services.database.connect() as connection:
        status, by = connection.execute(
            sa.select(human_conversation_t.c.status, human_conversation_t.c.closed_by)
        ).one()
    assert (status, by) == ("closed", "resident")


def test_outside_service_hours_the_resident_hears_when_and_can_leave_a_message(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    set_service_hours(
        services,
        {"weekly": [{"days": ["mo"], "opens": "09:00", "closes": "10:00"}], "exceptions": []},
    )
    client = outreach(signed_in)
    said = " ".join(ask_for_a_person(client))
    assert "Tiimi ei ole nyt paikalla. Joku on taas paikalla" in said
    say(client, 4, choice="human.message")
    sent = say(client, 5, text="Voisiko joku soittaa huomenna?")
    assert sent[0]["text"] == "Lähetetty. Tiimi vastaa sinulle tässä, kun se on taas paikalla."
    assert "Voisiko joku soittaa" in client.get("/staff/conversations/1").text


def test_without_hours_at_all_the_contact_request_is_one_choice_away(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    set_service_hours(services, NEVER)
    client = outreach(signed_in)
    assert "Tiimi ei ole nyt paikalla." in ask_for_a_person(client)
    contact = say(client, 4, choice="human.contact")
    # "Ask to be contacted" said yes already: the request begins with its first question.
    assert contact[-1]["text"] == "Millä nimellä saamme kutsua sinua? Lempinimikin käy."


def test_a_contact_request_here_in_this_chat_opens_a_conversation_for_outreach(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    client = outreach(signed_in)
    say(client, 1, text="/start")
    say(client, 2, choice="consent.yes")
    for n, body in enumerate(
        [
            {"choice": "contact"},
            {"choice": "contact.start"},
            {"text": "Sami"},
            {"choice": "how.chat"},
            {"choice": "time.any"},
            {"choice": "matter.skip"},
            {"choice": "contact.send"},
        ],
        start=3,
    ):
        say(client, n, **body)
    page = client.get("/staff/conversations").text
    assert 'href="/staff/conversations/1"' in page
    assert "Yhteydenottopyyntö: tässä chatissa" in client.get("/staff/conversations/1").text
    write(client, 1, "Hei Sami, tässä Terhi. Miten voin auttaa?")
    assert say(client, 20, text="Kiitos, haluaisin jutella työnhausta.") == []  # to the worker
    assert "työnhausta" in client.get("/staff/conversations/1").text


def test_two_workers_writing_at_once_are_each_delivered_once_in_order(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    set_service_hours(services, ALWAYS)
    client = outreach(signed_in)
    ask_for_a_person(client)
    team = services.team
    member = team.member(account_id=3)  # the outreach account of the fixtures
    texts = [f"viesti {n}" for n in range(20)]
    barrier = threading.Barrier(2)

    def burst(mine: list[str]) -> None:
        barrier.wait()
        for text in mine:
            team.send(conversation_id=1, member=member, text=text, now=datetime.now(UTC))

    threads = [threading.Thread(target=burst, args=(texts[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    delivered = [u["reply"]["text"] for u in updates(client)]
    with services.database.connect() as connection:
        stored = list(
            connection.execute(
                sa.select(human_message_t.c.text)
                .where(human_message_t.c.author == "staff")
                .order_by(human_message_t.c.id)
            ).scalars()
        )
    assert sorted(delivered) == sorted(texts) and len(delivered) == len(set(delivered))
    assert delivered == stored  # the order they were written in is the order they arrive


def test_a_conversation_nobody_writes_in_is_closed_and_the_resident_told(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    set_service_hours(services, ALWAYS)
    client = outreach(signed_in)
    ask_for_a_person(client)
    later = datetime.now(UTC) + timedelta(days=15)
    assert services.team.close_idle(idle_days=14, now=later) == 1
    (notice,) = updates(client)
    assert "koska kukaan ei kirjoittanut 14 päivään" in notice["reply"]["text"]
    assert services.team.close_idle(idle_days=14, now=later) == 0


def test_closed_conversations_are_kept_90_days_then_deleted(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    set_service_hours(services, ALWAYS)
    client = outreach(signed_in)
    ask_for_a_person(client)
    say(client, 4, text="Hei")
    services.team.close(conversation_id=1, by="staff", now=datetime.now(UTC))  # type: ignore[arg-type]
    run_purge(services.database, services.settings, now=datetime.now(UTC) + timedelta(days=89))
    with services.database.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(human_message_t)).scalar()
    run_purge(services.database, services.settings, now=datetime.now(UTC) + timedelta(days=91))
    with services.database.connect() as connection:
        left = connection.execute(
            sa.select(sa.func.count()).select_from(human_conversation_t)
        ).scalar_one()
        messages = connection.execute(
            sa.select(sa.func.count()).select_from(human_message_t)
        ).scalar_one()
    assert (left, messages) == (0, 0)


def test_delete_my_data_removes_the_conversation_and_what_was_said(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    set_service_hours(services, ALWAYS)
    client = outreach(signed_in)
    ask_for_a_person(client)
    say(client, 4, text="Hei, tässä salaisuus.")
    asked = say(client, 5, text="poista tietoni")  # one of the two words that still act
    assert asked[-1]["text"] == "Poistetaanko kaikki? Tätä ei voi perua."
    say(client, 6, choice="mydata.keep")
    shown = " ".join(r["text"] for r in say(client, 7, text="omat tiedot"))  # with the bot now
    assert "Keskustelut tiimin kanssa: 1. Viestejä niissä: 1." in shown
    say(client, 8, choice="mydata.delete")
    say(client, 9, choice="mydata.erase")
    with services.database.connect() as connection:
        for table in (human_conversation_t, human_message_t):
            assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
    assert client.get("/staff/conversations/1").status_code == 404


def test_without_consent_the_resident_is_asked_first_in_one_short_message(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    set_service_hours(services, ALWAYS)
    client = outreach(signed_in)
    say(client, 1, text="/start")
    say(client, 2, choice="consent.no")
    asked = say(client, 3, text="ihminen")
    assert [c["id"] for c in asked[-1]["choices"]] == ["gate.yes", "gate.no"]
    with services.database.connect() as connection:
        assert connection.execute(sa.select(human_conversation_t)).first() is None


def test_a_staff_message_goes_first_and_names_its_writer_in_the_outbox(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    set_service_hours(services, ALWAYS)
    client = outreach(signed_in, name=None)
    ask_for_a_person(client)
    write(client, 1, "Hei!")
    with services.database.connect() as connection:
        lane, payload = connection.execute(
            sa.select(outbox_t.c.lane, outbox_t.c.payload).order_by(outbox_t.c.id.desc())
        ).first()
    assert lane == 0
    assert payload["from_person"] == "Yhdessä osallistuen -tiimi"  # no name set: the team's


@pytest.mark.parametrize("bad", ["", "x" * 2001])
def test_an_empty_or_too_long_message_is_refused_kindly(
    signed_in: Callable[[Role], TestClient], services: Services, bad: str
) -> None:
    set_service_hours(services, ALWAYS)
    client = outreach(signed_in)
    ask_for_a_person(client)
    token = csrf_of(client, "/staff/conversations/1")
    answer = client.post("/staff/conversations/1/messages", data={"csrf": token, "text": bad})
    assert answer.status_code == 422
    assert re.search(r'role="alert"', answer.text)
    assert updates(client) == []


def test_a_photo_sent_to_the_team_is_kept_with_the_conversation_and_erased_with_it(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    from bot.media_sweep import sweep_unattached
    from tests.support import images

    set_service_hours(services, ALWAYS)
    client = outreach(signed_in)
    ask_for_a_person(client)
    ref = client.post(
        "/webchat/images", params={"session": SESSION}, content=images.phone_photo(300, 200)
    ).json()["image"]
    assert say(client, 4, image=ref)[0]["text"].startswith("Lähetetty tiimille")
    page = client.get("/staff/conversations/1").text
    assert 'src="/staff/conversations/1/photos/' in page
    photo = client.get(re.search(r'src="(/staff/conversations/1/photos/\d+)"', page).group(1))  # type: ignore[union-attr]
    assert photo.status_code == 200 and photo.headers["x-content-type-options"] == "nosniff"
    media = services.settings.media_dir
    later = datetime.now(UTC) + timedelta(days=3)
    assert (
        sweep_unattached(database=services.database, media_dir=media, now=later, everything=True)
        == 0
    )
    say(client, 5, text="poista tietoni")
    say(client, 6, choice="mydata.erase")
    assert not (media / ref).exists()


def test_the_staff_telegram_chat_hears_that_someone_waits_but_not_what_they_said(
    sqlite_database_url: str, tmp_path: object
) -> None:
    from bot.services import build_services
    from tests.conftest import make_settings
    from tests.support.team import open_team_conversation

    services = build_services(
        make_settings(sqlite_database_url, staff_telegram_chat_id="-100123", media_dir=tmp_path)
    )
    open_team_conversation(services, first="Salainen asia.")
    with services.database.connect() as connection:
        notices = list(
            connection.execute(
                sa.select(outbox_t.c.payload).where(outbox_t.c.recipient == "-100123")
            ).scalars()
        )
    assert [n["text"] for n in notices] == ["Asukas odottaa vastausta henkilökunnan sivuilla."]
    services.database.dispose()
