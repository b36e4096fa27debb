"""The words the pages use, each explained in one plain sentence: linked where it first
appears on a page (`link`), and gathered in a keyboard-operable disclosure of the page's terms
(`explained`). /methodology lists the same sentences under the same anchors (`TERMS`), so each
is written once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dash import html

from dashboard.ui.text import aria


@dataclass(frozen=True)
class Term:
    """A word a page uses, its anchor on /methodology and its meaning in one sentence."""

    anchor: str
    term: str
    meaning: str

    @property
    def href(self) -> str:
        return f"/methodology#{self.anchor}"


TERMS = {
    t.anchor: t
    for t in (
        Term("standard", "A standard",
             "What an agency promised, such as 95% of A&E patients seen within 4 hours, or a "
             "street light fixed by its target time."),
        Term("service-day", "A service-day",
             "One service on one day when at least one request was due. It is met when enough "
             "of that day's requests (95%) were closed by their target time; days with nothing "
             "due are not counted either way."),
        Term("standard-month", "A standard-month (or standard-year), a judged period",
             "One standard of one organisation for one month (or year) with published figures. "
             "It is met when that month's figure reaches the standard."),
        Term("performance", "Performance, pooled figure",
             "Of all the cases in the period, the share within the standard: for example "
             "attendances seen within 4 hours out of all attendances. Pooled means the cases of "
             "every month or organisation are added up first, so a big one counts for more. "
             "For a waiting time, the time itself."),
        Term("peer-group", "A peer group",
             "Organisations alike enough to compare, such as major emergency departments apart "
             "from minor injury units. Ranks and averages are within the group."),
        Term("compared-with-others", "Compared with the others (funnel limits)",
             "Whether an organisation is further from the group's average than chance and the "
             "usual spread between organisations would explain (a funnel plot). Small "
             "organisations vary more by chance, so they need a bigger gap to be flagged."),
        Term("usual-variation", "Trend: usual variation, improving, deteriorating",
             "Figures go up and down every month. A change is called improving or "
             "deteriorating only when it is bigger, or lasts longer, than the figures' own past "
             "ups and downs would explain (statistical process control, SPC)."),
        Term("unreliable", "[u] and fewer periods",
             "Too few periods had figures to rank an organisation fairly, so it is shown but "
             "not ranked."),
        Term("markers", "[x] and [z]",
             "Marks from the government statistics standard: [x] the figure is missing from "
             "the published file; [z] nothing was due, so there is nothing to judge."),
    )
}  # fmt: skip
"""Every term, in the order /methodology explains them."""


def link(anchor: str, text: str | None = None) -> html.A:
    """The word where it first appears, linked to its sentence on /methodology."""
    term = TERMS[anchor]
    return html.A(text or term.term, href=term.href, className="term")


def marks(anchors: list[str]) -> dict[str, Any]:
    """The terms a disclosure explains, as a data attribute a test (or a script) can read."""
    return {"data-terms": " ".join(anchors)}


def explained(anchors: list[str], key: str = "page") -> html.Details:
    """'What the words on this page mean': a disclosure (keyboard-operable, closed until
    asked) with each term's sentence and a link to its place on /methodology."""
    items = []
    for anchor in anchors:
        term = TERMS[anchor]
        items += [
            html.Dt(html.A(term.term, href=term.href)),
            html.Dd(term.meaning),
        ]
    heading = f"terms-{key}"
    return html.Details(
        [
            html.Summary("What the words on this page mean", id=heading),
            html.Dl(items, className="plain-words", **aria(labelledby=heading)),
        ],
        className="terms",
        **marks(anchors),
    )
