"""Tables that ingest owns in the warehouse: the catalog as loaded, provenance, cases, rejects."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest import case_store

DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    source_id VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, jurisdiction VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL, licence VARCHAR NOT NULL, licence_url VARCHAR NOT NULL,
    source_url VARCHAR NOT NULL, attribution VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    cadence VARCHAR NOT NULL, publication_lag_days INTEGER NOT NULL,
    declared_data_as_of TIMESTAMP, reconciles_with VARCHAR
);
CREATE TABLE IF NOT EXISTS standards (
    standard_id VARCHAR NOT NULL, version INTEGER NOT NULL, source_id VARCHAR NOT NULL,
    wording VARCHAR NOT NULL, measure VARCHAR NOT NULL, measure_id VARCHAR,
    comparator VARCHAR NOT NULL, target_percent DECIMAL(9, 4), target_value DECIMAL(18, 4),
    target_from_row BOOLEAN NOT NULL,
    unit VARCHAR NOT NULL, grain VARCHAR NOT NULL, set_by VARCHAR NOT NULL,
    reason VARCHAR, citation_url VARCHAR, valid_from DATE NOT NULL, valid_to DATE,
    PRIMARY KEY (standard_id, version)
);
-- Peer groups: who is compared with whom, in the order the catalog declares them (an area
-- declaring none has one, 'all'). Membership is computed by metrics, per league window.
CREATE TABLE IF NOT EXISTS peer_groups (
    jurisdiction VARCHAR NOT NULL, peer_group VARCHAR NOT NULL, position INTEGER NOT NULL,
    source_id VARCHAR, label VARCHAR NOT NULL, description VARCHAR NOT NULL,
    standard_id VARCHAR, judged_on VARCHAR, name_matches VARCHAR, not_in VARCHAR[] NOT NULL,
    headline_standard VARCHAR,
    PRIMARY KEY (jurisdiction, peer_group)
);
-- Organisations that changed name or code, as the catalog declares them: a row published
-- under the predecessor's code and name belongs to the current organisation's series.
CREATE TABLE IF NOT EXISTS lineage (
    jurisdiction VARCHAR NOT NULL, source_id VARCHAR NOT NULL,
    predecessor_code VARCHAR NOT NULL, predecessor_name VARCHAR NOT NULL,
    successor_code VARCHAR NOT NULL, successor_name VARCHAR NOT NULL,
    current_code VARCHAR NOT NULL, current_name VARCHAR NOT NULL,
    since DATE NOT NULL, evidence VARCHAR NOT NULL,
    PRIMARY KEY (jurisdiction, predecessor_code, predecessor_name)
);
-- Every measure an entry declares, judged or not: what it is called and which way is better.
CREATE TABLE IF NOT EXISTS measure_catalog (
    source_id VARCHAR NOT NULL, measure_id VARCHAR NOT NULL, measure VARCHAR NOT NULL,
    unit VARCHAR NOT NULL, direction VARCHAR NOT NULL, volume_id VARCHAR,
    PRIMARY KEY (source_id, measure_id)
);
-- Where each listed file is published (the entry's `urls`), by the name it is stored under.
CREATE TABLE IF NOT EXISTS source_files (
    source_id VARCHAR NOT NULL, file_name VARCHAR NOT NULL, url VARCHAR NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS load_ids;
CREATE TABLE IF NOT EXISTS loads (
    load_id BIGINT PRIMARY KEY, source_id VARCHAR NOT NULL, file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL, rows_read BIGINT NOT NULL, rows_loaded BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL, superseded_by BIGINT, reason VARCHAR,
    rows_excluded BIGINT NOT NULL DEFAULT 0,
    CHECK (rows_read = rows_loaded + rows_rejected + rows_excluded)
);
-- What a load reports beside its rows: rows each filter left out ('excluded'), codes no
-- lookup named ('no name'), a computed total that differs from the file's ('total differs').
CREATE TABLE IF NOT EXISTS load_notes (
    source_id VARCHAR NOT NULL, load_id BIGINT NOT NULL, file_name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, detail VARCHAR NOT NULL, rows BIGINT NOT NULL
);
-- Requests are not here: they are in the case store beside this file (ingest/case_store.py),
-- read through the view `cases`.
-- A case id already loaded that arrived again in a later file: the version dropped (old)
-- and the one kept (new): the later file's, or the later updated_at where one is declared.
CREATE TABLE IF NOT EXISTS case_replacements (
    source_id VARCHAR NOT NULL, case_id VARCHAR NOT NULL,
    old_load_id BIGINT NOT NULL, old_file VARCHAR NOT NULL, old_row BIGINT NOT NULL,
    new_load_id BIGINT NOT NULL, new_file VARCHAR NOT NULL, new_row BIGINT NOT NULL,
    replaced_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS observations (
    source_id VARCHAR NOT NULL, load_id BIGINT NOT NULL, row_number BIGINT NOT NULL,
    org_code VARCHAR NOT NULL, organisation VARCHAR NOT NULL, org_level VARCHAR NOT NULL,
    measure_id VARCHAR NOT NULL, service VARCHAR NOT NULL, grain VARCHAR NOT NULL,
    period_start DATE NOT NULL, period_end DATE NOT NULL, numerator BIGINT,
    denominator BIGINT, value DOUBLE, unit VARCHAR NOT NULL, marker VARCHAR,
    row_standard_id VARCHAR, row_standard VARCHAR, row_target DECIMAL(9, 4),
    row_citation VARCHAR, agency_verdict VARCHAR, service_id VARCHAR,
    parent_code VARCHAR, parent VARCHAR
);
-- Figures a later file replaced (a revision), kept so a verdict can show what it replaced.
CREATE TABLE IF NOT EXISTS replaced_observations AS
    SELECT *, NULL::BIGINT AS replaced_by FROM observations WHERE false;
CREATE TABLE IF NOT EXISTS services (
    source_id VARCHAR NOT NULL, load_id BIGINT NOT NULL, row_number BIGINT NOT NULL,
    period_start DATE NOT NULL, org_code VARCHAR, organisation VARCHAR,
    service_id VARCHAR NOT NULL, service VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS service_volumes (
    source_id VARCHAR NOT NULL, load_id BIGINT NOT NULL, row_number BIGINT NOT NULL,
    period_start DATE NOT NULL, service_id VARCHAR NOT NULL, volume_id VARCHAR NOT NULL,
    volume BIGINT, marker VARCHAR
);
-- Whether each stage of a service (application, decision, ...) can be done online.
CREATE TABLE IF NOT EXISTS service_stages (
    source_id VARCHAR NOT NULL, load_id BIGINT NOT NULL, row_number BIGINT NOT NULL,
    period_start DATE NOT NULL, service_id VARCHAR NOT NULL, stage_id VARCHAR NOT NULL,
    online BOOLEAN, marker VARCHAR
);
CREATE TABLE IF NOT EXISTS rejects (
    source_id VARCHAR NOT NULL, load_id BIGINT NOT NULL, file_name VARCHAR NOT NULL,
    row_number BIGINT NOT NULL, column_name VARCHAR NOT NULL, value VARCHAR,
    reason VARCHAR NOT NULL
);
"""


SCHEMA_VERSION = "12"
"""Bump when a table above changes shape; a warehouse of another version is rebuilt whole."""


def compatible(path: Path) -> bool:
    """Whether the published warehouse has this code's table shapes (and so can be extended)."""
    if not path.exists():
        return False
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False  # damaged: `ingest run` sets it aside and rebuilds
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    except duckdb.Error:
        return False
    finally:
        con.close()
    return rows == [(SCHEMA_VERSION,)]


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create ingest's tables if they are not there yet."""
    con.execute(DDL)
    case_store.create(con)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
