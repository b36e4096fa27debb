"""Benchmark the streamed CSV export: DuckDB's COPY, our gunicorn endpoint, and Datasette.

`make bench-export` builds a synthetic `records` table (5,000,000 rows by default), and as
many synthetic requests in `cases`, in a temp DuckDB file, then times (a) DuckDB's own
`COPY ... TO 'file.csv'`, (b) the site's one streaming path (`dashboard.api.stream.written`
with the CSV writer) served by a real gunicorn worker and downloaded over loopback HTTP, (b')
the site itself serving `/download/records.csv` (its sorted query, parameters and headers)
from the same rows, (b'') the site serving `/download/cases.csv` (each request with its file
and row, through the real dataset's joins), (b''') the site serving the same records as
`/download/records.xlsx` (its streaming SpreadsheetML writer: rows counted from X-Row-Count,
the file checked to end in a zip directory), and (c) Datasette streaming
the same rows from SQLite (`?_stream=on`), installed into a throwaway venv under the temp dir
(never a project dependency). Peak RSS is each server process's VmHWM. Everything listens on
127.0.0.1 only, every request and subprocess has a timeout, and every server is stopped at
the end. This module is also the gunicorn app (`bench_export:app`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.client
import json
import os
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import flask

from dashboard.api.formats import FORMATS
from dashboard.api.responses import stream_response
from dashboard.api.stream import BATCH_ROWS, row_count, written
from dashboard.api.writers import csv_batches
from dashboard.web.memory import settle
from ingest import case_store
from ingest.schema import create_schema
from metrics.datasets import SqlQuery
from metrics.reader import Reader
from settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
SINCE = dt.date(2000, 1, 1)
EXPORT_SQL = "SELECT * FROM records WHERE period_start >= $since"
# The same rows for COPY and the SQLite export, with the date written in (COPY takes no params).
COPY_SELECT = "SELECT * FROM records WHERE period_start >= DATE '2000-01-01'"
COPY_SQL = "COPY (" + COPY_SELECT + ") TO '{out}' (HEADER)"
OURS = "ours: gunicorn + stream.written"
SITE = "site: /download/records.csv"
XLSX = "site: /download/records.xlsx"
# What the real site's records route reads: the synthetic rows seen as `judgements`.
SITE_TABLES = """
CREATE VIEW judgements AS SELECT *, 'organisation' AS org_level, 'bench' AS org_slug,
    trim(regexp_replace(lower(service), '[^a-z0-9]+', '-', 'g'), '-') AS service_slug,
    value_status AS marker, 'agency' AS set_by, 'share' AS unit FROM records;
INSERT INTO meta VALUES ('warehouse_version', 'bench'), ('published_at', '2026-01-01T00:00:00');
CREATE TABLE source_facts (source_id VARCHAR, jurisdiction VARCHAR, kind VARCHAR,
    cadence VARCHAR, data_as_of TIMESTAMP, first_opened DATE, last_opened DATE,
    last_received TIMESTAMP);
CREATE MACRO slug(x) AS trim(regexp_replace(lower(x), '[^a-z0-9]+', '-', 'g'), '-');
CREATE TABLE league (jurisdiction VARCHAR, month DATE, grain VARCHAR, organisation VARCHAR,
    org_slug VARCHAR);
