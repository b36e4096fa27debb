"""Download the files a source declares by URL: conditional GET, so unchanged files stay put.

ETag and Last-Modified of each download are kept in `.fetch-state.json` beside the files;
ingest then loads only files whose sha256 it has not loaded before.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from ingest.catalog import Source

STATE = ".fetch-state.json"


@dataclass(frozen=True)
class Fetched:
    url: str
    path: Path
    status: str  # downloaded | not modified


def target(source: Source, data_dir: Path, url: str) -> Path:
    """Where a URL's file goes: the folder of the source's file pattern, by the URL's name."""
    folder = data_dir / PurePosixPath(source.file.pattern).parent
    name = PurePosixPath(urlsplit(url).path).name
    if not name:
        raise ValueError(f"{source.id}: cannot name a file after {url!r}")
    return folder / name


def fetch_one(url: str, path: Path, state: dict[str, dict[str, str]], timeout: float) -> Fetched:
    """GET the URL unless the server says it is unchanged since the last download."""
    headers = {"User-Agent": "service-standards-tracker"}
    seen = state.get(url, {})
    if path.exists() and seen.get("etag"):
        headers["If-None-Match"] = seen["etag"]
    if path.exists() and seen.get("last_modified"):
        headers["If-Modified-Since"] = seen["last_modified"]
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            part = path.with_name(f".{path.name}.part")
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(part, "wb") as out:
                while block := response.read(1 << 20):
                    out.write(block)
            os.replace(part, path)
            state[url] = {
                k: v
                for k, v in (
                    ("etag", response.headers.get("ETag")),
                    ("last_modified", response.headers.get("Last-Modified")),
                )
                if v
            }
            return Fetched(url, path, "downloaded")
    except urllib.error.HTTPError as err:
        if err.code == 304:
            return Fetched(url, path, "not modified")
        raise


def fetch(source: Source, data_dir: Path, timeout: float = 60) -> list[Fetched]:
    """Fetch every URL the source declares, keeping validators for the next conditional GET."""
    results: list[Fetched] = []
    for url in source.urls:
        path = target(source, data_dir, url)
        state_path = path.parent / STATE
        state = json.loads(state_path.read_text()) if state_path.exists() else {}
        results.append(fetch_one(url, path, state, timeout))
        state_path.write_text(json.dumps(state, indent=2, sort_keys=True))
    return results
