"""Benchmark: our full ingest of a 5,000,000-row Boston 311 file against DuckDB's bare read.

Each step runs in its own subprocess, so its peak RSS (VmHWM, via wait4) is its own.
Targets (issue): ours <= 1.5x the bare all_varchar read; every step's peak RSS < 2 GB.
Run with `make bench-ingest`; `--profile always` also times every SQL statement of ours.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import duckdb

from ingest.catalog import CaseSource, Source, load_source
from ingest.publish import next_warehouse, swap_in
from ingest.read import (
    literal,
)
from ingest.run import load_new_file, run, sha256_of, write_catalog
from ingest.schema import create_schema
from metrics.build import MEASURES, build_measures
from metrics.case_facts import build_case_facts
from settings import ROOT

ROWS = 5_000_000
RATIO_TARGET = 1.5
MEMORY_LIMIT = "1GB"
"""DuckDB memory_limit tried in the profile, to see whether spilling meets the memory target."""
MEMORY_TARGET_MB = 2048
FIXTURE = ROOT / "tests" / "fixtures" / "boston-mini" / "cases.csv"
BOSTON_ENTRY = ROOT / "catalog" / "boston-311.toml"
CSV = "{}/bench/cases.csv"
"""The generated file under the work folder; the catalog entry is pointed at bench/*.csv."""

# (SUBJECT, TYPE, REASON, QUEUE, Department): the 16 services of the bundled 2015 files.
SERVICES = (
    ("Boston Water & Sewer Commission", "Catchbasin", "Catchbasin", "BWSC_All Cases", "BWSC"),
    ("Inspectional Services", "Building Inspection Request", "Building",
     "ISD_Building (INTERNAL)", "ISD"),
    ("Inspectional Services", "Heat - Excessive  Insufficient", "Housing",
     "ISD_Housing (INTERNAL)", "ISD"),
    ("Inspectional Services", "Rodent Activity", "Environmental Services",
     "ISD_Environmental Services (INTERNAL)", "ISD"),
    ("Inspectional Services", "Unsafe Dangerous Conditions", "Building",
     "ISD_Building (INTERNAL)", "ISD"),
    ("Inspectional Services", "Unsatisfactory Living Conditions", "Housing",
     "ISD_Housing (INTERNAL)", "ISD"),
    ("Parks & Recreation Department", "Equipment Repair", "Park Maintenance & Safety",
     "PARK_Maintenance_Trades", "PARK"),
    ("Parks & Recreation Department", "Ground Maintenance", "Park Maintenance & Safety",
     "PARK_Maintenance_Region 5", "PARK"),
    ("Parks & Recreation Department", "Tree Maintenance Requests", "Trees",
     "PARK_Tree Maintenance Request", "PARK"),
    ("Property Management", "Graffiti Removal", "Graffiti", "PROP_GRAF_GraffitiRemoval", "PROP"),
    ("Public Works Department", "Misc. Snow Complaint", "Administrative & General Requests",
     "PWDx_District 07: South Dorchester", "PWDx"),
    ("Public Works Department", "Sidewalk Repair (Make Safe)", "Highway Maintenance",
     "PWDx_Highway Construction", "PWDx"),
    ("Public Works Department", "Street Light Outages", "Street Lights",
     "PWDx_Street Light Outages", "PWDx"),
    ("Transportation - Traffic Division", "Abandoned Vehicles",
     "Enforcement & Abandoned Vehicles", "BTDT_AVRS Interface Queue", "BTDT"),
    ("Transportation - Traffic Division", "Missing Sign", "Signs & Signals",
     "BTDT_Sign Shop_Sign Installation", "BTDT"),
    ("Transportation - Traffic Division", "Sign Repair", "Signs & Signals",
     "BTDT_Sign Shop_Sign Installation", "BTDT"),
)  # fmt: skip
HOODS = ("Dorchester", "Roxbury", "South Boston", "Jamaica Plain", "East Boston",
         "Charlestown", "Hyde Park", "Fenway / Kenmore / Audubon Circle / Longwood")  # fmt: skip
STREETS = ("Ipswich St", "Spice St", "Forest Hills St", "Washington St", "Blue Hill Ave",
           "Dorchester Ave", "Centre St", "Tremont St", "Cheney St", "Hartwell St")  # fmt: skip
BAD_ROW = "(hash(8 * i + 2) >> 1)::BIGINT % 10000 = 7"
"""The ~0.01% of rows given one unreadable date (open, target or closed) each."""
CHANNELS = ("Constituent Call", "Citizens Connect App", "City Worker App", "Self Service",
            "Employee Generated")  # fmt: skip


def pick(options: tuple[str, ...], hash_column: str) -> str:
    """SQL choosing one of `options` by a hash column (DuckDB lists are 1-indexed)."""
    return f"[{', '.join(literal(o) for o in options)}][1 + {hash_column} % {len(options)}]"


def csv_columns(fmt: str) -> list[str]:
    """One SQL expression per column of the Boston header, in the file's order."""
    ts = literal(fmt)
    photo = "'https://mayors24.cityofboston.gov/media/boston/report/photos/' || md5(i::VARCHAR)"
    lat, lon = "round(42.23 + h2 % 1500 / 10000, 4)", "round(-71.17 + h3 % 1500 / 10000, 4)"
    return [
        "469452 + i", "101001240735 + i",
        f"CASE WHEN bad AND bad_col = 0 THEN '13/45/2015 09:00:00 AM' "
        f"ELSE strftime(opened, {ts}) END",
        f"CASE WHEN bad AND bad_col = 1 THEN '02/30/2015 08:30:00 AM' WHEN no_due THEN NULL "
        f"ELSE strftime(due, {ts}) END",
        f"CASE WHEN bad AND bad_col = 2 THEN '2015-07-04 10:00:00' WHEN still_open THEN NULL "
        f"ELSE strftime(closed, {ts}) END",
        "CASE WHEN no_due THEN NULL WHEN NOT still_open AND closed <= due THEN 'ONTIME' "
        "ELSE 'OVERDUE' END",
        "CASE WHEN still_open THEN 'Open' ELSE 'Closed' END",
        "CASE WHEN NOT still_open THEN 'Case Closed. Closed date : ' || "
        "strftime(closed, '%Y-%m-%d %H:%M:%S') || ' Case Resolved crew reports work done at "
        "location ' || h1 % 1000 || '.' END",
        *(pick(tuple(row[n] for row in SERVICES), "h5") for n in (1, 0, 2, 1, 3, 4)),
        f"CASE WHEN h1 % 100 < 29 THEN {photo} || '/report.jpg' END",
        f"CASE WHEN h1 % 100 = 99 THEN {photo} || '/closed.jpg' END",
        f"printf('%d %s  %s  MA  021%02d', 1 + h2 % 300, {pick(STREETS, 'h3')}, "
        f"{pick(HOODS, 'h2')}, h1 % 40)",
        "1 + h1 % 12 || '.0'",
        pick(("1A", "1B", "1C", "02", "03", "04", "05", "06", "07", "08", "09", "10A"), "h2"),
        "1 + h3 % 9 || '.0'",
        pick(("A1", "A7", "B2", "B3", "C6", "C11", "D4", "D14", "E5", "E13", "E18"), "h1"),
        pick(HOODS, "h2"), "1 + h3 % 15 || '.0'", "'Ward ' || 1 + h2 % 22",
        "100 + h3 % 2000 || '.0'", pick(("R1", "R2", "R3", "R4", "C", "CM", "E", "I"), "h3"),
        f"1 + h2 % 300 || ' ' || {pick(STREETS, 'h3')}", "'21' || h1 % 40 || '.0'",
        "'Address'", "h2 % 400000 || '.0'", lat, lon, pick(CHANNELS, "h1"),
        f"'(' || {lat} || ', ' || {lon} || ')'",
    ]  # fmt: skip


def generation_sql(rows: int, fmt: str) -> str:
    """A SELECT of `rows` Boston-layout rows: ~15% open, ~4% no target, ~0.01% bad dates.

    h1..h6 are independent pseudo-random columns (hashes of distinct integers), so the
    file is the same on every run.
    """
    columns = ",\n  ".join(f"({e})::VARCHAR AS c{n}" for n, e in enumerate(csv_columns(fmt)))
    return f"""
WITH hashed AS (
  SELECT i, {", ".join(f"(hash(8 * i + {k}) >> 1)::BIGINT AS h{k}" for k in range(1, 7))}
  FROM range({rows}) t(i)
), cases AS (
  SELECT *, TIMESTAMP '2015-01-01' + to_seconds(h4 % 31536000) AS opened,
         h6 % 100 < 4 AS no_due, h3 % 100 < 15 AS still_open,
         {BAD_ROW} AS bad, h1 % 3 AS bad_col
  FROM hashed
), timed AS (
  SELECT *, opened::DATE + INTERVAL (1 + h1 % 14) DAY + INTERVAL '8 hours 30 minutes' AS due,
         opened + to_seconds(60 + h2 % 2592000) AS closed
  FROM cases
)
SELECT {columns} FROM timed"""  # noqa: S608 - built from this file's constants only


# --- the steps, each run in its own subprocess -------------------------------------------


def boston_source(work: Path) -> Source:
    """The real Boston catalog entry, pointed at the generated file under `work`."""
    source = load_source(BOSTON_ENTRY)
    layout = source.file.model_copy(update={"pattern": "bench/*.csv"})
    return source.model_copy(update={"file": layout})


def step_generate(work: Path, rows: int) -> dict[str, Any]:
    """Write bench/cases.csv: the fixture's header line, then DuckDB's COPY of the rows."""
    source = boston_source(work)
    assert isinstance(source, CaseSource)
    header = FIXTURE.read_text(encoding="utf-8").splitlines()[0]
    assert len(header.split(",")) == 34, "the Boston header has 34 columns"
    body, target = work / "body.csv", Path(CSV.format(work))
    target.parent.mkdir(exist_ok=True)
    con = duckdb.connect()
    sql = generation_sql(rows, source.file.timestamp_format or "")
    con.execute(f"COPY ({sql}) TO {literal(str(body))} (HEADER false)")
    bad_rows = f"SELECT count(*) FROM range($rows) t(i) WHERE {BAD_ROW}"  # noqa: S608
    expected = con.execute(bad_rows, {"rows": rows}).fetchall()[0][0]
    con.close()
    # DuckDB cannot name a column "" (the file's first), so the header is written by hand.
    with open(target, "wb") as out, open(body, "rb") as rest:
        out.write(header.encode() + b"\n")
        shutil.copyfileobj(rest, out, 1 << 24)
    body.unlink()
    return {"rows": rows, "bytes": target.stat().st_size, "expected_rejects": int(expected)}


def step_bare(work: Path, variant: str) -> dict[str, Any]:
    """CREATE TABLE AS SELECT * FROM read_csv into a fresh on-disk file, checkpoint included."""
    db = work / f"bare-{variant}.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    options = {
        "varchar": "all_varchar = true",
        "inferred": "sample_size = 20480",  # DuckDB's default sample, stated
        "rejects": "store_rejects = true",
    }[variant]
    try:
        create = f"CREATE TABLE t AS SELECT * FROM read_csv($path, {options})"  # noqa: S608
        con.execute(create, {"path": CSV.format(work)})
        result = {"rows": con.execute("SELECT count(*) FROM t").fetchall()[0][0]}
        if variant == "rejects":
            result["rejected"] = con.execute("SELECT count(*) FROM reject_errors").fetchall()[0][0]
    except duckdb.Error as err:
        result = {"error": str(err).splitlines()[0][:120]}
    finally:
        con.close()  # closing checkpoints, as our publish does
        db.unlink()
    return result


def step_ours(work: Path, name: str = "tracker.duckdb") -> dict[str, Any]:
    """ingest.run.run: validation, provenance, rejects, measures rebuild, atomic publish."""
    warehouse = work / name
    warehouse.unlink(missing_ok=True)
    summary = run([boston_source(work)], work, warehouse)
    return {"published": summary.published, "files": [f.status for f in summary.files]}


def step_measures(work: Path) -> dict[str, Any]:
    """metrics.build.build_measures alone, on the warehouse `ours` built."""
    con = duckdb.connect(str(work / "tracker.duckdb"))
    build_measures(con)
    con.close()
    return {}


class TimedConnection:
    """Wraps a connection and records how long each `execute` takes (profile only)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con, self.timings = con, cast(list[tuple[str, float]], [])

    def execute(self, query: str, parameters: object = None) -> duckdb.DuckDBPyConnection:
        started = time.perf_counter()
        result = self.con.execute(query, parameters)
        label = " ".join(re.sub(r"--[^\n]*", "", query).split())
        self.timings.append((label, time.perf_counter() - started))
        return result

    def sql(self, query: str, **kwargs: Any) -> duckdb.DuckDBPyRelation:
        return self.con.sql(query, **kwargs)


def step_profile(work: Path) -> dict[str, Any]:
    """Our run, step by step, with every SQL statement timed (same code, wrapped connection)."""
    source, warehouse = boston_source(work), work / "profile.duckdb"
    warehouse.unlink(missing_ok=True)
    path = source.files(work)[0]
    marks: list[tuple[str, float]] = []
    with next_warehouse(warehouse) as (con, draft):
        timed = TimedConnection(con)
        create_schema(con)
        write_catalog(con, [source])
        started = time.perf_counter()
        sha256_of(path)
        marks.append(("sha256 of the file (Python hashlib, once more here)", since(started)))
        started = time.perf_counter()
        outcome = load_new_file(cast(duckdb.DuckDBPyConnection, timed), source, path)
        glue = since(started) - sum(s for _, s in timed.timings) - marks[0][1]
        marks.append(("load_new_file: Python outside SQL", glue))
        # The case facts MEASURES reads (each statement timed), built whole as on a first load.
        build_case_facts(cast(duckdb.DuckDBPyConnection, timed), None)
        # build_measures runs MEASURES as one script; split it to see each statement.
        for statement in re.split(r";\s*\n", MEASURES):
            if statement.strip():
                timed.execute(statement)
        started = time.perf_counter()
        swap_in(con, draft, warehouse)
        marks.append(("swap_in: CHECKPOINT, fsync, rename", since(started)))
    return {"status": outcome.status, "timings": timed.timings + marks}


def memory_limited(step: Callable[[Path, str], dict[str, Any]], name: str) -> Callable[..., Any]:
    """`step` with every DuckDB connection of this child process given MEMORY_LIMIT."""

    def limited(args: argparse.Namespace) -> dict[str, Any]:
        connect = duckdb.connect

        def connect_limited(*pos: Any, **kw: Any) -> duckdb.DuckDBPyConnection:
            con = connect(*pos, **kw)
            con.execute(f"SET memory_limit = {literal(MEMORY_LIMIT)}")
            return con

        duckdb.connect = connect_limited  # this child process only
        return step(args.work, name)

    return limited


def since(started: float) -> float:
    return time.perf_counter() - started


BARE, OURS = "bare read_csv all_varchar", "ours: ingest.run.run"
MEASURES_ALONE = "  of which measures alone"
STEPS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "generate": lambda a: step_generate(a.work, a.rows),
    BARE: lambda a: step_bare(a.work, "varchar"),
    "bare read_csv inferred": lambda a: step_bare(a.work, "inferred"),
    "bare inferred store_rejects": lambda a: step_bare(a.work, "rejects"),
    OURS: lambda a: step_ours(a.work),
    MEASURES_ALONE: lambda a: step_measures(a.work),
    "profile": lambda a: step_profile(a.work),
    f"ours, memory_limit {MEMORY_LIMIT}": memory_limited(step_ours, "ours-limited.duckdb"),
}
COMPARED = [BARE, "bare read_csv inferred", "bare inferred store_rejects", OURS, MEASURES_ALONE]
EXPERIMENTS = [f"ours, memory_limit {MEMORY_LIMIT}"]


def child(args: argparse.Namespace) -> None:
    """Run one step; print its wall and CPU seconds (all threads) and result as JSON."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = STEPS[args.step](args)
    timing = {"seconds": since(wall), "cpu": time.process_time() - cpu}
    print(json.dumps({**timing, **result}))


# --- the parent: run each step in a subprocess, then report ---------------------------------


@dataclass
class Measured:
    step: str
    seconds: float
    cpu: float
    peak_mb: float
    load_before: float
    result: dict[str, Any]


def measure(step: str, args: argparse.Namespace) -> Measured:
    """Run `step` in a child process; its own peak RSS comes from wait4's rusage."""
    command = [sys.executable, __file__, "--step", step, "--work", str(args.work)]
    load_before = os.getloadavg()[0]
    proc = subprocess.Popen([*command, "--rows", str(args.rows)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"step {step!r} failed with exit code {proc.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    seconds, cpu = float(result.pop("seconds")), float(result.pop("cpu"))
    return Measured(step, seconds, cpu, usage.ru_maxrss / 1024, load_before, result)


def best_of(runs: list[Measured]) -> Measured:
    """The fastest of a step's repeats (least disturbed by other work), with the worst peak."""
    best = min(runs, key=lambda m: m.seconds)
    best.peak_mb = max(m.peak_mb for m in runs)
    best.result["runs"] = "/".join(f"{m.seconds:.1f}" for m in runs)
    return best


def print_table(steps: list[Measured], bare: Measured) -> None:
    print(f"{'step':<29} {'seconds':>7} {'x bare':>6} {'CPU s':>6} {'x bare':>6} "
          f"{'peak RSS MB':>11} {'load1':>5}  note")  # fmt: skip
    for m in steps:
        note = m.result.get("error") or ", ".join(f"{k}={v}" for k, v in m.result.items())
        wall = f"{m.seconds / bare.seconds:.2f}" if m.step != "generate" else ""
        cpu = f"{m.cpu / bare.cpu:.2f}" if m.step != "generate" else ""
        print(f"{m.step:<29} {m.seconds:>7.1f} {wall:>6} {m.cpu:>6.1f} {cpu:>6} "
              f"{m.peak_mb:>11.0f} {m.load_before:>5.2f}  {note}")  # fmt: skip


def check_loads(work: Path, expected_rejects: int) -> None:
    """Rows read = loaded + rejected, from the built warehouse's `loads` table."""
    con = duckdb.connect(str(work / "tracker.duckdb"), read_only=True)
    loads = con.execute(
        "SELECT file_name, rows_read, rows_loaded, rows_rejected FROM loads ORDER BY load_id"
    ).fetchall()
    cases = con.execute("SELECT count(*) FROM cases").fetchall()[0][0]
    reasons = con.execute("SELECT reason, count(*) FROM rejects GROUP BY 1 ORDER BY 2 DESC")
    by_reason = reasons.fetchall()
    con.close()
    for name, read, loaded, rejected in loads:
        verdict = "OK" if read == loaded + rejected else "MISMATCH"
        print(f"loads: {name}: rows_read {read:,} = loaded {loaded:,} + rejected {rejected:,}"
              f" -> {verdict}; cases table holds {cases:,} rows")  # fmt: skip
    print(f"rejects expected from the generator: {expected_rejects:,}; by reason: {by_reason}")


def print_profile(profile: Measured, top: int = 25) -> None:
    timings = cast(list[list[Any]], profile.result["timings"])
    total = sum(float(s) for _, s in timings)
    print(f"\nProfile of ours, {profile.seconds:.1f} s in all (peak RSS {profile.peak_mb:.0f} MB);"
          f" statements by time:")  # fmt: skip
    for text, seconds in sorted(timings, key=lambda t: -float(t[1]))[:top]:
        share = 100 * float(seconds) / total
        print(f"{float(seconds):>8.2f} s {share:>5.1f}%  {text[:110]}")


def environment() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.node()}: {os.cpu_count()} cores, {mem:.1f} GiB RAM, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; DuckDB {duckdb.__version__}, "
        f"Python {platform.python_version()}"
    )


def parent(args: argparse.Namespace) -> None:
    print(f"before: {environment()}")
    generated = measure("generate", args)
    size = generated.result["bytes"] / 2**30
    print(f"generated {args.rows:,} rows, {size:.2f} GiB in {generated.seconds:.1f} s")
    # Repeats are interleaved, so a burst of other work does not land on one step only.
    runs = [[measure(name, args) for name in COMPARED] for _ in range(args.repeat)]
    steps = [generated, *(best_of([r[n] for r in runs]) for n in range(len(COMPARED)))]
    bare, ours = steps[1 + COMPARED.index(BARE)], steps[1 + COMPARED.index(OURS)]
    print(f"after:  {environment()}\n")
    print_table(steps, bare)
    ratio, peak = ours.seconds / bare.seconds, max(m.peak_mb for m in steps[1:])
    verdict = "met" if ratio <= RATIO_TARGET else "MISSED"
    print(f"\nours / bare all_varchar read = {ratio:.2f}x wall, {ours.cpu / bare.cpu:.2f}x CPU "
          f"(target <= {RATIO_TARGET}x): {verdict}")  # fmt: skip
    print(f"largest peak RSS = {peak:.0f} MB (target < {MEMORY_TARGET_MB} MB): "
          f"{'met' if peak < MEMORY_TARGET_MB else 'MISSED'}")  # fmt: skip
    check_loads(args.work, int(generated.result["expected_rejects"]))
    missed = ratio > RATIO_TARGET or peak >= MEMORY_TARGET_MB
    if args.profile == "always" or (args.profile == "auto" and missed):
        experiment(args, bare, ours)


def experiment(args: argparse.Namespace, bare: Measured, ours: Measured) -> None:
    """Where ours spends its time, and what a memory_limit would change."""
    print_profile(measure("profile", args))
    runs = [[measure(name, args) for name in EXPERIMENTS] for _ in range(args.repeat)]
    tried = [best_of([r[n] for r in runs]) for n in range(len(EXPERIMENTS))]
    print(f"\nThe same ingest.run.run with DuckDB's memory_limit at {MEMORY_LIMIT}:")
    print_table([bare, ours, *tried], bare)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark our ingest against a bare read.")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each step; best kept")
    parser.add_argument("--tmp", type=Path, default=None, help="where the temp folder goes")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument("--profile", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        child(args)
        return
    args.work = Path(tempfile.mkdtemp(prefix="bench-ingest-", dir=args.tmp))
    try:
        parent(args)
    finally:
        if args.keep:
            print(f"kept {args.work}")
        else:
            shutil.rmtree(args.work)


if __name__ == "__main__":
    main()
