"""Page callbacks are answered from memory for the same request and warehouse version."""

from __future__ import annotations

import hashlib
import json

import pytest

from dashboard.web import callback_cache
from metrics import cache
from metrics.cache import ResultCache

DEPARTMENT = "/department/boston-public-works-department"


def page_request(dependencies: list[dict[str, object]], path: str, search: str) -> bytes:
    """The body Chromium posts to render a page (as benchmarks/bench_site.py builds it)."""
    pages = next(c for c in dependencies if "_pages_content.children" in str(c["output"]))
    inputs = [
        {**pages["inputs"][0], "value": path},  # type: ignore[index]
        {**pages["inputs"][1], "value": search},  # type: ignore[index]
    ]
    changed = [f"{i['id']}.{i['property']}" for i in inputs]
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1]}
        for part in str(pages["output"]).strip(".").split("...")
    ]
    return json.dumps({"output": pages["output"], "outputs": outputs, "inputs": inputs,
                       "changedPropIds": changed}).encode()  # fmt: skip


def test_a_page_callback_is_served_from_memory_until_a_new_version(
    bundled_reader: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.app import server

    monkeypatch.setattr(callback_cache, "RESPONSES", ResultCache(max_entries=4))
    client = server.test_client()
    body = page_request(client.get("/_dash-dependencies").get_json(), DEPARTMENT, "?month=2015-07")
    key = hashlib.sha256(body).hexdigest()
    post = {"data": body, "content_type": "application/json"}

    first = client.post(callback_cache.CALLBACK, **post)
    assert first.status_code == 200
    assert "Public Works Department, July 2015" in first.get_data(as_text=True)
    assert callback_cache.RESPONSES.get(cache.current_version(), key) == (True, first.data)

    # The next identical request is answered with what is stored, not rendered again.
    callback_cache.RESPONSES.put(cache.current_version(), key, b'{"stored": true}')
    again = client.post(callback_cache.CALLBACK, **post)
    assert again.get_json() == {"stored": True}

    # Another warehouse version renders afresh.
    monkeypatch.setattr(callback_cache, "current_version", lambda: ("published-later", "day"))
    fresh = client.post(callback_cache.CALLBACK, **post)
    assert fresh.data == first.data
