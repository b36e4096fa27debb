"""Small helpers several test modules share: HTTP fetches, colour contrast, warehouse reads."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import duckdb


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def luminance(rgb: tuple[float, ...]) -> float:
    """WCAG relative luminance of an sRGB colour given as 0-1 channels."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two computed CSS colours ('rgb(0, 112, 60)')."""
    lighter, darker = sorted((luminance(parse_rgb(a)), luminance(parse_rgb(b))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def parse_rgb(colour: str) -> tuple[float, ...]:
    """The 0-1 channels of a computed CSS colour."""
    return tuple(int(n) / 255 for n in re.findall(r"[\d.]+", colour)[:3])


def query(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of `sql` from a warehouse file, opened read-only and closed again."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()
