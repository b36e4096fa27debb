"""Judgements built by the real ingest: independent of row order, and against the version of
a standard in force for each period."""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.catalog import Source
from ingest.run import run
from metrics import queries
from tests.conftest import FIXTURES, boston_mini_source

MINI = (FIXTURES / "boston-mini" / "cases.csv").read_text(encoding="utf-8").splitlines()
PWD = "boston-public-works-department"
TABLES = ("judgements", "days_met", "met_records", "league", "spc_verdicts")


def build(lines: list[str], folder: Path, source: Source | None = None) -> Path:
    """A warehouse from a Boston-format file of these lines, by the real ingest."""
    (folder / "boston-mini").mkdir()
    (folder / "boston-mini" / "cases.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    warehouse = folder / "tracker.duckdb"
    run([source or boston_mini_source()], folder, warehouse)
    return warehouse


def contents(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the measure tables, in a fixed order."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {t: con.sql(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    finally:
        con.close()


@functools.cache
def as_published() -> dict[str, list[tuple[object, ...]]]:
    """The measure tables built from the fixture in its own order (built once)."""
    with tempfile.TemporaryDirectory() as folder:
        return contents(build(MINI, Path(folder)))


@settings(max_examples=8, deadline=None)
@given(st.permutations(MINI[1:]))
def test_judgements_do_not_depend_on_the_order_rows_arrive_in(rows: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        shuffled = contents(build([MINI[0], *rows], Path(folder)))
    assert shuffled == as_published()
    assert len(shuffled["judgements"]) == 20  # 2 services x 1-10 March


def case(n: int, opened: str, target: str, closed: str) -> str:
    """A Street Light Outages row of the Boston layout (times as MM/DD HH:MM, 2015)."""
    fields = MINI[1].split(",")

    def stamp(text: str) -> str:
        return dt.datetime.strptime(f"2015/{text}", "%Y/%m/%d %H:%M").strftime(
            "%m/%d/%Y %I:%M:%S %p"
        )

    fields[0:5] = [str(n), str(7000 + n), stamp(opened), stamp(target), stamp(closed)]
    return ",".join(fields)


def two_versions() -> Source:
    """Boston's standard at 95% until February 2015, then a second version at 80%."""
    source = boston_mini_source()
    first = source.standards[0].model_copy(update={"valid_to": dt.date(2015, 2, 28)})
    second = first.model_copy(
        update={
            "wording": "80% of requests due each day closed by their target time",
            "target_percent": Decimal(80),
            "valid_from": dt.date(2015, 3, 1),
            "valid_to": None,
        }
    )
    return source.model_copy(update={"standards": [first, second]})


def test_each_period_is_judged_against_the_version_in_force(tmp_path: Path) -> None:
    # On 10 Feb and 10 March: 5 due, 4 on time (80%). On 11 Feb: 1 of 1; on 11 March: 3 of 5.
    on_time, late = "{}/{} 08:00", "{}/{} 09:00"
    rows: list[str] = []
    days = ((2, 10, 4, 5), (2, 11, 1, 1), (3, 10, 4, 5), (3, 11, 3, 5))
    for month, day, n_on_time, n_due in days:
        opened, target = f"{month}/{day - 1} 10:00", f"{month}/{day} 08:30"
        for i in range(n_due):
            closed = (on_time if i < n_on_time else late).format(month, day)
            rows.append(case(len(rows) + 1, opened, target, closed))
    con = duckdb.connect(str(build([MINI[0], *rows], tmp_path, two_versions())), read_only=True)
    judged = con.sql(
        "SELECT period_start, standard_version, numerator, denominator, target, status "
        "FROM judgements WHERE status <> 'not_applicable' ORDER BY period_start"
    ).fetchall()
    assert judged == [
        # version 1, 95%: 4 x 100 = 400 < 95 x 5 = 475, missed; 1 of 1 met.
        (dt.date(2015, 2, 10), 1, 4, 5, 0.95, "not_met"),
        (dt.date(2015, 2, 11), 1, 1, 1, 0.95, "met"),
        # version 2, 80%: 400 >= 80 x 5 = 400, met exactly; 300 < 400, missed.
        (dt.date(2015, 3, 10), 2, 4, 5, 0.8, "met"),
        (dt.date(2015, 3, 11), 2, 3, 5, 0.8, "not_met"),
    ]
    # The series runs from 1 February to 11 March (data_as_of: the last close, 11 March 09:00).
    counts = con.sql("SELECT count(*), min(period_start), max(period_start) FROM judgements")
    assert counts.fetchall() == [(39, dt.date(2015, 2, 1), dt.date(2015, 3, 11))]
    february = queries.days_met_records(PWD, dt.date(2015, 2, 1), con).row(0, named=True)
    march = queries.days_met_records(PWD, dt.date(2015, 3, 1), con).row(0, named=True)
    assert february["headline"] == "Met its standard on 1 of 2 days in February 2015"
    assert march["headline"] == "Met its standard on 1 of 2 days in March 2015"
    con.close()
