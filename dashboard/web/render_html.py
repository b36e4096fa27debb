"""Dash components as plain HTML: the page a reader gets before (or without) any script.

Only the components the site's pages use are drawn: every `dash.html` element as itself,
`dcc.Input` and `dcc.Link` as their native elements, a `dcc.Graph` as a box of the chart's
height (so nothing moves when the chart arrives) and the invisible `dcc` parts as nothing.
"""

from __future__ import annotations

import html as escape
import re
from collections.abc import Callable
from typing import Any

from dash.development.base_component import Component

VOID = {"br", "hr", "img", "input", "meta", "link", "col", "wbr", "source", "area"}
BOOLEAN = {"hidden", "selected", "disabled", "checked", "open", "required", "multiple"}
RENAMED = {"className": "class", "htmlFor": "for"}
SKIPPED = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state"}
INPUT_PROPS = {"id", "type", "name", "value", "placeholder", "className", "autoComplete"}
INPUT_PROPS |= {"required", "min", "max", "step", "inputMode", "pattern", "style"}
INVISIBLE = {"Location", "Store", "Download", "Interval"}
GRAPH_HEIGHT = 450  # plotly's default height, where a figure sets none
CAMEL = re.compile(r"(?<!^)(?=[A-Z])")

# A component drawn by the caller instead (the page's content inside Dash's page container).
Override = Callable[[Component], "str | None"]


def style_text(style: dict[str, Any]) -> str:
    """A React style object ({'maxWidth': '10em'}) as CSS text."""
    return "; ".join(f"{CAMEL.sub('-', key).lower()}: {value}" for key, value in style.items())


def attributes(props: dict[str, Any], allowed: set[str] | None = None) -> str:
    """The element's attributes, escaped; React's names turned back into HTML's."""
    out: list[str] = []
    for name, value in props.items():
        if name in SKIPPED or value is None or (allowed is not None and name not in allowed):
            continue
        attr = RENAMED.get(name, name if "-" in name else name.lower())
        if name in BOOLEAN or isinstance(value, bool):
            if value is True:
                out.append(f" {attr}")
            elif "-" in name:  # aria-* and data-* say false out loud
                out.append(f' {attr}="false"')
            continue
        text = style_text(value) if name == "style" and isinstance(value, dict) else str(value)
        out.append(f' {attr}="{escape.escape(text, quote=True)}"')
    return "".join(out)


def props_of(component: Component) -> dict[str, Any]:
    """The properties a component was given (not its defaults)."""
    props: dict[str, Any] = component.to_plotly_json()["props"]
    return {name: value for name, value in props.items() if value is not None}


def graph_box(props: dict[str, Any]) -> str:
    """The space a chart will take, so the page does not move when it is drawn."""
    figure = props.get("figure")
    layout = getattr(figure, "layout", None) if figure is not None else None
    if layout is None and isinstance(figure, dict):
        layout = figure.get("layout")
    height = None
    if layout is not None:
        height = layout.get("height") if isinstance(layout, dict) else layout.height
    style = {"minHeight": f"{height or GRAPH_HEIGHT}px", **(props.get("style") or {})}
    box = {"className": props.get("className"), "style": style, "aria-hidden": "true"}
    return f"<div{attributes(box)}></div>"


def to_html(node: Any, override: Override | None = None) -> str:
    """The HTML of a component tree (text escaped)."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, str | int | float):
        return escape.escape(str(node), quote=False)
    if isinstance(node, list | tuple):
        return "".join(to_html(child, override) for child in node)
    if not isinstance(node, Component):
        return ""
    if override is not None:
        drawn = override(node)
        if drawn is not None:
            return drawn
    return element(node, override)


def element(component: Component, override: Override | None) -> str:
    """One component as its element, with its children."""
    kind, namespace = component._type, component._namespace
    props = props_of(component)
    children = to_html(props.get("children"), override)
    if namespace == "dash_html_components":
        tag = kind.lower()
        if tag in VOID:
            return f"<{tag}{attributes(props)}>"
        return f"<{tag}{attributes(props)}>{children}</{tag}>"
    if kind in INVISIBLE:
        return ""
    if kind == "Input":
        return f"<input{attributes(props, INPUT_PROPS)}>"
    if kind == "Link":
        allowed = {"href", "className", "title", "target", "id"}
        return f"<a{attributes(props, allowed)}>{children}</a>"
    if kind == "Graph":
        return graph_box(props)
    return children
