"""Benchmark: a full recompute of every measure against one bare days-met aggregate query.

Wall seconds decide the target; CPU seconds (all threads) are printed beside them because
they move less when other work shares the machine.

Both run over the same 5,000,000 synthetic Boston-layout cases (synthetic data is for
benchmarks only), loaded into the warehouse's `cases` table with the real Boston catalog
entry, as ingest leaves them. Each timed step runs in its own subprocess on a copy of that
warehouse, so its peak RSS (VmHWM, via wait4) is its own; repeats are interleaved and the
fastest kept. Target (issue 4): full recompute <= 5x the single query.
Run with `make bench-metrics`; `--profile` adds each build statement's time and slowest
operators, from DuckDB's profiler (the figures EXPLAIN ANALYZE prints).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from ingest import case_store
from ingest.catalog import load_source
from ingest.run import write_catalog
from ingest.schema import create_schema
from metrics.build import MEASURES, build_measures
from metrics.league import band_league
from metrics.series import MET_RECORDS, _charts
from settings import ROOT, get_settings

ROWS = 5_000_000
RATIO_TARGET = 5.0
BOSTON_ENTRY = ROOT / "catalog" / "boston-311.toml"
# (SUBJECT, TYPE) pairs: the 16 services of the bundled 2015 files.
SERVICES = (
    ("Boston Water & Sewer Commission", "Catchbasin"),
    ("Inspectional Services", "Building Inspection Request"),
    ("Inspectional Services", "Heat - Excessive  Insufficient"),
    ("Inspectional Services", "Rodent Activity"),
    ("Inspectional Services", "Unsafe Dangerous Conditions"),
    ("Inspectional Services", "Unsatisfactory Living Conditions"),
    ("Parks & Recreation Department", "Equipment Repair"),
    ("Parks & Recreation Department", "Ground Maintenance"),
    ("Parks & Recreation Department", "Tree Maintenance Requests"),
    ("Property Management", "Graffiti Removal"),
    ("Public Works Department", "Misc. Snow Complaint"),
    ("Public Works Department", "Sidewalk Repair (Make Safe)"),
    ("Public Works Department", "Street Light Outages"),
    ("Transportation - Traffic Division", "Abandoned Vehicles"),
    ("Transportation - Traffic Division", "Missing Sign"),
    ("Transportation - Traffic Division", "Sign Repair"),
)

GENERATE = """
INSERT INTO case_inbox
WITH hashed AS (
    SELECT i, (hash(8 * i + 1) >> 1)::BIGINT AS h1, (hash(8 * i + 2) >> 1)::BIGINT AS h2,
           (hash(8 * i + 3) >> 1)::BIGINT AS h3, (hash(8 * i + 4) >> 1)::BIGINT AS h4,
           (hash(8 * i + 5) >> 1)::BIGINT AS h5
    FROM range($rows) t(i)
), timed AS (
    SELECT *, TIMESTAMP '2015-01-01' + to_seconds(h4 % 31536000) AS opened FROM hashed
)
SELECT 'boston-311', 1, i + 2, (101001240735 + i)::VARCHAR, opened,
       CASE WHEN h5 % 100 >= 4
            THEN opened::DATE + INTERVAL (1 + h1 % 14) DAY + INTERVAL '8 hours 30 minutes' END,
       CASE WHEN h3 % 100 >= 15 THEN opened + to_seconds(60 + h2 % 2592000) END,
       $subjects[1 + h5 % $n], $types[1 + h5 % $n], NULL
FROM timed
"""
"""~4% of cases with no target, ~15% still open, due 1-14 days after opening at 08:30,
closed up to 30 days after opening; rows in random order of service and day, as a file
loads. The same rows on every run (h1..h5 are hashes of distinct integers)."""

DAYS_MET_QUERY = """
WITH days AS (
    SELECT organisation, service, due_at::DATE AS day, count(*) AS due,
           count(*) FILTER (WHERE closed_at <= due_at) AS on_time
    FROM cases WHERE due_at IS NOT NULL GROUP BY ALL
)
SELECT organisation, service, date_trunc('month', day) AS month,
       count(*) FILTER (WHERE on_time * 100 >= 95 * due) AS days_met, count(*) AS days_judged
