"""Serving beyond one process: Debian's nginx (`make nginx-deps`), configured by the repo's own
deploy/nginx.conf, caching in front of two gunicorn instances that read one published warehouse.

The load test is a benchmark that asserts correctness, not speed: 256 clients for 20 s on
loopback with 0 errors, nearly every answer from the cache, both replicas used. It prints the
requests/s and the cache's hit share (run with `-s` to see them; they are also written to
test-artifacts/proxy.txt). The publish test shows a new warehouse reaching readers through the
cache within one max-age (5 s here, through TRACKER_CACHE_MAX_AGE).
"""

from __future__ import annotations

import collections
import getpass
import gzip
import hashlib
import http.client
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from ingest.run import run
from settings import ROOT
from tests.conftest import FIXTURES, boston_mini_source, free_port, serve, wait_for_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx.conf"
MAX_AGE, STALE = 5, 5
CLIENTS, SECONDS = 256, 20.0
# One fetch of the new version by the cache, once its copy is older than max-age (the first
# request after that gets the old copy, stale-while-revalidate, and starts the fetch): a
# first drawing of a page on a new warehouse, on a busy 2-core host.
FETCH_SLACK = 8.0
MARCH = "/download/league.csv?jurisdiction=boston&month=2015-03"
MIX = [
    "/",
    "/department/boston-public-works-department?month=2015-07",
    "/methodology",
    "/data",
    "/compare",
    MARCH,
]

MAIN = """{user}
worker_processes 2;
pid {tmp}/nginx.pid;
events {{ worker_connections 2048; }}
http {{
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    log_format proxy '$status $upstream_cache_status $upstream_addr $request_uri';
    access_log {tmp}/access.log proxy buffer=64k flush=1s;
    log_subrequest on;  # the cache's background refreshes too
    include {tmp}/tracker.conf;
}}
"""


def site_config(port: int, replicas: list[int], cache: Path) -> str:
    """deploy/nginx.conf with this test's proxy port, replica ports and cache folder."""
    text = TEMPLATE.read_text()
    for old, new in [
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("proxy_cache_path /var/cache/nginx/tracker ", f"proxy_cache_path {cache} "),
        ("server 127.0.0.1:8050 ", f"server 127.0.0.1:{replicas[0]} "),
        ("server 127.0.0.1:8051 ", f"server 127.0.0.1:{replicas[1]} "),
    ]:
        assert text.count(old) == 1, f"deploy/nginx.conf no longer has {old!r} once"
        text = text.replace(old, new)
    return text


@dataclass
class Proxy:
    port: int
    warehouse: Path
    data: Path
    access_log: Path


@pytest.fixture(scope="module")
def proxy(bundled_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    """nginx on a free port in front of two gunicorn instances, each on its own port and
    both serving one copy of the bundled warehouse with a max-age of 5 s."""
    assert Path(NGINX).exists(), "Debian's nginx is not installed: run `make nginx-deps`"
    tmp = tmp_path_factory.mktemp("proxy")
    served = tmp / "tracker.duckdb"
    shutil.copyfile(bundled_warehouse, served)
    data = tmp / "data"
    shutil.copytree(FIXTURES / "boston-mini", data / "boston-mini")
    settings = {"TRACKER_CACHE_MAX_AGE": str(MAX_AGE), "TRACKER_CACHE_STALE_SECONDS": str(STALE)}
    with ExitStack() as stack:
        replicas = [stack.enter_context(serve(served, settings)) for _ in range(2)]
        port = free_port()
        ports = [int(url.rsplit(":", 1)[1]) for url in replicas]
        (tmp / "tracker.conf").write_text(site_config(port, ports, tmp / "cache"))
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""  # else: as we run
        (tmp / "nginx.conf").write_text(MAIN.format(user=user, tmp=tmp))
        command = [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e",
                   str(tmp / "error.log"), "-g", "daemon off;"]  # fmt: skip
        nginx = subprocess.Popen(command)
        try:
            wait_for_port(port, nginx)
            yield Proxy(port, served, data, tmp / "access.log")
        finally:
            nginx.terminate()  # SIGTERM: nginx's fast shutdown
            nginx.wait(timeout=20)
            print((tmp / "error.log").read_text()[-2000:])


@dataclass
class Answer:
    status: int
    cache: str
    version: str
    digest: str


def fetch(con: http.client.HTTPConnection, path: str) -> Answer:
    """One GET on a kept-alive connection, as a browser asks (gzip accepted)."""
    con.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = con.getresponse()
    body = response.read()
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)  # gzip's header holds a time: compare what it holds
    if response.getheader("Connection", "").lower() == "close":
        con.close()  # reopened by the next request
    return Answer(
        response.status,
        response.getheader("X-Cache-Status", "none"),
        response.getheader("X-Warehouse-Version", ""),
        hashlib.sha256(body).hexdigest() if body else "",
    )


