"""Fault scenario 5, SIGTERM: a real ``osallistu serve`` process under web chat traffic is
told to stop. Requests in flight finish, every acknowledged message is stored, nothing is
answered with a 5xx, and the process is gone within 10 seconds."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

from storage.engine import make_engine
from storage.tables import inbox_t
from tests.conftest import TEST_PSEUDONYM_KEY
from tests.support.live_server import free_port

CLIENTS = 6


def _environment(database_url: str, tmp_path: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "OSALLISTU_DATABASE_URL": database_url,
        "OSALLISTU_PSEUDONYM_KEY": TEST_PSEUDONYM_KEY,
        "OSALLISTU_PORT": str(port),
        "OSALLISTU_MEDIA_DIR": str(tmp_path / "media"),
        "OSALLISTU_EXPORT_DIR": str(tmp_path / "exports"),
        "OSALLISTU_WEEKLY_SUMMARY_ENABLED": "false",
        "OSALLISTU_FLOOD_BURST": "100000",
        "OSALLISTU_FLOOD_PER_MINUTE": "100000",
        "OSALLISTU_WEBCHAT_SESSIONS_PER_ADDRESS_PER_MINUTE": "100000",
    }


def _osallistu() -> str:
    return str(Path(sys.executable).with_name("osallistu"))


def test_sigterm_finishes_what_was_acknowledged_and_stops_in_time(
    database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = _environment(database_url, tmp_path, port)
    subprocess.run(
        [_osallistu(), "migrate"], env=env, check=True, capture_output=True, cwd=tmp_path
    )
    server = subprocess.Popen(
        [_osallistu(), "serve"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.1)

    acknowledged: list[tuple[str, str]] = []
    statuses: list[int] = []
    stop = threading.Event()

    def resident(number: int) -> None:
        session = f"sigterm-session-{number:03d}"
        with httpx.Client(base_url=base, timeout=15) as client:
            sent = 0
            while not stop.is_set():
                message_id = f"m{sent}"
                body = {"session": session, "id": message_id, "text": "hei" if sent else "/start"}
                try:
                    response = client.post("/webchat/messages", json=body)
                except httpx.HTTPError:
                    return  # the server has stopped taking requests
                statuses.append(response.status_code)
                if response.status_code == 200:
                    acknowledged.append((session, message_id))
                sent += 1

    threads = [threading.Thread(target=resident, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(2.0)
    signalled = time.monotonic()
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=15)
    stopped_after = time.monotonic() - signalled
    stop.set()
    for thread in threads:
        thread.join(timeout=20)

    assert stopped_after < 10, f"shutdown took {stopped_after:.1f} s"
    assert server.returncode in (0, -signal.SIGTERM)
    assert acknowledged, "no traffic reached the server"
    assert all(status < 500 for status in statuses)
    engine = make_engine(database_url)
    with engine.connect() as connection:
        stored = set(connection.execute(sa.select(inbox_t.c.event_id)).scalars())
    engine.dispose()
    keys = {hashlib.sha256(f"{s}\x00{m}".encode()).hexdigest() for s, m in acknowledged}
    missing = keys - stored
    assert not missing, f"{len(missing)} acknowledged messages were not stored"