FROM days GROUP BY ALL
"""
"""The bare query: days met of days with something due, per service and month."""


def step_generate(work: Path, rows: int) -> dict[str, Any]:
    """The warehouse as ingest leaves it before the measures: catalog, a load, the cases."""
    con = duckdb.connect(str(work / "base.duckdb"))
    create_schema(con)
    write_catalog(con, [load_source(BOSTON_ENTRY)])
    con.execute(
        "INSERT INTO loads (load_id, source_id, file_name, sha256, rows_read, rows_loaded, "
        "rows_rejected, started_at, finished_at, status) VALUES (1, 'boston-311', 'bench.csv', "
        "'0', $n, $n, 0, TIMESTAMP '2016-01-15', TIMESTAMP '2016-01-15', 'loaded')",
        {"n": rows},
    )
    subjects, types = [s for s, _ in SERVICES], [t for _, t in SERVICES]
    params = {"rows": rows, "subjects": subjects, "types": types, "n": len(SERVICES)}
    con.execute(GENERATE, params)
    case_store.commit(con, case_store.store_dir(work / "base.duckdb"))
    count = con.execute("SELECT count(*) FROM cases").fetchall()[0][0]
    con.close()
    return {"cases": count}


def copy_of_base(work: Path, name: str) -> duckdb.DuckDBPyConnection:
    """A writer on a fresh copy of the base warehouse, with ingest's memory limit."""
    path = work / f"{name}.duckdb"
    shutil.copyfile(work / "base.duckdb", path)
    return duckdb.connect(str(path), config={"memory_limit": get_settings().ingest_memory_limit})


def step_query(work: Path) -> dict[str, Any]:
    """The single days-met aggregate over the cases, fully fetched."""
    con = copy_of_base(work, "query")
    started, cpu = time.perf_counter(), time.process_time()
    rows = con.execute(DAYS_MET_QUERY).fetchall()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    con.close()
    return {"timed": seconds, "cpu_s": round(cpu, 3), "rows": len(rows)}


def step_build(work: Path) -> dict[str, Any]:
    """metrics.build.build_measures, every measure table rebuilt, committed on disk."""
    con = copy_of_base(work, "build")
    started, cpu = time.perf_counter(), time.process_time()
    build_measures(con)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    counts = con.execute(
        "SELECT (SELECT count(*) FROM service_days), (SELECT count(*) FROM judgements)"
    ).fetchall()[0]
    con.close()
    return {"timed": seconds, "cpu_s": round(cpu, 3), "service_days": counts[0],
            "judgements": counts[1]}  # fmt: skip


def statements() -> list[str]:
    """The build's SQL statements: MEASURES split up (build_measures runs it as one script),
    then met_records."""
    return [st for st in re.split(r";\s*\n", MEASURES) if st.strip()] + [MET_RECORDS]


def operators(con: duckdb.DuckDBPyConnection, statement: str, out: Path) -> list[list[Any]]:
    """Run a statement under DuckDB's profiler (what EXPLAIN ANALYZE shows): its two slowest
    operators as [seconds, operator, rows]."""
    out.unlink(missing_ok=True)
    con.execute("PRAGMA enable_profiling = 'json'")
    con.execute(f"PRAGMA profiling_output = '{out}'")
    con.execute(statement)
    con.execute("PRAGMA disable_profiling")
    found: list[list[Any]] = []

    def walk(node: dict[str, Any]) -> None:
        found.append([node.get("timing", 0.0), node.get("type"), node.get("intermediate_rows")])
        for child in node.get("children", []):
            walk(child)

    # Statements without a plan to profile (CREATE MACRO) leave no file.
    for node in json.loads(out.read_text())["operator"] if out.exists() else []:
        walk(node)
    return sorted(found, key=lambda f: -f[0])[:2]


