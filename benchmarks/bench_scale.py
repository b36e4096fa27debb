"""Growth, measured (issue 16 item 5): what a day's file costs as the case store grows.

For each size (default 1,000,000, 5,000,000 and 20,000,000 cases) `make bench-scale` builds a
case store of that many synthetic Boston-layout requests (synthetic data is for benchmarks
only) at 10,000 a day, as a city's feed would accumulate them: 1M is 100 days of history,
20M is 2,000. The history is written straight into a warehouse by ingest's own parts (its
draft, case store, measures and publish); then, through the real CLI (`python -m ingest
run`) in its own process, it times and takes the peak RSS of:

- a further day's file: 10,000 cases in Boston's exact 34-column layout, 1,000 of them
  requests of the day before sent again, closed (they replace their earlier version), loaded
  and published;
- a no-op run (every file already loaded), the whole CLI, Python's start included;

and reports the serving snapshot's size (the DuckDB file the site reads) beside the case
store's, and the p99 of three pages (the Boston league `/`, a department's month and a day
page, which reads the case store) served by real gunicorn, by `make bench-site`'s method
(its server, client threads and percentile), 4 clients for `--seconds` each.

Targets: a day's file <= 5 s, growing <= 1.5x from the smallest size to the largest;
no-op <= 1 s; page p99 not growing with the store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_site import Target, gunicorn, load, percentile, request  # noqa: E402

from ingest import case_store  # noqa: E402
from ingest.catalog import load_source  # noqa: E402
from ingest.publish import next_warehouse, swap_in  # noqa: E402
from ingest.read import now  # noqa: E402
from ingest.run import entry_fingerprint, measures_fingerprint, write_catalog  # noqa: E402
from ingest.schema import create_schema  # noqa: E402
from metrics.build import build_measures  # noqa: E402
from settings import get_settings  # noqa: E402

PER_DAY = 10_000
RESENT = 1_000
LAST_DAY = dt.date(2019, 12, 31)  # the history's last day; the day's file is the next
PAIRS = (
    ("Public Works Department", "Street Light Outages"),
    ("Public Works Department", "Sidewalk Repair (Make Safe)"),
    ("Transportation - Traffic Division", "Missing Sign"),
    ("Inspectional Services", "Building Inspection Request"),
    ("Property Management", "Graffiti Removal"),
)
PWD, LIGHTS = "boston-public-works-department", "street-light-outages"

# Request i opens on day i // PER_DAY of the history; ids follow Boston's numbering.
CASES = """
SELECT i, (101001240735 + i)::VARCHAR AS case_id,
       $start::TIMESTAMP + INTERVAL (i // $per_day) DAY + to_seconds((h % 86400)::BIGINT)
           AS opened,
       h, $subjects[1 + (h // 7) % len($subjects)] AS subject,
       $types[1 + (h // 7) % len($types)] AS type
FROM (SELECT i, (hash(i) >> 1)::BIGINT AS h FROM range($first, $last) t(i))
"""
# ~4% with no target; ~85% closed within 14 days, unless that is after the history's end.
HISTORY = f"""
INSERT INTO case_inbox
SELECT 'boston-311', 1, i + 2, case_id, opened,
       CASE WHEN h % 100 >= 4 THEN opened::DATE + INTERVAL (1 + h % 14) DAY
                                   + INTERVAL '8 hours 30 minutes' END,
       CASE WHEN h % 100 >= 15 AND opened + to_seconds(60 + h % 1209600) < $end
            THEN opened + to_seconds(60 + h % 1209600) END,
       subject, type, NULL
FROM ({CASES})
"""  # noqa: S608 - constant text
FMT = "%m/%d/%Y %I:%M:%S %p"
HEADER = (
    ",CASE_ENQUIRY_ID,OPEN_DT,TARGET_DT,CLOSED_DT,OnTime_Status,CASE_STATUS,CLOSURE_REASON,"
    "CASE_TITLE,SUBJECT,REASON,TYPE,QUEUE,Department,SubmittedPhoto,ClosedPhoto,Location,"
    "fire_district,pwd_district,city_council_district,police_district,neighborhood,"
    "neighborhood_services_district,ward,precinct,land_usage,LOCATION_STREET_NAME,"
    "LOCATION_ZIPCODE,Property_Type,Property_ID,LATITUDE,LONGITUDE,Source,Geocoded_Location"
)
BLANKS = HEADER.count(",") - 12  # columns after QUEUE, all empty
DAY_FILE = f"""
COPY (
    SELECT row_number() OVER () AS n, case_id AS CASE_ENQUIRY_ID,
           strftime(opened, '{FMT}') AS OPEN_DT,
           strftime(opened::DATE + INTERVAL 2 DAY + INTERVAL '8 hours 30 minutes', '{FMT}')
               AS TARGET_DT,
           CASE WHEN resent THEN strftime($day::TIMESTAMP + INTERVAL 10 HOUR, '{FMT}') ELSE ''
           END AS CLOSED_DT,
           'ONTIME' AS OnTime_Status, CASE WHEN resent THEN 'Closed' ELSE 'Open' END
               AS CASE_STATUS,
           '' AS CLOSURE_REASON, type AS CASE_TITLE, subject AS SUBJECT, '' AS REASON,
           type AS TYPE, '' AS QUEUE, {", ".join(f"'' AS c{n}" for n in range(BLANKS))}
    FROM (SELECT *, false AS resent FROM ({CASES})
          UNION ALL
          (SELECT *, true FROM ({CASES.replace("$first", "$resent_first")}) ORDER BY i
           LIMIT $resent))
) TO $path (HEADER false)
"""  # noqa: S608 - constant text


def build_history(home: Path, rows: int) -> Path:
    """A published warehouse with `rows` synthetic requests, built by ingest's own parts."""
    warehouse = home / "warehouse" / "tracker.duckdb"
    source = load_source(home / "catalog" / "boston-311.toml")
    days = -(-rows // PER_DAY)
    start = LAST_DAY - dt.timedelta(days=days - 1)
    with next_warehouse(warehouse, get_settings().ingest_memory_limit, fresh=True) as (con, d):
        create_schema(con)
        write_catalog(con, [source])
        con.execute("SELECT nextval('load_ids')").fetchall()
        con.execute(HISTORY, _params(start, 0, rows) | {"end": dt.datetime(2020, 1, 1)})
        con.execute(
            "INSERT INTO loads VALUES (1, 'boston-311', 'history.csv', ?, ?, ?, 0, ?, ?, "
            "'loaded', NULL, NULL, 0)",
            [hashlib.sha256(b"history").hexdigest(), rows, rows, now(), now()],
        )
        case_store.commit(con, case_store.store_dir(warehouse))
        build_measures(con, get_settings().min_judged_periods)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?), ('fingerprint', ?), "
            "('warehouse_version', 'history'), ('published_at', ?)",
            [f"entry:{source.id}", entry_fingerprint(source), measures_fingerprint([source]),
             now().isoformat(timespec="seconds")],
        )  # fmt: skip
        swap_in(con, d, warehouse)
    return warehouse


def _params(start: dt.date, first: int, last: int) -> dict[str, object]:
    return {
        "start": start, "per_day": PER_DAY, "first": first, "last": last,
        "subjects": [s for s, _ in PAIRS], "types": [t for _, t in PAIRS],
    }  # fmt: skip


def write_day_file(home: Path, rows: int) -> Path:
    """The next day's file: 10,000 new requests and 1,000 of the day before's, closed."""
    days = -(-rows // PER_DAY)
    start = LAST_DAY - dt.timedelta(days=days - 1)
    day = LAST_DAY + dt.timedelta(days=1)
    path = home / "data" / "bench-311" / f"{day}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = path.with_suffix(".body")
    first = days * PER_DAY
    params = _params(start, first, first + PER_DAY) | {
        "day": day, "resent": RESENT, "resent_first": first - PER_DAY, "path": str(body),
    }  # fmt: skip
    with duckdb.connect() as con:
        con.execute(DAY_FILE, params)
    path.write_text(HEADER + "\n" + body.read_text())
    body.unlink()
    return path


def ingest(home: Path) -> tuple[float, float, float, str]:
    """`python -m ingest run` in its own process: wall seconds, CPU seconds (user + system:
    on a shared machine the wall time includes waiting for a core), peak RSS (MB), output."""
    env = {**os.environ, "TRACKER_CATALOG_DIR": str(home / "catalog"),
           "TRACKER_DATA_DIR": str(home / "data"),
           "TRACKER_WAREHOUSE_PATH": str(home / "warehouse" / "tracker.duckdb")}  # fmt: skip
    env.pop("TRACKER_FAULT_AT", None)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest", "run"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"ingest failed ({proc.returncode}):\n{out}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def page_p99(warehouse: Path, seconds: float) -> dict[str, float]:
    """p99 (ms) of three pages, 4 clients each, by bench-site's method."""
    month = LAST_DAY.strftime("%Y-%m")
    pages = {
        "/": "/",
        "department": f"/department/{PWD}?month={month}",
        "day": f"/department/{PWD}/{LIGHTS}/{LAST_DAY - dt.timedelta(days=3)}",
    }
    found = {}
    with gunicorn(warehouse) as port:
        for name, path in pages.items():
            target = Target(name, "page", "GET", path)
            status, _ = request(port, target)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            load(port, target, 4, 0.5)
            result = load(port, target, 4, seconds)
            if result.errors:
                raise RuntimeError(f"{path}: {result.errors[:3]}")
            found[name] = percentile(result.latencies, 0.99)
    return found


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def measure(rows: int, tmp: Path, seconds: float) -> dict[str, float]:
    home = tmp / f"scale-{rows}"
    shutil.rmtree(home, ignore_errors=True)
    for folder in ("catalog", "data", "warehouse"):
        (home / folder).mkdir(parents=True)
    entry = (ROOT / "catalog" / "boston-311.toml").read_text()
    entry = entry.replace('pattern = "boston-311-2015/*.csv.gz"', 'pattern = "bench-311/*.csv"')
    (home / "catalog" / "boston-311.toml").write_text(entry)
    began = time.perf_counter()
    # In a process of its own: a child forked from a big parent would count its pages in
    # the peak RSS of the runs measured below.
    subprocess.run([sys.executable, __file__, "--history", str(home), str(rows)], check=True)
    warehouse = home / "warehouse" / "tracker.duckdb"
    built = time.perf_counter() - began
    write_day_file(home, rows)
    day_s, day_cpu, day_rss, out = ingest(home)
    if "1000 earlier cases sent again" not in out:
        raise RuntimeError(f"the day's file did not replace its 1,000 re-sent cases:\n{out}")
    noop_s, noop_cpu, noop_rss, out = ingest(home)
    if "nothing was copied or written" not in out:
        raise RuntimeError(f"the second run was not a no-op:\n{out}")
    p99 = page_p99(warehouse, seconds)
    return {
        "rows": rows, "built": built, "day_s": day_s, "day_cpu": day_cpu, "day_rss": day_rss,
        "noop_s": noop_s, "noop_cpu": noop_cpu, "noop_rss": noop_rss,
        "snapshot": size_mb(warehouse), "store": size_mb(case_store.store_dir(warehouse)),
        **{f"p99 {k}": v for k, v in p99.items()},
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,5000000,20000000",
                        help="case store sizes, comma-separated")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=3.0, help="load time per page")
    parser.add_argument("--tmp", type=Path, default=None, help="work folder (default: temp)")
    parser.add_argument("--history", nargs=2, help=argparse.SUPPRESS)  # HOME ROWS: build only
    args = parser.parse_args()
    if args.history:
        build_history(Path(args.history[0]), int(args.history[1]))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = args.tmp or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    print(f"{os.cpu_count()} CPUs; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())};"
          f" work folder {tmp}")  # fmt: skip
    results = []
    try:
        for rows in sizes:
            r = measure(rows, tmp, args.seconds)
            results.append(r)
            print(
                f"{rows:>11,} cases (history built in {r['built']:.1f} s): day's file "
                f"{r['day_s']:.2f} s (CPU {r['day_cpu']:.2f} s), peak RSS {r['day_rss']:.0f} MB; "
                f"no-op {r['noop_s']:.2f} s (CPU {r['noop_cpu']:.2f} s, RSS "
                f"{r['noop_rss']:.0f} MB); snapshot {r['snapshot']:.1f} MB, case store "
                f"{r['store']:.1f} MB; page p99 / {r['p99 /']:.0f} ms, department "
                f"{r['p99 department']:.0f} ms, day {r['p99 day']:.0f} ms",
                flush=True,
            )
    finally:
        if args.tmp is None:
            shutil.rmtree(tmp, ignore_errors=True)
    growth = results[-1]["day_s"] / results[0]["day_s"]
    ok = all(r["day_s"] <= 5 and r["noop_s"] <= 1 for r in results) and growth <= 1.5
    print(
        f"day's file {results[0]['rows']:,} -> {results[-1]['rows']:,} cases: {growth:.2f}x "
        f"(target <= 1.5x); every day's file <= 5 s and no-op <= 1 s: "
        f"{'all targets met' if ok else 'some targets MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
