"""Benchmark what a person on a phone gets: Lighthouse on five pages of the real site.

`make bench-web` installs Lighthouse (pinned in benchmarks/web/package-lock.json, into
benchmarks/web/node_modules; `make test` never installs it), serves the bundled warehouse
(built by `make warehouse`) with real gunicorn (2 workers) on loopback, and runs Lighthouse's
default mobile profile (a mid-range phone, simulated slow 4G and a 4x slower CPU) in Debian's
headless Chromium against each page of dashboard/web/budgets.py: `/`, the NHS England league,
a Boston department, an NHS standard page and `/compare`. Prints performance, accessibility,
best practices and SEO scores, the bytes transferred, largest contentful paint, total blocking
time and cumulative layout shift per page, each judged against the targets of issue 14. Each
page is fetched a few times first, so its first run does not time a worker's cold caches.
Simulated throttling scales the CPU time it observes, so on a busy machine the times come out
longer (the CPU index column is Lighthouse's benchmark of the host during that run; higher is
faster): `--runs 3` takes each page's median run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench_site import built_warehouse, gunicorn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.web.budgets import PAGES  # noqa: E402

LIGHTHOUSE = ROOT / "benchmarks" / "web" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@dataclass(frozen=True)
class Figures:
    scores: dict[str, int]  # category -> 0-100
    transfer: float  # bytes
    lcp: float  # ms
    tbt: float  # ms
    cls: float
    benchmark_index: float  # Lighthouse's measure of this host's CPU at the time (higher: faster)

    def misses(self) -> list[str]:
        """The targets this page misses (issue 14), named."""
        checks = {
            "performance >= 90": self.scores["performance"] >= 90,
            "accessibility 100": self.scores["accessibility"] == 100,
            "SEO 100": self.scores["seo"] == 100,
            "LCP <= 2.5 s": self.lcp <= 2500,
            "TBT <= 200 ms": self.tbt <= 200,
            "CLS <= 0.1": self.cls <= 0.1,
        }
        return [name for name, ok in checks.items() if not ok]


def lighthouse(url: str, out: Path) -> Figures:
    """One Lighthouse run (mobile profile, simulated throttling) of one URL."""
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync",
    ]  # fmt: skip
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, env=env, check=True, timeout=300)
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"{url}: {report['runtimeError']}")
    audits = report["audits"]
    return Figures(
        scores={c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        transfer=audits["total-byte-weight"]["numericValue"],
        lcp=audits["largest-contentful-paint"]["numericValue"],
        tbt=audits["total-blocking-time"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        benchmark_index=report["environment"]["benchmarkIndex"],
    )


def median_run(runs: list[Figures]) -> Figures:
    """The run with the median performance score, as Lighthouse advises for repeated runs."""
    ordered = sorted(runs, key=lambda f: f.scores["performance"])
    return ordered[len(ordered) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page")
    args = parser.parse_args()
    warehouse = built_warehouse()
    if warehouse is None:
        return 2
    if not LIGHTHOUSE.exists():
        print("no Lighthouse: run `make bench-web` (npm ci in benchmarks/web)", file=sys.stderr)
        return 2
    version = json.loads((LIGHTHOUSE.parents[1] / "lighthouse" / "package.json").read_text())
    rows = []
    with gunicorn(warehouse) as port, tempfile.TemporaryDirectory() as tmp:
        print(
            f"Lighthouse {version['version']}, mobile profile, simulated throttling, "
            f"{CHROMIUM} headless; gunicorn, 2 workers, 127.0.0.1:{port}; "
            f"{os.cpu_count()} CPUs; load average before: "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; median of {args.runs} run(s)\n"
        )
        for page in PAGES:
            url = f"http://127.0.0.1:{port}{page.path}"
            for _ in range(4):  # both workers draw it once: what a phone meets is a warm server
                with urllib.request.urlopen(url, timeout=120) as response:
                    response.read()
            runs = [lighthouse(url, Path(tmp) / f"run{i}.json") for i in range(args.runs)]
            rows.append((page.path, median_run(runs)))
    print("| page | performance | accessibility | best practices | SEO | transfer | LCP "
          "| total blocking time | layout shift | CPU index | targets |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for path, f in rows:
        misses = f.misses()
        print(
            f"| `{path}` | {f.scores['performance']} | {f.scores['accessibility']} "
            f"| {f.scores['best-practices']} | {f.scores['seo']} | {f.transfer / 1e6:.2f} MB "
            f"| {f.lcp / 1000:.1f} s | {f.tbt:,.0f} ms | {f.cls:.3f} | {f.benchmark_index:,.0f} "
            f"| {'PASS' if not misses else 'FAIL: ' + ', '.join(misses)} |"
        )
    passed = all(not f.misses() for _, f in rows)
    print(
        "\ntargets (issue 14): performance >= 90, LCP <= 2.5 s, TBT <= 200 ms, CLS <= 0.1, "
        f"SEO 100, accessibility 100: {'all PASS' if passed else 'some FAIL'}"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
