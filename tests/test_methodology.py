"""Every measure, standard field and setting is described on the methodology page."""

from __future__ import annotations

import duckdb
from playwright.sync_api import expect

from metrics.definitions import MEASURES, STANDARD_FIELDS, TABLES
from settings import Settings
from tests.browser import chromium


def test_every_setting_and_definition_is_on_the_page(site: str) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{site}/methodology")
        expect(page.locator("h1")).to_have_text("How we judge whether a standard was met")
        text = page.locator("main").inner_text()
    for name, field in Settings.model_fields.items():
        assert f"TRACKER_{name.upper()}" in text
        assert field.description and field.description in text
    for term, definition in [*MEASURES.items(), *STANDARD_FIELDS.items(), *TABLES.items()]:
        assert term in text and definition in text
    assert "Set by this tracker: Boston sets a target time" in text
    assert "≤ 420 seconds" in text


def test_every_measure_table_is_defined(bundled_con: duckdb.DuckDBPyConnection) -> None:
    tables = bundled_con.sql(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1"
    ).fetchall()
    ingest_owned = {
        *("meta", "sources", "standards", "loads", "load_notes", "cases", "observations"),
        "rejects",
        "replaced_observations",
        "source_files",
        *("services", "service_volumes", "service_stages", "measure_catalog", "peer_groups"),
        "lineage",
        *("case_parts", "case_load_months", "retired_parts", "case_replacements"),
    }
    assert {t for (t,) in tables} - ingest_owned == set(TABLES)
