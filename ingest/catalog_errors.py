"""Catalog mistakes explained where they are: the keys allowed there and the nearest one."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence

from pydantic import BaseModel


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold (through lists, dicts and unions)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is None:
        return []
    args = typing.get_args(annotation)
    if origin is dict:
        args = args[1:]
    if origin is typing.Annotated:
        args = args[:1]
    if origin not in (list, dict, typing.Union, types.UnionType, typing.Annotated):
        return []
    return [m for a in args for m in _models_in(a)]


def model_at(roots: dict[str, type[BaseModel]], loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model that holds the place `loc` names (its first step is the entry's kind)."""
    if not loc or str(loc[0]) not in roots:
        return None
    model: type[BaseModel] | None = roots[str(loc[0])]
    for step in loc[1:]:
        if model is None or not isinstance(step, str) or step not in model.model_fields:
            continue  # a list index or a dict key: the same model holds on
        found = _models_in(model.model_fields[step].annotation)
        model = found[0] if found else None
    return model


def explain_extra(roots: dict[str, type[BaseModel]], loc: Sequence[int | str], message: str) -> str:
    """An unknown key's message, with the keys allowed there and the nearest of them."""
    model = model_at(roots, loc[:-1])
    if model is None:
        return message
    allowed = sorted(model.model_fields)
    near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    return f"unknown key {str(loc[-1])!r}{hint} (allowed here: {', '.join(allowed)})"
