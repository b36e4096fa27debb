"""Command line: `python -m ingest run|fetch [SOURCE_ID]`, `schedule [--once]`, `status`,
`ensure`, `check`, `remove`.

Exit status: 0 done; 1 a file was refused; 2 a catalog or usage error; 3 nothing could be
published (no room on the disk, or another writer published meanwhile); 75 another run is
publishing and --no-wait was given (or, for `schedule --once`, a pass found it publishing).
`schedule --once` exits 1 when a source's last attempt failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
from tqdm import tqdm

from ingest.catalog import CatalogError, load_catalog
from ingest.check import check, find_entry
from ingest.fetch import fetch
from ingest.lock import WriterBusy, writer_lock
from ingest.publish import PublishRefused
from ingest.remove import remove
from ingest.run import RunSummary, run, up_to_date
from ingest.schedule import schedule
from settings import get_settings


def _print_summary(summary: RunSummary) -> None:
    for f in summary.files:
        counts = (
            f" read {f.counts.rows_read}, loaded {f.counts.rows_loaded}, "
            f"rejected {f.counts.rows_rejected}, excluded {f.counts.rows_excluded}"
            if f.counts
            else ""
        )
        again = f", {f.replaced} earlier cases sent again (each kept once)" if f.replaced else ""
        print(f"{f.source_id}: {f.file_name}: {f.status}{counts}{again} {f.message}".rstrip())
    state = "published" if summary.published else "nothing new; warehouse unchanged"
    if summary.untouched:
        state += ": every file was loaded before (same sha256), so nothing was copied or written"
    print(f"{state} (version {summary.warehouse_version})")


EXIT_BUSY = 75  # EX_TEMPFAIL: try again later
EXIT_UNPUBLISHED = 3
SHOWN_REJECTS = 5
FIRST_REJECTS = """
SELECT r.file_name, r.row_number, r.column_name, r.value, r.reason
FROM rejects r JOIN loads l USING (load_id)
WHERE l.status = 'loaded' AND r.source_id = ? AND r.file_name = ?
ORDER BY r.load_id DESC, r.row_number, r.column_name LIMIT ?
"""


def _print_first_rejects(summary: RunSummary) -> None:
    """The first few row rejects of each file loaded with some, and where to see them all."""
    with_rejects = [f for f in summary.files if f.counts and f.counts.rows_rejected]
    if not with_rejects or not summary.published:
        return
    con = duckdb.connect(str(get_settings().warehouse_path), read_only=True)
    try:
        for f in with_rejects:
            rows = con.execute(FIRST_REJECTS, [f.source_id, f.file_name, SHOWN_REJECTS])
            print(f"{f.source_id}: {f.file_name}: first rejected rows:")
            for name, row, column, value, reason in rows.fetchall():
                print(f"  {name} row {row}, column {column}: {reason} (value {value!r})")
    finally:
        con.close()
    print(
        "every reject: `python -m ingest status`, or the rejects download "
        "(/download/rejects.csv?source=SOURCE_ID on the site)"
    )


STATUS = """
SELECT source_id, count(*) FILTER (WHERE status = 'loaded'),
       sum(rows_read) FILTER (WHERE status = 'loaded'),
       sum(rows_loaded) FILTER (WHERE status = 'loaded'),
       sum(rows_rejected) FILTER (WHERE status = 'loaded'),
       sum(rows_excluded) FILTER (WHERE status = 'loaded'),
       count(*) FILTER (WHERE status = 'rejected'),
       max(finished_at) FILTER (WHERE status = 'loaded')
