"""Benchmark the site: real gunicorn (2 workers) on loopback under a bounded load.

`make bench-site` serves the bundled warehouse (built by `make warehouse`) with the project's
own gunicorn settings, then for each target and concurrency (4, then 16) runs that many client
threads for a fixed time (3 s after a short warm-up; about 30 s in all), each thread making one
request at a time on a fresh connection (gunicorn's sync workers close it after each response).
Targets: the league page `/`, a department page, and the callbacks through which Dash Pages
renders those pages in the browser (`POST /_dash-update-component`, the body Chromium
sends, built from the app's callback map). Requests ask for gzip, as browsers do. Prints
p50/p95/p99 and errors per target; stops the server at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPARTMENT = "/department/boston-public-works-department"
MONTH = "?month=2015-07"
TARGETS_MS = {"page": 50.0, "callback": 30.0}


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # 'page' or 'callback'
    method: str
    path: str
    body: bytes | None = None


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(warehouse: Path) -> Iterator[int]:
    """The site as `make run` serves it, with 2 workers, on a free loopback port."""
    port = free_port()
    env = {**os.environ, "TRACKER_WAREHOUSE_PATH": str(warehouse), "TRACKER_PORT": str(port),
           "TRACKER_HOST": "127.0.0.1", "TRACKER_WORKERS": "2"}  # fmt: skip
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "dashboard/web/gunicorn_conf.py",
         "dashboard.app:server"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise TimeoutError("gunicorn did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def request(port: int, target: Target) -> tuple[int, bytes]:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Accept-Encoding": "gzip"}
        if target.body:
            headers["Content-Type"] = "application/json"
        con.request(target.method, target.path, body=target.body, headers=headers)
        response = con.getresponse()
        return response.status, response.read()
    finally:
        con.close()


def plain(body: bytes) -> bytes:
    """A response body, gunzipped if it was sent compressed."""
    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


def callback_body(port: int, path: str, search: str) -> bytes:
    """The request Chromium sends to render a page, from the app's own callback map."""
    status, raw = request(port, Target("deps", "page", "GET", "/_dash-dependencies"))
    assert status == 200, status
    pages = next(c for c in json.loads(plain(raw)) if "_pages_content.children" in c["output"])
    inputs = [
        {**pages["inputs"][0], "value": path},
        {**pages["inputs"][1], "value": search},
    ]
    changed = [f"{i['id']}.{i['property']}" for i in inputs]
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1]}
        for part in pages["output"].strip(".").split("...")
    ]
    body = {"output": pages["output"], "outputs": outputs, "inputs": inputs,
            "changedPropIds": changed, "parsedChangedPropsIds": changed}  # fmt: skip
    return json.dumps(body).encode()


def load(port: int, target: Target, clients: int, seconds: float) -> Result:
    """`clients` threads requesting the target back to back until the time is up."""
    result = Result()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                status, _ = request(port, target)
                error = None if status == 200 else f"HTTP {status}"
            except OSError as err:
                error = repr(err)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                result.latencies.append(elapsed) if error is None else result.errors.append(error)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 15)
    return result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def report(target: Target, clients: int, result: Result, seconds: float) -> bool:
    """One line of figures; True when this run meets its target."""
    lat = result.latencies
    p50, p95, p99 = (percentile(lat, q) for q in (0.50, 0.95, 0.99))
    limit = TARGETS_MS[target.kind]
    ok = not result.errors and (clients != 4 or p99 <= limit)
    goal = f"p99 <= {limit:.0f} ms, 0 errors" if clients == 4 else "0 errors"
    print(
        f"{target.name:<22} c={clients:<3} n={len(lat):<6} {len(lat) / seconds:7.1f} req/s  "
        f"p50 {p50:6.1f}  p95 {p95:6.1f}  p99 {p99:6.1f} ms  errors {len(result.errors):<3} "
        f"target {goal}: {'met' if ok else 'MISSED'}"
    )
    for error in sorted(set(result.errors))[:3]:
        print(f"    error: {error}")
    return ok


def built_warehouse() -> Path | None:
    """The warehouse `make warehouse` built, or None (said on stderr) if there is none yet."""
    from settings import get_settings  # late, so --help needs no settings

    warehouse = get_settings().warehouse_path
    if not warehouse.exists():
        print(f"no warehouse at {warehouse}: run `make warehouse` first", file=sys.stderr)
        return None
    return warehouse


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="load time per run")
    args = parser.parse_args()
    warehouse = built_warehouse()
    if warehouse is None:
        return 2
    with gunicorn(warehouse) as port:
        targets = [
            Target("page /", "page", "GET", "/"),
            Target("page department", "page", "GET", DEPARTMENT + MONTH),
            Target("callback /", "callback", "POST",
                   "/_dash-update-component", callback_body(port, "/", "")),
            Target("callback department", "callback", "POST",
                   "/_dash-update-component", callback_body(port, DEPARTMENT, MONTH)),
        ]  # fmt: skip
        for target in targets:  # each worker answers once before timing starts
            status, body = request(port, target)
            assert status == 200 and (target.kind == "page" or b"_pages_content" in plain(body))
        print(
            f"gunicorn, 2 workers, 127.0.0.1:{port}; {os.cpu_count()} CPUs; "
            f"{args.seconds:g} s per run; responses gzipped as for a browser; load average "
            f"before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        verdicts = []
        for clients in (4, 16):
            for target in targets:
                load(port, target, clients, 0.5)  # warm-up, not counted
                result = load(port, target, clients, args.seconds)
                verdicts.append(report(target, clients, result, args.seconds))
    print("all targets met" if all(verdicts) else "some targets MISSED")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
