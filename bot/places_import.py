"""``osallistu places import FILE``: upsert places from our YAML/JSON format or from the
national service catalogue's (Suomi.fi PTV, API v11) ServiceChannel JSON.

Our format (see README, "Places file"): ``{"places": [{source_id, kind, name{fi,sv,en}, …}]}``.
Re-importing updates by source id and never duplicates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import Engine

from bot import ptv
from dialogs.domain.hours import InvalidHours, parse_hours
from locales import DEFAULT_LANGUAGE
from storage.domain_tables import ANYWHERE
from storage.engine import transaction
from storage.places import KINDS, NEEDS, PlaceRecord, upsert_place

OWN_SOURCE = "own"


class PlacesFileError(ValueError):
    """The file cannot be read as places at all."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{self.created} places added, {self.updated} updated"]
        lines += [f"skipped: {problem}" for problem in self.problems]
        return "\n".join(lines)


def read_file(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise PlacesFileError(
            f"{path.name} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {error}"
        ) from error


def records_from(
    data: Any, *, ptv_needs: tuple[str, ...] = ("hangout",)
) -> tuple[list[PlaceRecord], list[str]]:
    """Turn a parsed file into records; return them and the entries skipped with reasons."""
    if isinstance(data, Mapping) and "places" in data:
        return _own_records(data["places"])
    if ptv.looks_like_ptv(data):
        return ptv.records(data, needs=ptv_needs)
    raise PlacesFileError("the file holds neither a 'places' list nor PTV ServiceChannel data")


def _localised(value: Any, what: str) -> dict[str, str]:
    if isinstance(value, str):
        return {DEFAULT_LANGUAGE: value}
    if isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values()):
        return {str(k): v.strip() for k, v in value.items() if v and v.strip()}
    if value is None:
        return {}
    raise ValueError(f"{what} must be a text or a text per language")


def _web_address(value: Any) -> str | None:
    """Keep http(s) addresses only: a link residents are shown must not run script."""
    if not value:
        return None
    text = str(value).strip()
    if not text.lower().startswith(("https://", "http://")):
        raise ValueError(f"web must be an http(s) address, not {text[:40]!r}")
    return text


def _coordinates(location: Mapping[str, Any]) -> tuple[float | None, float | None]:
    lat, lon = location.get("lat"), location.get("lon")
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None or not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):
        raise ValueError("location needs both lat and lon in degrees (WGS84)")
    return float(lat), float(lon)


def _own_record(entry: Mapping[str, Any]) -> PlaceRecord:
    source_id = str(entry.get("source_id") or "").strip()
    if not source_id:
        raise ValueError("source_id is missing")
    kind = entry.get("kind", "meeting_place")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    name = _localised(entry.get("name"), "name")
    if not name:
        raise ValueError("name is missing")
    needs = tuple(entry.get("needs") or ())
    unknown = [n for n in needs if n not in NEEDS]
    if unknown:
        raise ValueError(f"unknown needs: {', '.join(map(str, unknown))}")
    hours = entry.get("hours") or {}
    parse_hours(hours)  # refuse broken hours now rather than at a resident's search
    lat, lon = _coordinates(entry.get("location") or {})
    address = entry.get("address") or {}
    verified = entry.get("last_verified")
    return PlaceRecord(
        source=OWN_SOURCE,
        source_id=source_id,
        kind=kind,
        name=name,
        area_code=str(entry.get("area") or ANYWHERE),
        description=_localised(entry.get("description"), "description"),
        needs=needs,
        target_groups=tuple(entry.get("target_groups") or ()),
        street=address.get("street"),
        postal_code=str(address["postal_code"]) if address.get("postal_code") else None,
        city=address.get("city"),
        lat=lat,
        lon=lon,
        hours=json.loads(json.dumps(hours, default=str)),
        phone=entry.get("phone"),
        email=entry.get("email"),
        web=_web_address(entry.get("web")),
        accessibility=_localised(entry.get("accessibility"), "accessibility"),
        languages=tuple(entry.get("languages") or ()),
        free_of_charge=entry.get("free_of_charge"),
        last_verified=verified
        if isinstance(verified, date)
        else date.fromisoformat(verified)
        if verified
        else None,
        demo=bool(entry.get("demo", False)),
    )


def _own_records(entries: Iterable[Any]) -> tuple[list[PlaceRecord], list[str]]:
    records, problems = [], []
    for index, entry in enumerate(entries, start=1):
        label = (
            entry.get("source_id", f"entry {index}")
            if isinstance(entry, Mapping)
            else f"entry {index}"
        )
        try:
            if not isinstance(entry, Mapping):
                raise ValueError("is not a mapping")
            records.append(_own_record(entry))
        except (ValueError, TypeError, InvalidHours) as error:
            problems.append(f"{label}: {error}")
    return records, problems


def import_places(
    engine: Engine,
    path: Path,
    *,
    ptv_needs: tuple[str, ...] = ("hangout",),
    now: datetime | None = None,
) -> ImportReport:
    """Import every valid entry of ``path`` in one transaction; report what was skipped."""
    records, problems = records_from(read_file(path), ptv_needs=ptv_needs)
    report = ImportReport(problems=problems)
    moment = now or datetime.now(UTC)
    with transaction(engine) as connection:
        for record in records:
            if upsert_place(connection=connection, record=record, now=moment):
                report.created += 1
            else:
                report.updated += 1
    return report
