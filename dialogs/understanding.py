"""What a typed message means, from the word table in ``locales.words``.

Whole messages: a global word, a start word, a yes or a no, a greeting. Inside a sentence:
topics and the day asked about, in any inflection — each word is stemmed with every
language's Snowball stemmer (before accents are folded: Finnish and Swedish stemmers need
their ä and ö), then folded, and compared with the table's words stemmed the same way. A
Swedish speaker typing "biblioteket" to a bot that speaks Finnish is understood as well.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache, lru_cache

import Stemmer
from babel.dates import get_day_names

from dialogs.matching import normalise
from locales.languages import WORDS

# A table word this long is recognised as the head of a typed compound.
COMPOUND_PART = 5
_WORD = re.compile(r"[^\W\d_]+(?:[:'’-][^\W\d_]+)*", re.UNICODE)
_DATE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})?(?!\d)")


class Answer(StrEnum):
    YES = "yes"
    NO = "no"


def fold(word: str) -> str:
    """Case and accents folded, as ``normalise`` does to a whole message."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> tuple[str, ...]:
    """The words of a message, case folded, accents kept (for the stemmers)."""
    return tuple(_WORD.findall(text.casefold()))


@dataclass(frozen=True)
class Stemmed:
    """A message's words: as typed (case folded), folded, and each language's stems of
    them (folded)."""

    typed: tuple[str, ...]
    folded: tuple[str, ...]
    stems: Mapping[str, tuple[str, ...]]


def names_word(typed: str, known: str) -> bool:
    """A typed stem names a table word: the same, or a compound whose head it is
    ("nuorisokysely" names "kysely", "ungdomsenkät" names "enkät")."""
    return typed == known or (len(known) >= COMPOUND_PART and typed.endswith(known))