@dataclass
class Load:
    answers: collections.Counter[str] = field(default_factory=collections.Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def hold(port: int, clients: int, seconds: float) -> Load:
    """`clients` threads, each on its own kept-alive connection, requesting the mix in turn
    back to back until the time is up; every answer counted by its cache status."""
    load = Load()
    stop = time.monotonic() + seconds

    def client(start: int) -> None:
        con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        turn = start
        while time.monotonic() < stop:
            path = MIX[turn % len(MIX)]
            turn += 1
            try:
                answer = fetch(con, path)
                error = None if answer.status == 200 and answer.digest else f"HTTP {answer.status}"
            except (OSError, http.client.HTTPException) as err:
                answer, error = None, f"{path}: {err!r}"
                con.close()
            with load.lock:
                if error is not None:
                    load.errors.append(error)
                elif answer is not None:
                    load.answers[answer.cache] += 1
        con.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return load


def report(artifacts: Path, line: str) -> None:
    print(line)
    with (artifacts / "proxy.txt").open("a") as out:
        out.write(line + "\n")


def test_256_clients_for_20_seconds_with_no_error(proxy: Proxy, artifacts: Path) -> None:
    warm = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=60)
    for path in MIX:  # each page once into the cache, as its first readers would
        assert fetch(warm, path).status == 200, path
    warm.close()
    started = time.monotonic()
    load = hold(proxy.port, CLIENTS, SECONDS)
    elapsed = time.monotonic() - started
    total = sum(load.answers.values())
    # Answered from the cache's copy without waiting on a replica: a fresh copy (HIT), or
    # one past max-age while it is being refreshed in the background (UPDATING, STALE).
    cached = sum(load.answers[status] for status in ("HIT", "UPDATING", "STALE"))
    report(
        artifacts,
        f"nginx + 2 gunicorn, c={CLIENTS} for {elapsed:.1f} s: {total} answers, "
        f"{total / elapsed:.0f} requests/s, {len(load.errors)} errors, hit share "
        f"{load.answers['HIT'] / max(total, 1):.2%}, from the cache without waiting "
        f"{cached / max(total, 1):.2%} ({dict(load.answers.most_common())})",
    )
    assert load.errors == [], sorted(set(load.errors))[:5]
    assert total > CLIENTS * 10  # every client kept asking
    # Each URL leaves the cache for a replica about once per max-age.
    assert cached / total > 0.99
    time.sleep(1.5)  # the access log is flushed every second
    upstream = collections.Counter(
        line.split()[2] for line in proxy.access_log.read_text().splitlines()
    )
    del upstream["-"]  # answered by the cache alone
    report(artifacts, f"requests that reached a replica: {dict(upstream)}")
    assert len(upstream) == 2, upstream  # both instances answered the cache's requests


def published_version(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'warehouse_version'").fetchone()
    assert row is not None
    return str(row[0])


def hit(seen: list[tuple[float, str, Answer]], path: str) -> bool:
    return any(p == path and a.cache == "HIT" for _, p, a in seen)


def test_a_new_publication_is_served_within_one_max_age(proxy: Proxy, artifacts: Path) -> None:
    old = published_version(proxy.warehouse)
    paths = ["/", MARCH]
    seen: list[tuple[float, str, Answer]] = []
    errors: list[str] = []
    stop = threading.Event()

    def watch() -> None:
        con = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
        while not stop.is_set():
            for path in paths:
                try:
                    answer = fetch(con, path)
                except (OSError, http.client.HTTPException) as err:
                    errors.append(f"{path}: {err!r}")
                    con.close()
                    continue
                seen.append((time.time(), path, answer))
                if answer.status != 200:
                    errors.append(f"{path}: HTTP {answer.status}")
            time.sleep(0.1)
        con.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not all(hit(seen, path) for path in paths):
            time.sleep(0.2)  # until each is served from the cache's copy
        assert all(hit(seen, path) for path in paths), seen[-4:]
        before = {path: answer for _, path, answer in seen}
        assert {a.version for a in before.values()} == {old}
        summary = run([boston_mini_source()], proxy.data, proxy.warehouse)  # adds cases
        assert summary.published and summary.warehouse_version != old
        new = summary.warehouse_version
        # The file's last write, no later than the rename that published it: a bound that
        # can only overstate the time taken.
        published = proxy.warehouse.stat().st_mtime
        deadline = time.time() + MAX_AGE + STALE + 60
        while time.time() < deadline:
            latest = {path: answer for _, path, answer in seen}
            if all(latest[p].version == new for p in paths):
                break
            time.sleep(0.2)
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert errors == []
    for path in paths:
        new_times = [t for t, p, a in seen if p == path and a.version == new]
        assert new_times, f"{path} never served version {new}"
        first_new = min(new_times)
        old_after = sum(1 for t, p, a in seen if p == path and t > published and a.version == old)
        after = [a for t, p, a in seen if p == path and t >= first_new]
        report(
            artifacts,
            f"{path}: version {new} served {first_new - published:.1f} s after the publish "
            f"(max-age {MAX_AGE} s); {old_after} answers of the old copy after it",
        )
        assert first_new - published <= MAX_AGE + FETCH_SLACK
        assert {a.version for a in after} == {new}  # never the old one again
        assert after[0].digest != before[path].digest  # the new figures, not only its tag
