"""Downloads over real HTTP from real gunicorn: complete, pinned columns, clear 400s."""

from __future__ import annotations

import csv
import io

import pytest

from tests.helpers import fetch

RECORDS_COLUMNS = [
    "jurisdiction",
    "organisation",
    "service",
    "standard_id",
    "standard",
    "period_start",
    "period_end",
    "grain",
    "numerator",
    "numerator_status",
    "denominator",
    "denominator_status",
    "value",
    "value_status",
    "target",
    "target_status",
    "comparator",
    "status",
    "standard_set_by",
    "unit",
]


STATUS = RECORDS_COLUMNS.index("status")


def test_records_csv_is_complete_and_pinned(site: str) -> None:
    status, headers, body = fetch(f"{site}/download/records.csv?jurisdiction=boston")
    assert status == 200
    assert headers["Content-Disposition"] == "attachment; filename=boston-records.csv"
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == RECORDS_COLUMNS
    assert int(headers["X-Row-Count"]) == len(rows) - 1
    july = [
        r[STATUS]
        for r in rows[1:]
        if r[2] == "Street Light Outages" and r[5].startswith("2015-07-")
    ]
    # The check value: 1 day met, 22 not met, 8 with nothing due.
    assert (july.count("met"), july.count("not_met"), july.count("not_applicable")) == (1, 22, 8)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "?colour=blue",
            "Unknown parameter(s): colour. "
            "Allowed: jurisdiction, organisation, service, standard, from, to.",
        ),
        ("?jurisdiction=atlantis", "jurisdiction must be one of: boston, "),
    ],
)
def test_bad_parameters_get_400_saying_what_is_allowed(site: str, query: str, message: str) -> None:
    status, _, body = fetch(f"{site}/download/records.csv{query}")
    assert status == 400
    assert body.decode().startswith(message)