FROM loads WHERE status <> 'removed' GROUP BY 1 ORDER BY 1
"""
REJECTED_FILES = """
SELECT source_id, finished_at, reason FROM loads WHERE status = 'rejected'
ORDER BY source_id, finished_at, file_name
"""


def _status() -> int:
    path = get_settings().warehouse_path
    if not path.exists():
        print(f"no warehouse at {path}; run `python -m ingest run`", file=sys.stderr)
        return 1
    con = duckdb.connect(str(path), read_only=True)
    rows, rejected = con.execute(STATUS).fetchall(), con.execute(REJECTED_FILES).fetchall()
    con.close()
    try:
        listed = {s.id for s in load_catalog(get_settings().catalog_dir)}
    except CatalogError as err:
        print(f"catalog error: {err}", file=sys.stderr)
        return 2
    print("source\tfiles\tread\tloaded\trejected\texcluded\tfiles rejected\tlast received (UTC)")
    for row in rows:
        if row[0] in listed:
            print("\t".join("" if v is None else str(v) for v in row))
    for orphan in sorted({str(r[0]) for r in rows} - listed):
        print(f"{orphan}: not in the catalog, yet its rows are published; "
              f"`python -m ingest remove {orphan}` takes them out")  # fmt: skip
    if rejected:
        print("\nfiles rejected whole (nothing of them loaded):")
    for source_id, at, reason in rejected:
        print(f"{source_id}: {at}: {reason}")
    return 0


def _check_or_remove(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        if args.command == "check":
            source = find_entry(args.entry, settings.catalog_dir)
            return check(source, settings.data_dir, args.file, print)
        with writer_lock(settings.warehouse_path, say=_tell):
            removed = remove(args.source_id, settings.warehouse_path)
    except WriterBusy as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BUSY
    except (CatalogError, LookupError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"removed {args.source_id}: " + ", ".join(f"{n} {t}" for t, n in removed.items()))
    return 0


class Progress:
    """A bar on stderr, one step a file (tqdm); off for --quiet, --json and non-terminals."""

    def __init__(self, disable: bool) -> None:
        self._bar = tqdm(desc="loading", unit="file", disable=disable, file=sys.stderr)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_: object) -> None:
        self._bar.close()

    def step(self, name: str) -> None:
        self._bar.set_postfix_str(name, refresh=False)
        self._bar.update(1)


def _parser(mirror: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    waiting = argparse.ArgumentParser(add_help=False)
    waiting.add_argument(
        "--no-wait",
        action="store_true",
        help=f"if another run is publishing, exit at once (status {EXIT_BUSY}) instead of waiting",
    )
    loading = argparse.ArgumentParser(add_help=False, parents=[waiting])
    loading.add_argument("source", nargs="?", help="only this catalog source id")
    loading.add_argument("--quiet", action="store_true", help="print nothing unless it fails")
    loading.add_argument("--json", action="store_true", help="print the run summary as JSON")
    help_run = "load new or revised files and publish the warehouse"
    sub.add_parser("run", parents=[loading], help=help_run)
    sub.add_parser("status", help="rows read, loaded and rejected per source")
    help_fetch = "download sources that declare URLs, then load them"
    fetch_p = sub.add_parser("fetch", parents=[loading], help=help_fetch)
    fetch_p.add_argument("--mirror", default=mirror, help="a mirror laid out like data/")
    help_schedule = "fetch and load each source when its next figures are due, for ever"
    schedule_p = sub.add_parser("schedule", help=help_schedule)
    schedule_p.add_argument("--once", action="store_true", help="run what is due, then exit")
    schedule_p.add_argument("--mirror", default=mirror, help="a mirror laid out like data/")
    help_ensure = "build the warehouse if it is missing, damaged or from older code"
    sub.add_parser("ensure", parents=[waiting], help=help_ensure)
    check_p = sub.add_parser("check", help="show what an entry would load, publishing nothing")
    check_p.add_argument("entry", help="a catalog file (.toml) or a catalog source id")
    check_p.add_argument("file", nargs="?", type=Path, help="one file to read instead")
    remove_p = sub.add_parser("remove", help="take a source's rows out of the warehouse")
    remove_p.add_argument("source_id")
    return parser


def _tell(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    args = _parser(settings.fetch_mirror).parse_args(argv)
    if args.command == "status":
        return _status()
    if args.command in ("check", "remove"):
        return _check_or_remove(args)
    try:
        sources = load_catalog(settings.catalog_dir)
    except CatalogError as err:
        print(f"catalog error: {err}", file=sys.stderr)
        return 2
    if args.command == "schedule":
        jobs = schedule(sources, args.mirror, _tell, args.once)
        if any(job.outcome == "busy" for job in jobs):
            return EXIT_BUSY
        last = {job.source: job.outcome for job in jobs}
        return 1 if "failed" in last.values() else 0
    if args.command == "ensure" and up_to_date(settings.warehouse_path, sources):
        return 0
    only = getattr(args, "source", None)
    if only is not None and only not in {s.id for s in sources}:
        known = ", ".join(s.id for s in sources)
        print(f"unknown source {only!r}; the catalog has: {known}", file=sys.stderr)
        return 2
    quiet = getattr(args, "quiet", False) or getattr(args, "json", False)
    if args.command == "fetch":
        for source in sources:
            if only is None or source.id == only:
                for got in fetch(source, settings.data_dir, args.mirror):
                    if not quiet:
                        print(f"{source.id}: {got.url}: {got.status} (sha256 {got.sha256})")
    try:
        with Progress(disable=quiet or not sys.stderr.isatty()) as bar:
            summary = run(
                sources, settings.data_dir, settings.warehouse_path, only, bar.step,
                wait=not args.no_wait, say=_tell,
            )  # fmt: skip
    except WriterBusy as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BUSY
    except PublishRefused as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_UNPUBLISHED
    if getattr(args, "json", False):
        print(summary.as_json())
    elif not getattr(args, "quiet", False):
        _print_summary(summary)
        _print_first_rejects(summary)
    rejected = [f for f in summary.files if f.status == "rejected"]
    for f in rejected:
        print(f"error: {f.source_id}: {f.message}", file=sys.stderr)
    return 1 if rejected else 0


if __name__ == "__main__":
    sys.exit(main())
