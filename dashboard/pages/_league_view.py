"""The league's own choices: which peer group (`peer_group=`) and standard (`standard=`) it
ranks on, and the sort links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from dash import dcc, html

from dashboard.ui import forms
from metrics import queries


class Choosable:
    """A league choice: its (value, label) options; a select is shown only when several."""

    options: tuple[tuple[str, str], ...]

    @property
    def several(self) -> bool:
        return len(self.options) > 1


@dataclass(frozen=True)
class StandardChoice(Choosable):
    """The standard a league shows, its wording, and the group's standards."""

    standard_id: str
    wording: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PeerGroupChoice(Choosable):
    """The peer group a league shows, its label and description, and the area's groups."""

    peer_group: str
    label: str
    description: str
    options: tuple[tuple[str, str], ...]


def choose_peer_group(
    jurisdiction: str, asked: str | None, standard: str | None = None
) -> PeerGroupChoice:
    """The group asked for if the area has it; otherwise the area's default: its first group
    (the first compared on `standard`, when an old link names only a standard)."""
    frame = queries.peer_groups(jurisdiction)
    ids = [str(g) for g in frame["peer_group"]]
    group = asked if asked in ids else queries.default_peer_group(jurisdiction, standard=standard)
    if group not in ids:
        return PeerGroupChoice(group, "Every organisation", "", ())
    row = frame.row(ids.index(group), named=True)
    options = tuple(zip(ids, frame["label"], strict=True))
    return PeerGroupChoice(group, row["label"], row["description"], options)


def peer_group_part(chosen: PeerGroupChoice, view: dict[str, str]) -> list[html.Form | html.P]:
    """A GET form choosing the peer group, where the area has several, and who is in it."""
    if not chosen.several:
        return []
    keep = {k: v for k, v in view.items() if k not in ("peer_group", "standard")}
    hidden = [dcc.Input(type="hidden", name=k, value=v) for k, v in keep.items()]
    return [
        html.Form(
            [
                html.Div(hidden, className="hidden-fields"),
                forms.select(
                    "Compare within", "peer_group", list(chosen.options), chosen.peer_group
                ),
                html.Button("Show", type="submit", className="button"),
            ],
            method="get",
            action="/",
            className="month-form",
        ),
        html.P(f"{chosen.label}: {chosen.description}", className="hint"),
    ]


def choose_standard(
    jurisdiction: str, asked: str | None, peer_group: str | None = None
) -> StandardChoice:
    """The standard asked for if the group has it; otherwise the group's default (the first)."""
    frame = queries.league_standards(jurisdiction, peer_group=peer_group)
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


def view_href(view: dict[str, str]) -> Callable[[dict[str, str]], str]:
    """The URL of this league view with `extra` parameters added."""

    def href(extra: dict[str, str]) -> str:
        return "/?" + urlencode({**view, **extra})

    return href
