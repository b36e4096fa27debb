"""Download the files a source declares by URL: conditional GET, so unchanged files stay put.

ETag, Last-Modified and the sha256 of each stored file are kept in `.fetch-state.json` beside
the files; ingest then loads only files whose sha256 it has not loaded before. A file is
stored gzip-compressed (with no timestamp, so the same bytes give the same file) when the
source's pattern expects `.gz`, as the bundled files are. A mirror laid out like `data/`
(one folder per pattern, files by their published names, uncompressed) can stand in for
the publishers: `python -m ingest fetch --mirror URL`, or the setting TRACKER_FETCH_MIRROR.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO
from urllib.parse import quote

from ingest.catalog import Source, published_name
from ingest.run import sha256_of

STATE = ".fetch-state.json"


@dataclass(frozen=True)
class Fetched:
    url: str
    path: Path
    status: str  # downloaded | not modified | unchanged (sent again, same bytes)
    sha256: str


def target(source: Source, data_dir: Path, url: str) -> Path:
    """Where a URL's file goes: the folder of the source's pattern, by the URL's file name."""
    return data_dir / PurePosixPath(source.file.pattern).parent / source.stored_name(url)


def mirrored(source: Source, url: str, mirror: str) -> str:
    """The URL of the same file on a mirror laid out like `data/` (uncompressed)."""
    folder = PurePosixPath(source.file.pattern).parent
    return f"{mirror.rstrip('/')}/{quote(str(folder))}/{quote(published_name(url))}"


def _store(response: IO[bytes], part: Path, compress: bool) -> None:
    part.parent.mkdir(parents=True, exist_ok=True)
    with open(part, "wb") as raw:
        if not compress:
            shutil.copyfileobj(response, raw, 1 << 20)
            return
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
            shutil.copyfileobj(response, out, 1 << 20)


def _conditional(url: str, path: Path, seen: dict[str, str]) -> urllib.request.Request:
    headers = {"User-Agent": "service-standards-tracker"}
    if path.exists() and seen.get("etag"):
        headers["If-None-Match"] = seen["etag"]
    if path.exists() and seen.get("last_modified"):
        headers["If-Modified-Since"] = seen["last_modified"]
    return urllib.request.Request(url, headers=headers)


def fetch_one(
    url: str, path: Path, state: dict[str, dict[str, str]], timeout: float, compress: bool = False
) -> Fetched:
    """GET the URL unless the server says it is unchanged since the last download."""
    seen = state.get(url, {})
    try:
        with urllib.request.urlopen(_conditional(url, path, seen), timeout=timeout) as response:
            part = path.with_name(f".{path.name}.part")
            _store(response, part, compress)
            headers = response.headers
    except urllib.error.HTTPError as err:
        if err.code == 304:
            return Fetched(url, path, "not modified", seen.get("sha256") or sha256_of(path))
        raise
    digest = sha256_of(part)
    unchanged = path.exists() and sha256_of(path) == digest
    if unchanged:  # keep the file as it was: same bytes, nothing for ingest to reload
        part.unlink()
    else:
        os.replace(part, path)
    validators = {"etag": headers.get("ETag"), "last_modified": headers.get("Last-Modified")}
    state[url] = {k: v for k, v in validators.items() if v} | {"sha256": digest}
    return Fetched(url, path, "unchanged" if unchanged else "downloaded", digest)


def fetch(
    source: Source, data_dir: Path, mirror: str | None = None, timeout: float = 60
) -> list[Fetched]:
    """Fetch every URL the source declares (from the mirror, if given), keeping validators."""
    results: list[Fetched] = []
    for url in source.urls:
        path = target(source, data_dir, url)
        state_path = path.parent / STATE
        state = json.loads(state_path.read_text()) if state_path.exists() else {}
        request_url = mirrored(source, url, mirror) if mirror else url
        compress = path.name != published_name(url)
        results.append(fetch_one(request_url, path, state, timeout, compress))
        state_path.write_text(json.dumps(state, indent=2, sort_keys=True))
    return results
