"""Adapter for the national service catalogue (Suomi.fi PTV, API v11, CC0 open data).

Only ``ServiceLocation`` channels become places. PTV gives coordinates in EPSG:3067
(ETRS-TM35FIN) metres, with the northing in the field named ``latitude`` and the easting
in ``longitude``; they are converted to WGS84. v12 changes the shapes: keep it behind this file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from typing import Any

from pyproj import Transformer

from dialogs.domain.geo import MIKKELI_CENTRE, distance_m
from locales import DEFAULT_LANGUAGE
from storage.domain_tables import ANYWHERE
from storage.places import PlaceRecord

SOURCE = "ptv"
DAY_NAMES = {
    "Monday": "mo", "Tuesday": "tu", "Wednesday": "we", "Thursday": "th",
    "Friday": "fr", "Saturday": "sa", "Sunday": "su",
}  # fmt: skip
DAY_ORDER = list(DAY_NAMES.values())
# Villages with a post office of their own; elsewhere the place's distance to the centre decides.
AREAS_BY_POSTAL_CODE = {
    "52100": "anttola",
    "51600": "haukivuori",
    "52300": "ristiina",
    "52200": "suomenniemi",
}
CENTRE_RADIUS_KM = 2.5


@cache
def _to_wgs84() -> Transformer:
    return Transformer.from_crs(3067, 4326, always_xy=True)


def etrs_tm35fin_to_wgs84(northing: float, easting: float) -> tuple[float, float]:
    """Return (lat, lon) for EPSG:3067 metres."""
    lon, lat = _to_wgs84().transform(easting, northing)
    return round(lat, 6), round(lon, 6)


def looks_like_ptv(data: Any) -> bool:
    return isinstance(data, Mapping) and ("serviceChannelType" in data or "itemList" in data)


def _texts(items: Sequence[Mapping[str, Any]] | None, *, kind: str | None = None) -> dict[str, str]:
    """Pick ``value`` per ``language``; keep every language (fallbacks choose at render)."""
    texts: dict[str, str] = {}
    for item in items or ():
        if kind is not None and item.get("type") not in (kind, None):
            continue
        language, value = item.get("language"), (item.get("value") or "").strip()
        if language and value and language not in texts:
            texts[language] = value
    return texts


def _hour(value: str | None) -> str | None:
    return value[:5] if value else None


def _hours(service_hours: Sequence[Mapping[str, Any]] | None) -> dict[str, Any]:
    weekly: list[dict[str, Any]] = []
    exceptions: list[dict[str, Any]] = []
    for entry in service_hours or ():
        kind = entry.get("serviceHourType")
        if kind in ("DaysOfTheWeek", "OverMidnight") and entry.get("validForNow", True):
            for opening in entry.get("openingHour") or ():
                first = DAY_NAMES.get(opening.get("dayFrom", ""))
                last = DAY_NAMES.get(opening.get("dayTo") or opening.get("dayFrom", ""))
                opens, closes = _hour(opening.get("from")), _hour(opening.get("to"))
                if first is None or last is None or opens is None or closes is None:
                    continue
                span = DAY_ORDER[DAY_ORDER.index(first) : DAY_ORDER.index(last) + 1] or [first]
                weekly.append({"days": span, "opens": opens, "closes": closes})
        elif kind == "Exceptional" and entry.get("validFrom"):
            first_day = str(entry["validFrom"])[:10]
            last_day = str(entry.get("validTo") or entry["validFrom"])[:10]
            openings = entry.get("openingHour") or ()
            if entry.get("isClosed") or not openings:
                exceptions.append({"from": first_day, "to": last_day, "closed": True})
            else:
                opening = openings[0]
                exceptions.append(
                    {
                        "from": first_day,
                        "to": last_day,
                        "opens": _hour(opening.get("from")),
                        "closes": _hour(opening.get("to")),
                    }
                )
    return {"weekly": weekly, "exceptions": exceptions, "open_on_public_holidays": False}


def _area(postal_code: str | None, lat: float | None, lon: float | None) -> str:
    if postal_code in AREAS_BY_POSTAL_CODE:
        return AREAS_BY_POSTAL_CODE[postal_code]
    if lat is None or lon is None:
        return ANYWHERE
    return (
        "centre" if distance_m(lat, lon, *MIKKELI_CENTRE) <= CENTRE_RADIUS_KM * 1000 else ANYWHERE
    )


def _record(channel: Mapping[str, Any], needs: tuple[str, ...]) -> PlaceRecord | None:
    if channel.get("serviceChannelType") != "ServiceLocation":
        return None
    if channel.get("publishingStatus", "Published") != "Published":
        return None
    names = _texts(channel.get("serviceChannelNames"), kind="Name")
    if not names:
        return None
    summary = _texts(channel.get("serviceChannelDescriptions"), kind="Summary")
    description = summary or _texts(channel.get("serviceChannelDescriptions"), kind="Description")
    address = next(
        (
            a
            for a in channel.get("addresses") or ()
            if a.get("type") == "Location" and a.get("streetAddress")
        ),
        None,
    )
    street = postal = city = None
    lat = lon = None
    if address is not None:
        street_address = address["streetAddress"]
        street_names = _texts(street_address.get("street"))
        street = (
            " ".join(
                part
                for part in (
                    street_names.get(DEFAULT_LANGUAGE) or next(iter(street_names.values()), None),
                    street_address.get("streetNumber"),
                )
                if part
            )
            or None
        )
        postal = street_address.get("postalCode")
        offices = _texts(street_address.get("postOffice"))
        city = (offices.get(DEFAULT_LANGUAGE) or next(iter(offices.values()), "")).title() or None
        try:
            northing, easting = (
                float(street_address["latitude"]),
                float(street_address["longitude"]),
            )
            lat, lon = etrs_tm35fin_to_wgs84(northing, easting)
        except (KeyError, TypeError, ValueError):
            lat = lon = None
    phones = [
        f"{p.get('prefixNumber') or ''} {p.get('number') or ''}".strip()
        for p in channel.get("phoneNumbers") or ()
        if p.get("number")
    ]
    emails = [e.get("value") for e in channel.get("emails") or () if e.get("value")]
    # Web addresses only (a link residents are shown must not run script), Finnish first.
    pages = [
        p
        for p in channel.get("webPages") or ()
        if str(p.get("url") or "").lower().startswith(("https://", "http://"))
    ]
    web = next((p["url"] for p in pages if p.get("language") == DEFAULT_LANGUAGE), None) or next(
        (p["url"] for p in pages), None
    )
    modified = str(channel.get("modified") or "")[:10]
    return PlaceRecord(
        source=SOURCE,
        source_id=str(channel["id"]),
        kind="meeting_place",
        name=names,
        area_code=_area(postal, lat, lon),
        description=description,
        needs=needs,
        street=street,
        postal_code=postal,
        city=city,
        lat=lat,
        lon=lon,
        hours=_hours(channel.get("serviceHours")),
        phone=phones[0] if phones else None,
        email=emails[0] if emails else None,
        web=web,
        languages=tuple(channel.get("languages") or ()),
        last_verified=date.fromisoformat(modified) if len(modified) == 10 else None,
    )


def records(
    data: Mapping[str, Any], *, needs: tuple[str, ...]
) -> tuple[list[PlaceRecord], list[str]]:
    channels = data.get("itemList") if "itemList" in data else [data]
    found, skipped = [], []
    for channel in channels or ():
        record = _record(channel, needs) if isinstance(channel, Mapping) else None
        if record is None:
            skipped.append(
                f"{channel.get('id', '?') if isinstance(channel, Mapping) else '?'}: not a published ServiceLocation"
            )
        else:
            found.append(record)
    return found, skipped
