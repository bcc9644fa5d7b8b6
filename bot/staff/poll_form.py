"""Read the poll form into a ``PollDraft``, or say kindly what to fix.

Texts are asked per language; Finnish is required, Swedish and English are optional (the
bot shows Finnish where a translation is missing). Options are one per line, the same
number in every language given. Times are the city's wall-clock time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from locales import CONTENT_LANGUAGES, DEFAULT_LANGUAGE, N_
from storage.poll_admin import PollDraft, QuestionDraft
from storage.polls import PollRow

MAX_QUESTIONS = 3
MAX_OPTIONS = 12
MAX_TEXT = 300
VISIBILITIES = ("after_voting", "after_closing", "staff_only")


@dataclass(frozen=True)
class FormProblems:
    messages: tuple[str, ...]  # msgids


def local_time(value: str, zone: ZoneInfo) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).astimezone(UTC)


def _texts(form: Mapping[str, str], prefix: str) -> dict[str, str]:
    texts = {
        lang: form.get(f"{prefix}_{lang}", "").strip()[:MAX_TEXT] for lang in CONTENT_LANGUAGES
    }
    return {lang: text for lang, text in texts.items() if text}


def _options(form: Mapping[str, str], prefix: str) -> tuple[dict[str, str], ...] | None:
    lines = {
        lang: [
            line.strip()
            for line in form.get(f"{prefix}_options_{lang}", "").splitlines()
            if line.strip()
        ]
        for lang in CONTENT_LANGUAGES
    }
    count = len(lines[DEFAULT_LANGUAGE])
    if any(lines[lang] and len(lines[lang]) != count for lang in CONTENT_LANGUAGES):
        return None
    return tuple(
        {lang: lines[lang][i][:MAX_TEXT] for lang in CONTENT_LANGUAGES if lines[lang]}
        for i in range(count)
    )


def read_poll_form(form: Mapping[str, str], zone: ZoneInfo) -> PollDraft | FormProblems:
    problems: list[str] = []
    title = _texts(form, "title")
    if DEFAULT_LANGUAGE not in title:
        problems.append(N_("Write the poll's title in Finnish."))
    opens = local_time(form.get("opens", ""), zone)
    closes = local_time(form.get("closes", ""), zone)
    if opens is None or closes is None:
        problems.append(N_("Give the opening and closing times."))
    elif closes <= opens:
        problems.append(N_("The poll must close after it opens."))
    questions: list[QuestionDraft] = []
    for number in range(1, MAX_QUESTIONS + 1):
        prefix = f"q{number}"
        text = _texts(form, prefix)
        options = _options(form, prefix)
        if not text and not form.get(f"{prefix}_options_{DEFAULT_LANGUAGE}", "").strip():
            continue
        if DEFAULT_LANGUAGE not in text:
            problems.append(N_("Write each question in Finnish."))
        elif options is None:
            problems.append(N_("Give the same number of options in every language."))
        elif not 2 <= len(options) <= MAX_OPTIONS:
            problems.append(N_("A question needs 2 to 12 options, one per line."))
        else:
            many = form.get(f"{prefix}_multiple") == "on"
            questions.append(QuestionDraft(text, options, len(options) if many else 1))
    if not questions and not problems:
        problems.append(N_("Add at least one question."))
    visibility = form.get("results_visibility", "after_voting")
    if visibility not in VISIBILITIES:
        visibility = "after_voting"
    if problems or opens is None or closes is None:
        return FormProblems(tuple(dict.fromkeys(problems)))
    return PollDraft(
        title=title,
        opens_at=opens,
        closes_at=closes,
        questions=tuple(questions),
        results_visibility=visibility,
    )


def form_values(poll: PollRow, zone: ZoneInfo) -> dict[str, str]:
    """A stored poll as the form shows it, for editing."""
    values = {f"title_{lang}": text for lang, text in poll.title.items()}
    values["opens"] = poll.opens_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    values["closes"] = poll.closes_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    values["results_visibility"] = poll.results_visibility
    for number, question in enumerate(poll.questions, start=1):
        for lang in CONTENT_LANGUAGES:
            values[f"q{number}_{lang}"] = question.text.get(lang, "")
            values[f"q{number}_options_{lang}"] = "\n".join(
                option.text.get(lang, "") for option in question.options
            ).strip("\n")
        if question.max_choices > 1:
            values[f"q{number}_multiple"] = "on"
    return values
