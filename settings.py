"""Every setting of the tracker, declared once and typed (env prefix TRACKER_, or a .env file)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent


class Settings(BaseSettings):
    """Tracker settings; each field's description is shown on the methodology page."""

    model_config = SettingsConfigDict(env_prefix="TRACKER_", env_file=".env", extra="ignore")

    warehouse_path: Path = Field(
        ROOT / "warehouse" / "tracker.duckdb",
        description="The DuckDB warehouse file that ingest publishes and the site reads.",
    )
    catalog_dir: Path = Field(
        ROOT / "catalog", description="Folder of catalog entries, one TOML file per source."
    )
    data_dir: Path = Field(
        ROOT / "data",
        description="Folder of bundled agency files that catalog patterns point into.",
    )
    host: str = Field("127.0.0.1", description="Address the web server listens on.")
    port: int = Field(8050, description="Port the web server listens on.")
    workers: int = Field(2, description="Number of gunicorn worker processes.")
    duckdb_memory_limit: str = Field("512MB", description="DuckDB memory limit per web worker.")
    ingest_memory_limit: str = Field(
        "1GB",
        description="DuckDB memory limit of the ingest writer (it spills to disk past it).",
    )
    duckdb_threads: int = Field(1, description="DuckDB threads per web worker.")
    duckdb_download_memory_limit: str = Field(
        "24MB",
        description="DuckDB memory limit of the second, small instance each web worker streams "
        "downloads through, so the blocks a download reads are not kept (16MB is too little for "
        "the bundled cases dataset's joins at one thread; raise it with the threads).",
    )
    min_judged_periods: int = Field(
        10,
        ge=1,
        description="Fewest judged periods for an organisation to be banded and ranked; "
        "below it the organisation is marked low reliability [u].",
    )
    fetch_mirror: str | None = Field(
        None,
        description="Base URL of a mirror laid out like the data folder; `python -m ingest "
        "fetch` downloads from it instead of each publisher's URL.",
    )
    schedule_retries: int = Field(
        3,
        ge=0,
        description="Times `python -m ingest schedule` tries a source's fetch again after it "
        "fails, before leaving it for its next turn.",
    )
    schedule_backoff_seconds: float = Field(
        60.0,
        ge=0,
        description="Wait before the scheduler's first retry of a failed fetch; each further "
        "retry waits twice as long as the one before.",
    )
    schedule_poll_seconds: float = Field(
        3600.0,
        gt=0,
        description="How often `python -m ingest schedule` looks for sources whose next "
        "figures are due.",
    )
    cache_max_age: int = Field(
        300,
        ge=0,
        description="Seconds a browser or shared cache (a CDN, nginx) may reuse a page or "
        "download before asking the site again; a newly published warehouse reaches every "
        "reader within this time.",
    )
    cache_stale_seconds: int = Field(
        60,
        ge=0,
        description="Seconds past that time a shared cache may still answer with its copy "
        "while it fetches the new one (stale-while-revalidate).",
    )
    browser_path: Path = Field(
        Path("/usr/bin/chromium"),
        description="Chromium that draws charts as PNG and SVG files (through kaleido).",
    )
    today: dt.date | None = Field(
        None, description="Override for 'today' (the one clock); unset means the system date."
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment and .env."""
    return Settings()


def today() -> dt.date:
    """Today's date, from the one injectable clock."""
    return get_settings().today or dt.date.today()
