"""Checks for what people type: names, phone numbers, e-mail addresses, free text."""

from __future__ import annotations

import re

_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,20}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def clean_line(text: str, *, limit: int) -> str | None:
    """One line of text, trimmed; None if empty or longer than ``limit``."""
    line = " ".join(text.split())
    return line if 0 < len(line) <= limit else None


def phone(text: str) -> str | None:
    candidate = text.strip()
    digits = re.sub(r"\D", "", candidate)
    return candidate if _PHONE.match(candidate) and 6 <= len(digits) <= 15 else None


def email(text: str) -> str | None:
    candidate = text.strip()
    return candidate if len(candidate) <= 254 and _EMAIL.match(candidate) else None
