"""The league's own choices: which standard it ranks on (`standard=`) and the sort links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from dash import dcc, html

from dashboard.ui import forms
from metrics import queries


@dataclass(frozen=True)
class StandardChoice:
    """The standard a league shows, its wording, and whether the area has several."""

    standard_id: str
    wording: str
    options: tuple[tuple[str, str], ...]

    @property
    def several(self) -> bool:
        return len(self.options) > 1


def choose_standard(jurisdiction: str, asked: str | None) -> StandardChoice:
    """The standard asked for if the area has it; otherwise the area's default (the first)."""
    frame = queries.league_standards(jurisdiction)
    options = tuple(zip(frame["standard_id"], frame["wording"], strict=True))
    if not options:
        return StandardChoice("all", "every standard", ())
    chosen = next((o for o in options if o[0] == asked), options[0])
    return StandardChoice(chosen[0], chosen[1], options)


def standard_part(chosen: StandardChoice, view: dict[str, str]) -> list[html.Form]:
    """A GET form choosing the standard, where the area has several."""
    if not chosen.several:
        return []
    hidden = [dcc.Input(type="hidden", name=k, value=v) for k, v in view.items() if k != "standard"]
    return [
        html.Form(
            [
                html.Div(hidden, className="hidden-fields"),
                forms.select("Standard", "standard", list(chosen.options), chosen.standard_id),
                html.Button("Show", type="submit", className="button"),
            ],
            method="get",
            action="/",
            className="month-form",
        )
    ]


def sort_href(view: dict[str, str]) -> Callable[[str, str], str]:
    """The URL of this league sorted by a column, in an order."""

    def href(column: str, order: str) -> str:
        return "/?" + urlencode({**view, "sort": column, "order": order})

    return href
