"""Understanding typed words: what a message costs beside exact label matching.

Typed messages in Finnish, Swedish and English (yes and no, greetings, topics in inflected
forms, questions about places, and words that match nothing) go through what the engine
does with a typed message at the menu: labels, then the word table, then the place names.
The baseline is the exact label match the bot did before. Place names are matched against
the demo places and against 500 made-up ones, the size of a city's whole directory.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from bench.figures import Figure
from dialogs.flows import menu
from dialogs.matching import match_choice
from dialogs.place_names import PlaceIndex
from dialogs.understanding import vocabulary
from locales import Translators

DEMO_PLACES = Path(__file__).resolve().parent.parent / "data" / "demo" / "places.yaml"
MESSAGES = (
    "kyllä", "Joo!", "nej tack", "yeah", "hei", "Moi moi", "Hallå", "hello",
    "Minulla on idea puistoon", "ideoita", "kirjastoon", "kysely", "äänestää", "bibliotek",
    "jobbet", "etsin töitä", "haluan puhua ihmisen kanssa", "I have an idea",
    "Onko kirjasto auki sunnuntaina?", "när öppnar biblioteket", "is the youth house open now",
    "onko otavan nuorisotila auki huomenna", "mikä tämä on?", "what is the meaning of life",
    "Voisiko Rantakylään saada lisää penkkejä ja roskiksia lähelle uimarantaa",
)  # fmt: skip
ROUNDS = 200
MADE_UP_PLACES = 500


def _per_message_ms(handle: Callable[[str], object], messages: Sequence[str]) -> list[float]:
    timings = []
    for round_number in range(ROUNDS):
        for message in messages:
            # A text of its own each round: no message is found already stemmed.
            typed = f"{message} {round_number}"
            started = time.perf_counter()
            handle(typed)
            timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


def _percentile(timings: list[float], share: float) -> float:
    return timings[min(len(timings) - 1, int(len(timings) * share))]


def _demo_places() -> list[tuple[int, dict[str, str]]]:
    loaded = yaml.safe_load(DEMO_PLACES.read_text(encoding="utf-8"))
    entries = loaded["places"] if isinstance(loaded, dict) else loaded
    return [(number, dict(entry["name"])) for number, entry in enumerate(entries)]


def _made_up_places(count: int) -> list[tuple[int, dict[str, str]]]:
    rng = random.Random(5)
    villages = ("Anttola", "Haukivuori", "Ristiina", "Suomenniemi", "Otava", "Rantakylä")
    kinds = (
        ("kirjasto", "bibliotek", "library"),
        ("nuorisotalo", "ungdomsgård", "youth house"),
        ("kohtaamispaikka", "mötesplats", "meeting place"),
        ("asukastupa", "invånarstuga", "residents' room"),
    )
    places = []
    for number in range(count):
        village = rng.choice(villages)
        fi, sv, en = rng.choice(kinds)
        places.append(
            (number, {"fi": f"{village}n {fi} {number}", "sv": f"{sv} {number} i {village}",
                      "en": f"{village} {en} {number}"})
        )  # fmt: skip
    return places


def run() -> list[Figure]:
    words = vocabulary()
    translators = Translators()
    options = menu.FLOW.steps[0].options
    labels = [
        [t.gettext(name) for t in translators for name in (o.label, o.short) if name]
        for o in options
        if isinstance(o.label, str)
    ]
    demo = PlaceIndex(words, _demo_places())
    city = PlaceIndex(words, _made_up_places(MADE_UP_PLACES))

    def labels_only(message: str) -> object:
        return match_choice(message, labels)

    def understood(index: PlaceIndex) -> Callable[[str], object]:
        def handle(message: str) -> object:
            match_choice(message, labels)
            return (
                words.global_choice(message)
                or words.answer(message)
                or words.is_greeting(message)
                or (index.named_in(message) and words.asks_about_hours(message))
                or words.topics_in(message)
            )

        return handle

    baseline = _per_message_ms(labels_only, MESSAGES)
    figures = []
    for what, index in (("demo places (15)", demo), (f"{MADE_UP_PLACES} places", city)):
        timings = _per_message_ms(understood(index), MESSAGES)
        mean = statistics.fmean(timings)
        figures.append(
            Figure(
                area="understand",
                what=f"typed words, {what}",
                result=f"{mean:.3f} ms/msg",
                against=f"labels only {statistics.fmean(baseline):.3f}",
                target="≪ 1 ms",
                p50_ms=f"{_percentile(timings, 0.5):.3f}",
                p99_ms=f"{_percentile(timings, 0.99):.3f}",
                notes=f"{len(MESSAGES)} messages × {ROUNDS}, fi sv en",
            )
        )
    return figures
