"""Debian's LibreOffice Calc, headless, opens our spreadsheets with accents, curly quotes and
numbers intact: each xlsx, converted to CSV by `soffice --convert-to`, holds the same cells
as the site's own CSV of the view (a double-click in Calc reads the same file)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import fetch

# Comma, double quote, UTF-8 (76), first line 1, ..., cell contents at full precision rather
# than as shown (false), every sheet to its own file (-1).
FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
ACOA = "government-of-canada-atlantic-canada-opportunities-agency"


def converted(site: str, view: str, tmp_path: Path) -> dict[str, list[list[str]]]:
    """The xlsx of a view as LibreOffice reads it: each sheet's rows."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Calc is missing: `make office-deps` installs it"
    status, _, body = fetch(f"{site}/download/{view}")
    assert status == 200
    book = tmp_path / "view.xlsx"
    book.write_bytes(body)
    profile = (tmp_path / "profile").as_uri()  # a fresh profile: no first-run dialogues
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", FILTER,
         "--outdir", str(tmp_path / "out"), str(book)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return {
        path.stem.removeprefix("view-"): list(csv.reader(path.open(encoding="utf-8", newline="")))
        for path in (tmp_path / "out").glob("view-*.csv")
    }


def site_csv(site: str, view: str) -> list[list[str]]:
    _, _, body = fetch(f"{site}/download/{view}")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def same_cell(calc: str, ours: str) -> bool:
    """Text equal as it is; a number equal to 12 significant figures (Calc writes 15; a share
    stored as a fraction comes out formatted as a percentage: '77.2727272727273%')."""
    if calc == ours:
        return True
    try:
        number = float(calc[:-1]) / 100 if calc.endswith("%") else float(calc)
        return number == pytest.approx(float(ours), rel=1e-12, abs=1e-15)
    except ValueError:
        return False


def assert_same_table(calc: list[list[str]], ours: list[list[str]]) -> None:
    assert calc[0] == ours[0]
    assert len(calc) == len(ours)
    for row, (got, want) in enumerate(zip(calc, ours, strict=True)):
        bad = [(ours[0][i], g, w) for i, (g, w) in enumerate(zip(got, want, strict=True))
               if not same_cell(g, w)]  # fmt: skip
        assert bad == [], f"row {row}"


def test_calc_reads_a_league_workbook_cell_for_cell(site: str, tmp_path: Path) -> None:
    view = "league.{}?jurisdiction=government-of-canada&month=2023-04"
    sheets = converted(site, view.format("xlsx"), tmp_path)
    assert set(sheets) == {"Data", "About"}
    ours = site_csv(site, view.format("csv"))
    assert_same_table(sheets["Data"], ours)
    first = dict(zip(ours[0], sheets["Data"][1], strict=True))
    assert first["period"] == "fiscal year 2023-24" and first["month"] == "2023-04-01"
    # Numbers came through as numbers (a percentage is a formatted number, not text).
    assert first["performance"].endswith("%") and int(first["periods_judged"]) > 0


def test_calc_keeps_curly_quotes_and_dashes_in_canadas_wording(site: str, tmp_path: Path) -> None:
    view = f"records.{{}}?organisation={ACOA}"
    sheets = converted(site, view.format("xlsx"), tmp_path)
    ours = site_csv(site, view.format("csv"))
    assert_same_table(sheets["Data"], ours)
    wording = {r[ours[0].index("standard")] for r in sheets["Data"][1:]}
    # In the published file (ss_2024.csv), ACOA's standard reads "...as per the program’s
    # requirements." with a right single quotation mark (U+2019), as a reader sees it.
    assert any("the program\u2019s requirements" in w for w in wording)
    assert not any("â€" in w for w in wording)
    sources = [r[1] for r in sheets["About"] if len(r) > 1 and r[0] == "Source"]
    assert any("Treasury Board of Canada Secretariat" in s for s in sources)
