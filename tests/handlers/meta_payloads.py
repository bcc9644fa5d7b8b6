"""Meta webhook deliveries in the shapes Meta sends (field names from Meta's documentation),
as raw bytes: signatures are computed over exactly these bytes."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

PAGE_ID = "106000000000001"
PSID = "2400000000000001"
TIME = 1764316800000


def signed(body: bytes, secret: bytes) -> dict[str, str]:
    return {
        "X-Hub-Signature-256": "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest(),
        "Content-Type": "application/json",
    }


def delivery(items: list[dict[str, Any]], *, obj: str = "page", recipient: str = PAGE_ID) -> bytes:
    entries = [{"id": recipient, "time": TIME, "messaging": [item]} for item in items]
    return json.dumps({"object": obj, "entry": entries}).encode()


def item(n: int, sender: str | int = PSID, **kind: Any) -> dict[str, Any]:
    return {"sender": {"id": sender}, "recipient": {"id": PAGE_ID}, "timestamp": TIME + n, **kind}


def text(n: int, body: str, sender: str | int = PSID) -> dict[str, Any]:
    return item(n, sender, message={"mid": f"m_{n}", "text": body})


def quick_reply(n: int, payload: str, title: str = "x") -> dict[str, Any]:
    return item(n, message={"mid": f"m_{n}", "text": title, "quick_reply": {"payload": payload}})


def postback(n: int, payload: str, ref: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"title": "Aloita", "payload": payload, "mid": f"m_pb_{n}"}
    if ref:
        body["referral"] = {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"}
    return item(n, postback=body)


def attachment(n: int, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return item(n, message={"mid": f"m_{n}", "attachments": [{"type": kind, "payload": payload}]})


def location(n: int, lat: float, lon: float) -> dict[str, Any]:
    return attachment(n, "location", {"coordinates": {"lat": lat, "long": lon}})


def echo(n: int) -> dict[str, Any]:
    return item(n, message={"mid": f"m_{n}", "text": "bot said", "is_echo": True, "app_id": 1517})


# A delivery exactly as Meta escapes it: non-ASCII as \\uXXXX and "/" as "\\/".
ESCAPED = (
    b'{"object":"page","entry":[{"id":"' + PAGE_ID.encode() + b'","time":1764316800000,"messaging":[{"sender":{"id":"'
    + PSID.encode() + b'"},"recipient":{"id":"' + PAGE_ID.encode()
    + b'"},"timestamp":1764316800001,"message":{"mid":"m_esc","text":"Hyv\\u00e4\\u00e4 p\\u00e4iv\\u00e4\\u00e4 1\\/2"}}]}]}'
)  # fmt: skip
