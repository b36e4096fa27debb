"""Charts as files: PNG and SVG drawn by kaleido in Debian's Chromium from the same figure as
the page, with the title, period and source in the image; the embed page and its framing
rules; the links beside each chart. Against real gunicorn on the bundled warehouse."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

import duckdb

from dashboard.api import chart_files
from dashboard.api.chart_views import chart_view
from metrics.cache import current_version
from tests.helpers import fetch

SVG = "{http://www.w3.org/2000/svg}"
FUNNEL = "/chart/league.{}?jurisdiction=boston&month=2015-07"
PORTSMOUTH = "nhs-england-portsmouth-hospitals-university-nhs-trust"
SPC = f"/chart/department/{PORTSMOUTH}/nhs-ae-4-hours.{{}}"


def png_size(body: bytes) -> tuple[int, int]:
    """A PNG's width and height from its IHDR chunk, after checking the signature."""
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    assert body[12:16] == b"IHDR"
    width, height = struct.unpack(">II", body[16:24])
    return width, height


def svg_texts(body: bytes, kind: str) -> list[str]:
    """The text of each SVG <text> of a class ('gtitle', 'annotation-text'), lines joined."""
    root = ET.fromstring(body)
    assert root.tag == SVG + "svg"
    return [
        " ".join(t.text or "" for t in el) or (el.text or "")
        for el in root.iter(SVG + "text")
        if el.get("class") == kind
    ]


def test_funnel_as_png_and_svg_with_title_period_and_source(
    site: str, bundled_con: duckdb.DuckDBPyConnection
) -> None:
    # By hand from the league table: Boston, July 2015, every row banded is within the range.
    banded, outside = bundled_con.sql(
        """SELECT count(band), count(band) FILTER (WHERE band <> 'within expected range')
           FROM league WHERE jurisdiction = 'Boston' AND month = DATE '2015-07-01'"""
    ).fetchall()[0]
    assert (banded, outside) == (5, 0)
    status, headers, png = fetch(site + FUNNEL.format("png"))
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert png_size(png) == (1920, 1280)  # 960 x 640, drawn at twice the scale
    status, headers, svg = fetch(site + FUNNEL.format("svg"))
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    assert headers["X-Warehouse-Version"]
    title = (
        f"None of the {banded} Boston organisations compared was outside the expected range "
        "in July 2015, once chance and the usual spread between organisations are allowed for"
    )
    assert svg_texts(svg, "gtitle") == [title]
    assert svg_texts(svg, "annotation-text") == [
        "July 2015. Source: City of Boston, Boston 311 service requests; Service Standards Tracker"
    ]


def test_spc_chart_as_png_and_svg(site: str, bundled_con: duckdb.DuckDBPyConnection) -> None:
    # By hand from the judgements: every month of Portsmouth's 4-hour standard missed 95%.
    judged, met, highest, first, last = bundled_con.sql(
        """SELECT count(*), count(*) FILTER (WHERE status = 'met'), max(value),
                  strftime(min(period_start), '%B %Y'), strftime(max(period_start), '%B %Y')
           FROM judgements WHERE org_slug = $o AND standard_id = 'nhs-ae-4-hours'
                AND org_level = 'organisation' AND status IN ('met', 'not_met')""",
        params={"o": PORTSMOUTH},
    ).fetchall()[0]
    assert highest < 0.95  # so its process limits sit below the target too: it consistently fails
    status, _, png = fetch(site + SPC.format("png"))
    assert status == 200 and png_size(png) == (1920, 1280)
    status, _, svg = fetch(site + SPC.format("svg"))
    assert status == 200
    assert svg_texts(svg, "gtitle") == [
        f"Met the standard in {met} of {judged} months; performance is consistently short of the "
        "target"
    ]
    [note] = svg_texts(svg, "annotation-text")
    assert f"{first} to {last}. Source: NHS England" in note.replace("  ", " ")
    assert note.endswith("Service Standards Tracker")


def test_a_chart_is_drawn_once_per_warehouse_version(bundled_reader: None) -> None:
    view = chart_view("league", {"jurisdiction": "boston", "month": "2015-07"})
    try:
        first = chart_files.image_bytes(view, "svg")
        assert chart_files.image_bytes(view, "svg") is first  # from the cache, not redrawn
        assert chart_files.FILES.get(current_version(), view.address.file("svg")) == (True, first)
        chart_files.FILES.put(("an older", "version"), "other", b"")  # a publish empties it
        assert chart_files.FILES.get(current_version(), view.address.file("svg")) == (False, None)
    finally:
        chart_files.RENDERER.stop()


def test_unknown_charts_are_404_naming_the_scheme(site: str) -> None:
    for path in (
        "/chart/league.svg?jurisdiction=atlantis&month=2015-07",
        f"/chart/department/{PORTSMOUTH}/no-such-standard.png",
        "/chart/nothing.svg",
        "/embed/nothing",
    ):
        status, _, body = fetch(site + path)
        assert status == 404, path
        assert b"/chart/league.<png|svg>" in body
    assert fetch(site + FUNNEL.format("gif"))[0] == 404


def test_embed_page_may_be_framed_and_no_other_page_may(site: str) -> None:
    status, headers, body = fetch(site + "/embed/league?jurisdiction=boston&month=2015-07")
    assert status == 200
    assert "X-Frame-Options" not in headers
    assert "frame-ancestors *" in headers["Content-Security-Policy"]
    page = body.decode()
    assert '<img src="/chart/league.svg?jurisdiction=boston&amp;month=2015-07"' in page
    assert 'alt="None of the 5 Boston organisations compared' in page
    assert "Source: City of Boston, Boston 311 service requests" in page
    for path in ("/?jurisdiction=boston&month=2015-07", FUNNEL.format("svg")):
        _, headers, _ = fetch(site + path)
        assert headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path


def test_each_chart_on_a_page_links_its_files_and_embed_code(site: str) -> None:
    _, _, body = fetch(site + "/?jurisdiction=boston&month=2015-07")
    html = body.decode()
    query = "?jurisdiction=boston&amp;month=2015-07"
    assert f'href="/chart/league.png{query}"' in html
    assert f'href="/chart/league.svg{query}"' in html
    assert "Download this chart: " in html
    # The embed code as text in a read-only box: its own '&amp;' escaped once more in the HTML.
    embed = r'&lt;iframe src="http://127\.0\.0\.1:\d+/embed/league\?jurisdiction=boston&amp;amp;'
    assert re.search(embed + "month=2015-07", html)
    _, _, body = fetch(site + f"/department/{PORTSMOUTH}")
    html = body.decode()
    for standard in ("nhs-ae-4-hours", "nhs-ae-type-1-4-hours"):
        assert f'href="/chart/department/{PORTSMOUTH}/{standard}.svg"' in html