@dataclass(frozen=True, eq=False)  # one per process, hashed by identity for the cache
class Vocabulary:
    """The word table made ready for matching: built once per process."""

    stemmers: Mapping[str, Stemmer.Stemmer]
    global_words: Mapping[str, str]  # normalised phrase → global choice id
    start_words: frozenset[str]
    answers: Mapping[str, Answer]
    greetings: frozenset[str]
    # language → (topic, stems of one entry) in table order; several stems: a phrase
    topics: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]
    weekdays: tuple[tuple[str, int], ...]  # folded beginning of a day's name → 0 = Monday
    # A day's abbreviation as written ("su", "lör", "sat") → 0 = Monday; accents kept, as
    # "mån" is Monday and "man" is not.
    day_abbreviations: Mapping[str, int]
    today: tuple[tuple[str, ...], ...]
    tomorrow: tuple[tuple[str, ...], ...]
    now: tuple[tuple[str, ...], ...]
    hours_stems: Mapping[str, frozenset[str]]
    fillers: frozenset[str]
    day_words: frozenset[str]  # the words of "today", "tomorrow" and "now", folded

    def stem(self, text: str) -> Stemmed:
        """The message's words stemmed in every language; the last few are remembered, as
        one message is looked at several times."""
        return _stemmed(self, text)

    def is_table_word(self, stemmed: Stemmed, position: int) -> bool:
        """A word of the table that names no place: an hours word, a day, a filler."""
        word = stemmed.folded[position]
        if word in self.fillers or word in self.day_words:
            return True
        if any(word.startswith(beginning) for beginning, _weekday in self.weekdays):
            return True
        if stemmed.typed[position] in self.day_abbreviations:
            return True
        return any(
            stems[position] in self.hours_stems[language]
            for language, stems in stemmed.stems.items()
        )

    def global_choice(self, text: str) -> str | None:
        return self.global_words.get(normalise(text))

    def is_start(self, text: str) -> bool:
        return normalise(text) in self.start_words

    def answer(self, text: str) -> Answer | None:
        """Yes or no, when the whole message says it ("joo", "nej tack", "yeah!")."""
        return self.answers.get(normalise(text))

    def is_greeting(self, text: str) -> bool:
        """The whole message greets ("Hei", "moi moi", "Hello!")."""
        typed = normalise(text)
        if typed in self.greetings:
            return True
        words = [fold(w) for w in words_of(text)]
        return bool(words) and all(word in self.greetings for word in words)

    def topics_in(self, text: str) -> tuple[str, ...]:
        """The topics a sentence names most often, in table order; () for none."""
        stemmed = self.stem(text)
        hits: dict[str, set[int]] = {}
        for language, entries in self.topics.items():
            stems = stemmed.stems[language]
            for topic, entry in entries:
                for at in _positions(stems, entry):
                    hits.setdefault(topic, set()).update(range(at, at + len(entry)))
        if not hits:
            return ()
        best = max(len(found) for found in hits.values())
        return tuple(topic for topic, found in hits.items() if len(found) == best)

    def asks_about_hours(self, text: str) -> bool:
        """The sentence asks when something is open: an hours word, a day or "now"."""
        stemmed = self.stem(text)
        if any(
            stem in self.hours_stems[language]
            for language, stems in stemmed.stems.items()
            for stem in stems
        ):
            return True
        # A day's abbreviation alone does not make a question about hours: "I sat there".
        named = self._named_day(stemmed, text, abbreviated=False)
        return self.asks_now(text) or named is not None

    def asks_now(self, text: str) -> bool:
        folded = self.stem(text).folded
        return any(_positions(folded, phrase) for phrase in self.now)

    def day_asked(self, text: str, today: date) -> date | None:
        """The day a question is about: a weekday's name (the next one, today included),
        today, tomorrow or a date such as 6.12.; None when it names none."""
        named = self._named_day(self.stem(text), text, abbreviated=True)
        match named:
            case None:
                return None
            case "today":
                return today
            case "tomorrow":
                return today + timedelta(days=1)
            case int(weekday):
                return today + timedelta(days=(weekday - today.weekday()) % 7)
            case (day, month, None):
                return _next_date(today, day, month)
            case (day, month, int(year)):
                return _valid_date(year, month, day)
        return None

    def _named_day(
        self, stemmed: Stemmed, text: str, *, abbreviated: bool
    ) -> str | int | tuple[int, int, int | None] | None:
        folded = stemmed.folded
        if any(_positions(folded, phrase) for phrase in self.tomorrow):
            return "tomorrow"
        if any(_positions(folded, phrase) for phrase in self.today):
            return "today"
        for word in folded:
            for beginning, weekday in self.weekdays:
                if word.startswith(beginning):
                    return weekday
        if abbreviated:
            for word in stemmed.typed:
                if word in self.day_abbreviations:
                    return self.day_abbreviations[word]
        written = _DATE.search(text)
        if written is None:
            return None
        return int(written[1]), int(written[2]), int(written[3]) if written[3] else None


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_date(today: date, day: int, month: int) -> date | None:
    """A date written without its year: this year's, or next year's once it has passed."""
    this_year = _valid_date(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _valid_date(today.year + 1, month, day)


def _positions(stems: tuple[str, ...], entry: tuple[str, ...]) -> list[int]:
    """Where ``entry`` (one word or a phrase) occurs in ``stems``."""
    if len(entry) == 1:
        return [at for at, stem in enumerate(stems) if names_word(stem, entry[0])]
    size = len(entry)
    return [at for at in range(len(stems) - size + 1) if stems[at : at + size] == entry]


@cache
def vocabulary() -> Vocabulary:
    stemmers = {language: Stemmer.Stemmer(row.stemmer) for language, row in WORDS.items()}

    def stems(language: str, phrase: str) -> tuple[str, ...]:
        return tuple(fold(s) for s in stemmers[language].stemWords(words_of(phrase)))

    def folded(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(fold(w) for w in words_of(p)) for p in phrases)

    fillers = frozenset(fold(w) for row in WORDS.values() for w in row.fillers)
    answers: dict[str, Answer] = {}
    for row in WORDS.values():
        answers.update(dict.fromkeys((normalise(w) for w in row.yes), Answer.YES))
        answers.update(dict.fromkeys((normalise(w) for w in row.no), Answer.NO))
    return Vocabulary(
        stemmers=stemmers,
        global_words={
            normalise(word): choice
            for row in WORDS.values()
            for choice, words in row.global_words.items()
            for word in words
        },
        start_words=frozenset(normalise(w) for row in WORDS.values() for w in row.start),
        answers=answers,
        greetings=frozenset(normalise(w) for row in WORDS.values() for w in row.greetings),
        topics={
            language: tuple(
                (topic, stems(language, word))
                for topic, words in row.topics.items()
                for word in words
            )
            for language, row in WORDS.items()
        },
        weekdays=tuple(
            (fold(beginning), weekday)
            for row in WORDS.values()
            for weekday, beginning in enumerate(row.weekdays)
        ),
        # Babel's abbreviations, as the bot writes a day ("su 6.12."); one that is a filler
        # word in some language ("to": Thursday in Finnish, a preposition in English) is none.
        day_abbreviations={
            name.casefold(): weekday
            for language in WORDS
            for weekday, name in get_day_names("abbreviated", locale=language).items()
            if fold(name) not in fillers
        },
        today=tuple(p for row in WORDS.values() for p in folded(row.today)),
        tomorrow=tuple(p for row in WORDS.values() for p in folded(row.tomorrow)),
        now=tuple(p for row in WORDS.values() for p in folded(row.now)),
        hours_stems={
            language: frozenset(s for word in row.hours_words for s in stems(language, word))
            for language, row in WORDS.items()
        },
        fillers=fillers,
        day_words=frozenset(
            fold(word)
            for row in WORDS.values()
            for phrase in (*row.today, *row.tomorrow, *row.now)
            for word in words_of(phrase)
        ),
    )


@lru_cache(maxsize=64)
def _stemmed(words: Vocabulary, text: str) -> Stemmed:
    typed = words_of(text)
    return Stemmed(
        typed=typed,
        folded=tuple(fold(w) for w in typed),
        stems={
            language: tuple(fold(s) for s in stemmer.stemWords(typed))
            for language, stemmer in words.stemmers.items()
        },
    )
