"""A running site picks up each newly published warehouse, with no failed request."""

from __future__ import annotations

import shutil
import threading
import urllib.request
from pathlib import Path

from ingest.run import run
from tests.conftest import FIXTURES, boston_mini_source, serve

MARCH = "/download/league.csv?jurisdiction=boston&month=2015-03"


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8-sig")


def test_site_serves_through_two_publishes(bundled_warehouse: Path, tmp_path: Path) -> None:
    served = tmp_path / "tracker.duckdb"
    shutil.copyfile(bundled_warehouse, served)
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "boston-mini", data / "boston-mini")
    failures: list[str] = []
    statuses: list[int] = []
    stop = threading.Event()

    def keep_requesting(base: str) -> None:
        paths = ["/", MARCH, "/department/boston-public-works-department?month=2015-03"]
        while not stop.is_set():
            for path in paths:
                try:
                    statuses.append(get(base + path)[0])
                except Exception as err:  # every failure is recorded, none hidden
                    failures.append(f"{path}: {err!r}")

    with serve(served) as base:
        before = get(base + MARCH)[1]
        clients = [threading.Thread(target=keep_requesting, args=(base,)) for _ in range(3)]
        for client in clients:
            client.start()
        first = run([boston_mini_source()], data, served)  # adds the fixture's requests
        middle = get(base + MARCH)[1]
        csv = data / "boston-mini" / "cases.csv"
        csv.write_text("".join(csv.read_text().splitlines(keepends=True)[:-12]))
        second = run([boston_mini_source()], data, served)  # a revised file replaces them
        after = get(base + MARCH)[1]
        stop.set()
        for client in clients:
            client.join(timeout=30)
    assert first.published and second.published
    assert failures == []
    assert len(statuses) > 30 and set(statuses) == {200}
    assert before != middle != after  # each publish was served without a restart
