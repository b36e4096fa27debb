"""Request limits on the real site: body size (413), callback shape (400), bundle paths (404)."""

from __future__ import annotations

import http.client
import json
import urllib.parse
from pathlib import Path

import duckdb

from ingest.run import run
from tests.conftest import FIXTURES, boston_mini_source


def raw(base: str, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    """A request sent as written (no client-side path clean-up), status and body."""
    url = urllib.parse.urlsplit(base)
    con = http.client.HTTPConnection(url.hostname or "", url.port, timeout=60)
    headers = {"Content-Type": "application/json"} if body else {}
    con.request(method, path, body=body or None, headers=headers)
    response = con.getresponse()
    status, data = response.status, response.read()
    con.close()
    return status, data


def sent_until_refused(base: str, path: str, body: bytes) -> tuple[int, bytes]:
    """POST a large body as a client does, in pieces; a server may answer (413) and close
    before it has all of it, so a broken pipe ends the sending, not the test."""
    url = urllib.parse.urlsplit(base)
    con = http.client.HTTPConnection(url.hostname or "", url.port, timeout=60)
    con.putrequest("POST", path)
    con.putheader("Content-Type", "application/json")
    con.putheader("Content-Length", str(len(body)))
    con.endheaders()
    try:
        for start in range(0, len(body), 1 << 16):
            con.send(body[start : start + (1 << 16)])
    except (BrokenPipeError, ConnectionResetError):
        pass
    response = con.getresponse()
    status, data = response.status, response.read()
    con.close()
    return status, data


def test_a_10_mb_callback_body_is_413(site: str) -> None:
    body = json.dumps({"output": "x", "inputs": [], "pad": "a" * (10 << 20)}).encode()
    status, text = sent_until_refused(site, "/_dash-update-component", body)
    assert status == 413
    assert b"limited to 524288 bytes" in text


def test_malformed_callback_bodies_are_400(site: str) -> None:
    for body in (b"{}", b"[]", b"null", b"not json", b'{"output": "nope.children", "inputs": []}'):
        status, text = raw(site, "POST", "/_dash-update-component", body)
        assert status == 400, body
        assert text.startswith(b"Malformed callback: ")


def test_unknown_component_suite_paths_are_404(site: str) -> None:
    for path in (
        "/_dash-component-suites/../../settings.py",
        "/_dash-component-suites/dash/nonexistent.js",
        "/_dash-component-suites/nosuchpackage/x.js",
    ):
        assert raw(site, "GET", path)[0] == 404, path


def test_a_case_closed_or_due_before_it_was_opened_is_rejected_naming_both(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "boston-mini"
    folder.mkdir()
    lines = (FIXTURES / "boston-mini" / "cases.csv").read_text().splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    row = lines[1].rstrip("\r\n").split(",")
    opened, closed, due = (header.index(c) for c in ("OPEN_DT", "CLOSED_DT", "TARGET_DT"))
    early = row.copy()
    early[closed] = "01/01/2014 12:00:00 AM"  # closed 2014-01-01, opened in 2015
    early[due] = ""
    (folder / "cases.csv").write_text(lines[0] + ",".join(early) + "\n")
    warehouse = tmp_path / "w.duckdb"
    summary = run([boston_mini_source()], tmp_path, warehouse)
    assert summary.files[0].counts is not None
    assert summary.files[0].counts.rows_rejected == 1
    con = duckdb.connect(str(warehouse), read_only=True)
    rejects = con.sql("SELECT file_name, row_number, column_name, value, reason FROM rejects")
    assert rejects.fetchall() == [
        ("cases.csv", 2, "CLOSED_DT", "01/01/2014 12:00:00 AM",
         "closed before it was opened (OPEN_DT)")
    ]  # fmt: skip
    con.close()
    assert row[opened] != ""