def step_profile(work: Path) -> dict[str, Any]:
    """Each build statement on its own with its slowest operators, then the Python steps."""
    con = copy_of_base(work, "profile")
    timings = []
    for statement in statements():
        started = time.perf_counter()
        top = operators(con, statement, work / "profile.json")
        label = " ".join(re.sub(r"--[^\n]*", "", statement).split())[:80]
        timings.append((label, time.perf_counter() - started, top))
    after_sql: dict[str, Callable[[], object]] = {
        "league.band_league: bands and ranks (Python)": lambda: band_league(con, 10),
        "series._charts: SPC of every monthly series (Python)": lambda: _charts(con),
    }
    for label, step in after_sql.items():
        started = time.perf_counter()
        step()
        timings.append((label, time.perf_counter() - started, []))
    started = time.perf_counter()
    build_measures(con)
    whole = time.perf_counter() - started
    con.close()
    return {"timings": timings, "whole": whole}


STEPS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "generate": lambda a: step_generate(a.work, a.rows),
    "query": lambda a: step_query(a.work),
    "build": lambda a: step_build(a.work),
    "profile": lambda a: step_profile(a.work),
}


def measure(step: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run `step` in a child process; add its own peak RSS from wait4's rusage."""
    command = [sys.executable, __file__, "--step", step, "--work", str(args.work)]
    proc = subprocess.Popen([*command, "--rows", str(args.rows)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"step {step!r} failed")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    (args.work / f"{step}.duckdb").unlink(missing_ok=True)
    return result


def environment() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.node()}: {os.cpu_count()} cores, {mem:.1f} GiB RAM, load average {load}; "
        f"DuckDB {duckdb.__version__}, Python {platform.python_version()}"
    )


def report(name: str, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Print a step's runs; return the fastest, with the worst peak RSS of them all."""
    best = min(runs, key=lambda r: r["timed"])
    peak = max(r["peak_mb"] for r in runs)
    times = "/".join(f"{r['timed']:.3f}" for r in runs)
    extra = ", ".join(f"{k}={v}" for k, v in best.items() if k not in ("timed", "peak_mb"))
    print(f"{name:<44} best {best['timed']:>7.3f} s  (runs {times})  peak RSS {peak:>5.0f} MB"
          f"  {extra}")  # fmt: skip
    return best


def print_profile(profile: dict[str, Any]) -> None:
    print(f"\nProfile: build_measures {profile['whole']:.3f} s in one go; each step alone, "
          "with its slowest operators (DuckDB profiler):")  # fmt: skip
    for label, seconds, top in sorted(profile["timings"], key=lambda t: -t[1]):
        ops = "; ".join(f"{op} {t:.3f} s, {rows:,} rows" for t, op, rows in top)
        print(f"{seconds:>8.3f} s  {label}" + (f"\n            {ops}" if ops else ""))


def parent(args: argparse.Namespace) -> None:
    print(f"before: {environment()}")
    made = measure("generate", args)
    print(f"generated {made['cases']:,} cases in {made['timed']:.1f} s\n")
    runs: dict[str, list[dict[str, Any]]] = {"query": [], "build": []}
    for _ in range(args.repeat):
        for step, done in runs.items():
            done.append(measure(step, args))
    query = report("(b) single days-met aggregate query", runs["query"])
    build = report("(a) full recompute: build_measures", runs["build"])
    ratio = build["timed"] / query["timed"]
    verdict = "met" if ratio <= RATIO_TARGET else "MISSED"
    target = f"target <= {RATIO_TARGET:g}x"
    print(f"\nfull recompute / single query = {ratio:.1f}x ({target}): {verdict}")
    print(f"after:  {environment()}")
    if args.profile:
        print_profile(measure("profile", args))


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the measures against one query.")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; best kept")
    parser.add_argument("--tmp", type=Path, default=None, help="where the temp folder goes")
    parser.add_argument("--profile", action="store_true", help="time and EXPLAIN each statement")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        started = time.perf_counter()
        result = STEPS[args.step](args)
        print(json.dumps({"timed": time.perf_counter() - started, **result}))
        return
    args.work = Path(tempfile.mkdtemp(prefix="bench-metrics-", dir=args.tmp))
    try:
        parent(args)
    finally:
        shutil.rmtree(args.work)


if __name__ == "__main__":
    main()
