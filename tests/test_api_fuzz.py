"""Fuzz every download against its own OpenAPI document, on real gunicorn: never a 5xx.

Schemathesis reads `/api/openapi.json` from the served site and Hypothesis draws requests
for each operation from it; a few examples each keeps the run under a minute. (Schemathesis'
own pytest plugin is not used: its lazy fixture schemas fail on pytest 9.)
"""

from __future__ import annotations

import itertools
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import content_type_conformance, not_a_server_error

from metrics.datasets import DATASETS

FUZZ = settings(
    max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def test_no_server_errors(site: str) -> None:
    schema = schemathesis.openapi.from_url(f"{site}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    paths = {operation.path for operation in operations}
    assert {f"/download/{name}.{{format}}" for name in DATASETS} < paths
    calls: list[tuple[str, int]] = []

    modes = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
    for operation, mode in itertools.product(operations, modes):
        if mode == modes[1] and "{format}" not in operation.path:
            continue  # nothing to make invalid in a request with no parameters

        @FUZZ
        @given(case=operation.as_strategy(mode))
        def fuzz(case: schemathesis.Case[Any]) -> None:
            response = case.call(base_url=site, timeout=30)
            calls.append((case.path, response.status_code))
            case.validate_response(response, checks=[not_a_server_error])
            if response.status_code == 200:
                case.validate_response(response, checks=[content_type_conformance])

        fuzz()
    assert len(calls) >= 30
    # Generated views both succeed and get refused, for every dataset.
    for name in DATASETS:
        codes = {code for path, code in calls if path == f"/download/{name}.{{format}}"}
        assert 200 in codes and 400 in codes, (name, codes)