"""
# The `cases` download on the site: as many synthetic requests, one file, every one judged
# through the real dataset's SQL (its joins to days_met, loads and source_facts).
CASES = "site: /download/cases.csv"
CASES_SQL = """
INSERT INTO case_inbox
SELECT 'bench', 1, i + 2, 'CASE-' || i, opened, opened + INTERVAL 3 DAY,
       CASE WHEN h % 10 = 0 THEN NULL ELSE opened + to_minutes((h % 7200)::BIGINT) END,
       $organisations[1 + (i // 7) % len($organisations)], $services[1 + i % len($services)],
       NULL
FROM (SELECT range AS i, hash(range) AS h,
             TIMESTAMP '2015-01-01' + to_minutes((range % 2000000)::BIGINT) AS opened
      FROM range($rows));
INSERT INTO loads VALUES (1, 'bench', 'cases.csv', repeat('0', 64), $rows, $rows, 0,
    TIMESTAMP '2026-01-01', TIMESTAMP '2026-01-01', 'loaded', NULL, NULL, 0);
INSERT INTO source_facts SELECT 'bench', 'Bench', 'cases', 'daily', max(closed_at),
    min(opened_at)::DATE, max(opened_at)::DATE, TIMESTAMP '2026-01-01' FROM cases;
CREATE TABLE days_met AS
SELECT DISTINCT source_id, 'Bench' AS jurisdiction, organisation,
       slug('Bench-' || organisation) AS org_slug, service, slug(service) AS service_slug
FROM cases;
"""
ORGANISATIONS = [
    "Hôpital Général de Montréal",
    "Ville de Québec",
    "Région de Bruxelles-Capitale",
    "Stadtverwaltung Zürich",
    "Prefeitura de São Paulo",
    '=HYPERLINK("http://example.invalid","click") Trust',
    "Boston Public Works",
    "NYC Department of Transportation",
    "Leeds Teaching Hospitals NHS Trust",
    "North West Ambulance Service",
    "Cardiff and Vale University Health Board",
    "NHS Greater Glasgow and Clyde",
]
SERVICES = ["Street Light Outages", "Pothole Repair", "A&E", "Ambulance C1", "Passports"]
JURISDICTIONS = ["England", "Scotland", "Wales", "Québec", "New York City", "Boston"]


RECORDS_SQL = """
CREATE TABLE records AS
SELECT
    $jurisdictions[1 + i % len($jurisdictions)] AS jurisdiction,
    $organisations[1 + (i // 7) % len($organisations)] AS organisation,
    $services[1 + i % len($services)] AS service,
    'STD-' || lpad((1 + i % 40)::VARCHAR, 3, '0') AS standard_id,
    ['95% within 4 hours', '90% within 15 minutes', '95% by target time'][1 + i % 3] AS standard,
    DATE '2015-01-01' + (i % 3650)::INTEGER AS period_start,
    DATE '2015-01-01' + (i % 3650)::INTEGER + (CASE grain WHEN 'month' THEN 30 ELSE 0 END)
        AS period_end,
    grain,
    numerator,
    denominator,
    CASE WHEN missing THEN NULL ELSE round(numerator * 100.0 / denominator, 2)::DOUBLE END
        AS value,
    CASE WHEN missing THEN '[x]' END AS value_status,
    [95.0, 90.0, 75.0][1 + i % 3]::DOUBLE AS target,
    '>=' AS comparator,
    CASE WHEN missing THEN 'no_data' WHEN h % 97 = 0 THEN 'not_applicable'
         WHEN numerator * 100.0 / denominator >= [95.0, 90.0, 75.0][1 + i % 3] THEN 'met'
         ELSE 'not_met' END AS status
FROM (
    SELECT range AS i, hash(range) AS h, h % 50 = 0 AS missing,
        CASE WHEN range % 3 = 0 THEN 'month' ELSE 'day' END AS grain,
        (h % 500 + 1)::BIGINT AS denominator,
        ((h // 1000) % (h % 500 + 2))::BIGINT AS numerator
    FROM range($rows)
)
"""

# ---- the app gunicorn serves -------------------------------------------------------------

app = flask.Flask(__name__)


@functools.cache
def warehouse() -> Reader:
    """The worker's read-only reader, opened lazily after fork as the real site does, with
    the site worker's Arrow allocator (dashboard.web.memory)."""
    env = os.environ
    settle()
    return Reader(
        Path(env["BENCH_EXPORT_DB"]), env["BENCH_EXPORT_MEMORY"], int(env["BENCH_EXPORT_THREADS"])
    )


@app.get("/ready")
def ready() -> str:
    return "ok"


@app.get("/records.csv")
def records_csv() -> flask.Response:
    con = warehouse().download_connection()  # as the site streams: the small-pool instance
    params: dict[str, object] = {"since": SINCE}
    rows, batch_rows = SqlQuery(EXPORT_SQL, params), int(os.environ["BENCH_EXPORT_BATCH_ROWS"])
    chunks = written(rows, con, csv_batches, batch_rows=batch_rows)
    media = FORMATS["csv"].media_type
    return stream_response(chunks, media, "records.csv", row_count(rows, con), "bench")


# ---- measuring -------------------------------------------------------------------------


def vm_hwm_mb(pid: int | str = "self") -> float:
    """Peak resident set size of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for {pid}")


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_serving(
    port: int, proc: subprocess.Popen[bytes], seconds: float, path: str | None = None
) -> None:
    """Wait for the port to accept connections and, given a path, to answer it with 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.connect()
            if path is None:
                return
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.3)
    raise TimeoutError(f"port {port} not serving {path or ''} within {seconds}s")


@contextmanager
def server(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server in its own process group; stop it (TERM, then KILL) however the block ends."""
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=out, start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)


def download(port: int, path: str, timeout: float) -> dict[str, float]:
    """GET over loopback reading 1 MiB at a time; rows are lines after the header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    lines = size = 0
    first = None
    tail = b""
    while chunk := response.read(1 << 20):
        first = first or time.perf_counter() - start
        lines += chunk.count(b"\n")
        size += len(chunk)
        tail = (tail + chunk)[-(1 << 16) :]
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{path}: download still running after {timeout}s")
    seconds = time.perf_counter() - start
    declared = response.getheader("X-Row-Count")
    conn.close()
    if path.split("?")[0].endswith(".xlsx"):
        if b"PK\x05\x06" not in tail:  # a zip (the workbook) ends with its directory
            raise RuntimeError(f"{path}: not a complete xlsx")
        lines = int(declared or 0) + 1  # rows sit compressed inside the zip
    return {
        "rows": lines - 1,
        "seconds": seconds,
        "first_byte": first or seconds,
        "mb": size / 1e6,
        "declared_rows": float(declared) if declared is not None else -1,
    }


def copy_child(db: str, out: str, threads: str, memory: str) -> None:
    """Run in a fresh process so its peak RSS is COPY's own: prints one JSON line."""
    con = duckdb.connect(
        db, read_only=True, config={"threads": int(threads), "memory_limit": memory}
    )
    start = time.perf_counter()
    rows = con.sql(COPY_SQL.format(out=out.replace("'", "''"))).fetchall()[0][0]
    seconds = time.perf_counter() - start
    mb = Path(out).stat().st_size / 1e6
    print(json.dumps({"rows": rows, "seconds": seconds, "rss": vm_hwm_mb(), "mb": mb}))


def measure_copy(
    db: Path, tmp: Path, threads: int, memory: str, timeout: float
) -> dict[str, float]:
    out = tmp / f"copy-{threads}.csv"
    args = [sys.executable, __file__, "copy-child", str(db), str(out), str(threads), memory]
    done = subprocess.run(args, capture_output=True, timeout=timeout, check=True, cwd=ROOT)
    out.unlink()
    result: dict[str, float] = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return result


def measure_ours(db: Path, tmp: Path, opts: argparse.Namespace) -> dict[str, float]:
    port = free_port()
    env = os.environ | {
        "BENCH_EXPORT_DB": str(db),
        "BENCH_EXPORT_MEMORY": opts.memory_limit,
        "BENCH_EXPORT_THREADS": str(opts.threads),
        "BENCH_EXPORT_BATCH_ROWS": str(opts.batch_rows),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--no-control-socket", "--workers", "1", "--bind"]
    command += [f"127.0.0.1:{port}", "--timeout", str(int(opts.timeout)), "--chdir", str(ROOT)]
    command += ["--pythonpath", f"{ROOT},{ROOT / 'benchmarks'}", "bench_export:app"]
    with server(command, env, tmp / "gunicorn.log") as proc:
        wait_until_serving(port, proc, 60, "/ready")
        result = download(port, "/records.csv", opts.timeout)
        workers = children(proc.pid)
        result["rss"] = max(vm_hwm_mb(pid) for pid in workers)
    return result


def measure_site(
    db: Path, tmp: Path, opts: argparse.Namespace, path: str = "/download/records.csv"
) -> dict[str, float]:
    """The site itself (dashboard.app under its gunicorn settings, one worker, fresh for each
    route so its peak RSS is that route's) on the rows."""
    port = free_port()
    env = os.environ | {
        "TRACKER_WAREHOUSE_PATH": str(db),
        "TRACKER_PORT": str(port),
        "TRACKER_WORKERS": "1",
        "TRACKER_DUCKDB_MEMORY_LIMIT": opts.memory_limit,
        "TRACKER_DUCKDB_THREADS": str(opts.threads),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "-c", str(ROOT / "dashboard" / "web" / "gunicorn_conf.py")]
    command += ["--chdir", str(ROOT), "--access-logfile", "/dev/null", "dashboard.app:server"]
    with server(command, env, tmp / f"site-{path.rsplit('/', 1)[-1]}.log") as proc:
        wait_until_serving(port, proc, 60)
        result = download(port, path, opts.timeout)
        result["rss"] = max(vm_hwm_mb(pid) for pid in children(proc.pid))
    return result


# ---- Datasette ---------------------------------------------------------------------------


def install_datasette(venv: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start installing Datasette into a throwaway venv, in the background, logging to `log`."""
    python, pip = shlex.quote(sys.executable), shlex.quote(str(venv / "bin" / "pip"))
    script = f"{python} -m venv {shlex.quote(str(venv))} && {pip} install --quiet "
    script += "--disable-pip-version-check datasette"
    with log.open("wb") as out:
        return subprocess.Popen(["bash", "-c", script], stdout=out, stderr=out)


def export_sqlite(db: Path, target: Path) -> None:
    """The same rows into SQLite (dates as ISO text), a batch at a time through Arrow."""
    con = duckdb.connect(str(db), read_only=True)
    query = COPY_SELECT.replace(
        "*", "* REPLACE (period_start::VARCHAR AS period_start, period_end::VARCHAR AS period_end)"
    )
    reader = con.sql(query).to_arrow_reader(100_000)
    kinds = {"numerator": "INTEGER", "denominator": "INTEGER", "value": "REAL", "target": "REAL"}
    names = reader.schema.names
    lite = sqlite3.connect(target)
    lite.execute("PRAGMA journal_mode = OFF")
    lite.execute("PRAGMA synchronous = OFF")
    declared = ", ".join(f"{name} {kinds.get(name, 'TEXT')}" for name in names)
    lite.execute(f"CREATE TABLE records ({declared})")
    # Column names come from our own table; no outside text reaches these statements.
    insert = f"INSERT INTO records VALUES ({', '.join('?' for _ in names)})"  # noqa: S608
    for batch in reader:
        columns = [column.to_pylist() for column in batch.columns]
        lite.executemany(insert, zip(*columns, strict=True))
    lite.commit()
    lite.close()
    con.close()


def measure_datasette(venv: Path, sqlite_file: Path, tmp: Path, timeout: float) -> dict[str, float]:
    port = free_port()
    command = [str(venv / "bin" / "datasette"), "serve", "-i", str(sqlite_file), "-h"]
    command += ["127.0.0.1", "-p", str(port), "--setting", "max_csv_mb", "0"]
    with server(command, dict(os.environ), tmp / "datasette.log") as proc:
        wait_until_serving(port, proc, 120, "/-/versions.json")
        result = download(port, "/records/records.csv?_stream=on&_size=max", timeout)
        result["rss"] = vm_hwm_mb(proc.pid)
    return result


def run_datasette(
    installing: subprocess.Popen[bytes], venv: Path, log: Path, db: Path, tmp: Path, timeout: float
) -> dict[str, float] | None:
    """Datasette's figures, or None (said clearly) when it could not be installed."""
    start = time.perf_counter()
    sqlite_file = tmp / "records.db"
    export_sqlite(db, sqlite_file)
    print(f"exported to SQLite in {time.perf_counter() - start:.1f}s", flush=True)
    try:
        code = installing.wait(timeout=600)
    except subprocess.TimeoutExpired:
        installing.kill()
        installing.wait(timeout=20)
        code = -1
    if code != 0 or not (venv / "bin" / "datasette").exists():
        print(f"Datasette COULD NOT BE INSTALLED (exit {code}); continuing without it. Log tail:")
        print(log.read_text(errors="replace")[-2000:])
        return None
    return measure_datasette(venv, sqlite_file, tmp, timeout)


def datasette_version(venv: Path) -> str:
    done = subprocess.run(
        [str(venv / "bin" / "datasette"), "--version"], capture_output=True, timeout=60, check=False
    )
    return done.stdout.decode().strip().rsplit(" ", 1)[-1] or "?"


# ---- the run -----------------------------------------------------------------------------


def row_line(name: str, r: dict[str, float]) -> str:
    rate = r["rows"] / r["seconds"]
    return f"{name:<42} {int(r['rows']):>10,} {r['seconds']:>8.2f} {rate:>10,.0f} {r['rss']:>12.1f}"


HEADER = f"{'method':<42} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'peak RSS MB':>12}"


def report(results: list[tuple[str, dict[str, float]]], opts: argparse.Namespace) -> None:
    by_name = dict(results)
    ours = by_name[OURS]
    print("\n" + HEADER)
    for name, r in results:
        print(row_line(name, r))
    print()
    rate = ours["rows"] / ours["seconds"]
    for name, r in results:
        if name != OURS:
            print(f"ratio ours/{name}: {rate / (r['rows'] / r['seconds']):.2f}x throughput")
    same = by_name[f"DuckDB COPY TO file (threads={opts.threads})"]
    copy_rate = same["rows"] / same["seconds"]
    print(
        f"ours: first byte after {ours['first_byte']:.2f}s, {ours['mb']:.0f} MB sent, "
        f"X-Row-Count {int(ours['declared_rows']):,} vs {int(ours['rows']):,} rows received"
    )
    verdict = "PASS" if rate >= 0.5 * copy_rate else "FAIL"
    print(f"target ours >= 50% of COPY (same threads): {verdict} ({rate / copy_rate:.0%})")
    verdict = "PASS" if ours["rss"] < 300 else "FAIL"
    print(f"target peak RSS < 300 MB: {verdict} ({ours['rss']:.0f} MB)")
    if SITE in by_name:
        site = by_name[SITE]
        site_rate = site["rows"] / site["seconds"]
        verdict = "PASS" if site_rate >= 0.5 * copy_rate and site["rss"] < 300 else "FAIL"
        print(
            f"site route: {site_rate / copy_rate:.0%} of COPY, peak RSS {site['rss']:.0f} MB, "
            f"X-Row-Count {int(site['declared_rows']):,} vs {int(site['rows']):,}: {verdict}"
        )
    if CASES in by_name:
        cases = by_name[CASES]
        verdict = "PASS" if cases["rss"] < 300 and cases["rows"] == opts.rows else "FAIL"
        print(
            f"cases route: {cases['rows'] / cases['seconds']:,.0f} rows/s, peak RSS "
            f"{cases['rss']:.0f} MB (< 300), X-Row-Count {int(cases['declared_rows']):,} vs "
            f"{int(cases['rows']):,}: {verdict}"
        )
    if XLSX in by_name and SITE in by_name:
        xlsx, site = by_name[XLSX], by_name[SITE]
        ratio = (xlsx["rows"] / xlsx["seconds"]) / (site["rows"] / site["seconds"])
        verdict = "PASS" if xlsx["rss"] < 300 else "FAIL"
        print(
            f"xlsx route: {xlsx['rows'] / xlsx['seconds']:,.0f} rows/s ({ratio:.0%} of the CSV "
            f"route), {xlsx['mb']:.0f} MB, peak RSS {xlsx['rss']:.0f} MB "
            f"(budget 300 MB: {verdict})"
        )
    print(
        f"machine: {os.cpu_count()} cores, shared with other work, so figures are indicative; "
        f"DuckDB memory_limit={opts.memory_limit} (downloads stream through an instance of "
        f"{get_settings().duckdb_download_memory_limit}), batch_rows={opts.batch_rows:,}"
    )


def build(db: Path, rows: int) -> None:
    start = time.perf_counter()
    with duckdb.connect(str(db)) as con:
        params = {"jurisdictions": JURISDICTIONS, "organisations": ORGANISATIONS}
        con.sql(RECORDS_SQL, params=params | {"services": SERVICES, "rows": rows})
        create_schema(con)  # the site's footer reads ingest's (here empty) tables
        con.execute(SITE_TABLES)
        values = {"organisations": ORGANISATIONS, "services": SERVICES, "rows": rows}
        for statement in filter(str.strip, CASES_SQL.split(";")):
            con.execute(statement, {k: v for k, v in values.items() if f"${k}" in statement})
        case_store.commit(con, case_store.store_dir(db))  # the requests, as ingest stores them
    size = db.stat().st_size / 1e6
    print(f"built {rows:,} rows in {time.perf_counter() - start:.1f}s ({size:.0f} MB)", flush=True)


def main(opts: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "records.duckdb"
        build(db, opts.rows)
        venv, log = tmp / "datasette-venv", tmp / "datasette-install.log"
        installing = None if opts.skip_datasette else install_datasette(venv, log)
        try:
            compare(db, tmp, opts, installing, venv, log)
        finally:
            if installing is not None and installing.poll() is None:
                installing.kill()
                installing.wait(timeout=20)


def compare(
    db: Path,
    tmp: Path,
    opts: argparse.Namespace,
    installing: subprocess.Popen[bytes] | None,
    venv: Path,
    log: Path,
) -> None:
    """Time each method on the same rows, print each line as it lands, then the summary."""
    results: list[tuple[str, dict[str, float]]] = []
    for threads in sorted({opts.threads, os.cpu_count() or 1}):
        name = f"DuckDB COPY TO file (threads={threads})"
        results.append((name, measure_copy(db, tmp, threads, opts.memory_limit, opts.timeout)))
        print(row_line(*results[-1]), flush=True)
    results.append((OURS, measure_ours(db, tmp, opts)))
    print(row_line(*results[-1]), flush=True)
    results.append((SITE, measure_site(db, tmp, opts)))
    print(row_line(*results[-1]), flush=True)
    results.append((CASES, measure_site(db, tmp, opts, "/download/cases.csv")))
    results.append((XLSX, measure_site(db, tmp, opts, "/download/records.xlsx")))
    print(row_line(*results[-1]), flush=True)
    if installing is None:
        print("Datasette: skipped (--skip-datasette)")
    elif (datasette := run_datasette(installing, venv, log, db, tmp, opts.timeout)) is not None:
        results.append((f"Datasette {datasette_version(venv)} ?_stream=on", datasette))
        print(row_line(*results[-1]), flush=True)
    report(results, opts)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--batch-rows", type=int, default=BATCH_ROWS, help="as the site reads")
    parser.add_argument("--threads", type=int, default=1, help="DuckDB threads (site default 1)")
    parser.add_argument(
        "--memory-limit", default="512MB", help="DuckDB memory_limit (site default)"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds per download")
    parser.add_argument("--skip-datasette", action="store_true")
    return parser.parse_args()


if __name__ == "__main__":
    if sys.argv[1:2] == ["copy-child"]:
        copy_child(*sys.argv[2:6])
    else:
        main(options())
