"""Ingest: load agencies' published files into the DuckDB warehouse (the only writer)."""
