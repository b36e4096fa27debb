"""`/api/openapi.json`: an OpenAPI 3 description of every download, made from the registry."""

from __future__ import annotations

from typing import Any

import flask

from dashboard.api.args import MAX_PER_PAGE
from dashboard.api.formats import FORMATS
from metrics import queries
from metrics.datasets import DATASETS, Dataset, choices
from metrics.reader import reader

MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
TEXT = {"text/plain": {"schema": {"type": "string"}}}
FILES = {ext: {f.media_type.split(";")[0]: {"schema": f.schema}} for ext, f in FORMATS.items()}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}  # fmt: skip


def parameters(enums: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    """Every query parameter of the URL contract in `dashboard.api.links`."""
    month = {"type": "string", "pattern": MONTH}
    return {
        "jurisdiction": _query("jurisdiction", "Area slug",
                               {"type": "string", "enum": enums["jurisdiction"]}),
        "organisation": _query("organisation", "Organisation slug, or several joined by commas",
                               {"type": "string", "pattern": r"^[a-z0-9-]+(,[a-z0-9-]+)*$"}),
        "service": _query("service", "Service slug, as in a standard page's address",
                          {"type": "string", "pattern": r"^[a-z0-9-]+$"}),
        "standard": _query("standard", "Standard id (see the standards dataset)",
                           {"type": "string", "minLength": 1}),
        "peer_group": _query("peer_group", "League only: a peer group id of the area (all "
                             "groups, each row labelled, when absent)",
                             {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"}),
        "month": _query("month", "Month, YYYY-MM", month),
        "day": _query("day", "Local calendar day, YYYY-MM-DD",
                      {"type": "string", "format": "date"}),
        "from": _query("from", "First month, YYYY-MM", month),
        "to": _query("to", "Last month, YYYY-MM", month),
        "source": _query("source", "Catalog id", {"type": "string", "enum": enums["source"]}),
        "page": _query("page", "JSON only: page number", {"type": "integer", "minimum": 1}),
        "per_page": _query("per_page", "JSON only: rows a page",
                           {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}),
    }  # fmt: skip


def _operation(dataset: Dataset, params: dict[str, dict[str, Any]]) -> dict[str, Any]:
    names = [*dataset.params, "page", "per_page"]
    format_param = {"name": "format", "in": "path", "required": True,
                    "schema": {"type": "string", "enum": list(FORMATS)}}  # fmt: skip
    return {
        "get": {
            "operationId": f"download_{dataset.name.replace('-', '_')}",
            "summary": dataset.title,
            "description": dataset.description
            + " page and per_page apply to JSON only; other formats refuse them with 400.",
            "parameters": [format_param, *(params[n] for n in names)],
            "responses": {
                "200": {"description": "The rows (JSON: one page, with a next link)",
                        "content": {k: v for f in FORMATS for k, v in FILES[f].items()}},
                "304": {"description": "Not modified since the ETag given"},
                "400": {"description": "A parameter or value that is not allowed",
                        "content": TEXT},
                "503": {"description": "No warehouse published yet", "content": TEXT},
            },
        }
    }  # fmt: skip


def document() -> dict[str, Any]:
    """The OpenAPI document, with the jurisdictions and sources of the warehouse as enums."""
    con = reader().connection()
    enums = {
        "jurisdiction": [str(s) for s in queries.jurisdictions(con)["slug"]],
        "source": choices.source_ids(con),
    }
    params = parameters(enums)
    paths = {f"/download/{d.name}.{{format}}": _operation(d, params) for d in DATASETS.values()}
    json_only = {"200": {"description": "JSON", "content": {"application/json": {}}}}
    paths["/download/datapackage.json"] = {
        "get": {"operationId": "datapackage", "responses": json_only}
    }
    paths["/api/openapi.json"] = {"get": {"operationId": "openapi", "responses": json_only}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Service Standards Tracker downloads", "version": "1"},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": {
            "Dataset": {"type": "string", "enum": list(DATASETS)},
            "Format": {"type": "string", "enum": list(FORMATS)},
            "Page": {"type": "object", "required": ["dataset", "rows", "row_count", "next"],
                     "properties": {"dataset": {"$ref": "#/components/schemas/Dataset"},
                                    "rows": {"type": "array", "items": {"type": "object"}},
                                    "row_count": {"type": "integer"},
                                    "next": {"type": "string", "nullable": True}}},
        }},
    }  # fmt: skip


def route() -> flask.Response:
    """The document as JSON, open to other origins."""
    response = flask.jsonify(document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
