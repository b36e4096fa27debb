"""`/download/datapackage.json`: a Frictionless Data Package describing every dataset."""

from __future__ import annotations

from typing import Any

import flask

from dashboard.api.formats import FORMATS
from metrics import queries
from metrics.datasets import DATASETS, Dataset
from metrics.reader import reader


def _resource(dataset: Dataset, base: str) -> dict[str, Any]:
    fields = [
        {"name": f.name, "type": f.type, "description": f.description}
        | ({"unit": f.unit} if f.unit else {})
        for f in dataset.fields
    ]
    return {
        "name": dataset.name,
        "title": dataset.title,
        "description": dataset.description,
        "path": f"{base}/download/{dataset.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": FORMATS["csv"].media_type.split(";")[0],
        "encoding": "utf-8-sig",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": {"fields": fields, "missingValues": [""]},
    }


def package(base: str) -> dict[str, Any]:
    """The package for a site at `base` (scheme and host), from the registry and catalog."""
    con = reader().connection()
    sources = queries.sources(con)
    licences = {
        (row["licence"], row["licence_url"]): {"title": row["licence"], "path": row["licence_url"]}
        for row in sources.iter_rows(named=True)
    }
    return {
        "profile": "tabular-data-package",
        "name": "service-standards-tracker",
        "title": "Service Standards Tracker: did public services meet their published standards?",
        "version": queries.warehouse_version(con),
        "licenses": list(licences.values()),
        "sources": [
            {
                "title": row["title"],
                "path": row["source_url"],
                "publisher": row["publisher"],
                "licence": row["licence"],
                "attribution": row["attribution"],
            }
            for row in sources.iter_rows(named=True)
        ],
        "resources": [_resource(d, base) for d in DATASETS.values()],
    }


def route() -> flask.Response:
    """The data package as JSON, open to other origins."""
    response = flask.jsonify(package(flask.request.host_url.rstrip("/")))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
