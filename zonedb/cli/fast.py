"""Typer option parsing without pydantic for the plain options zonedb uses.

Typer (0.2x) coerces every option through a pydantic ``TypeAdapter``; importing
pydantic and building the adapters costs 50-100 ms on every command, more than the
whole of ``sqlite-utils query``. Options whose type is str, Path, int, bool or an Enum
(optionally in ``| None`` or ``list[...]``) and whose value fits are converted here
directly; anything else, or any value that does not fit, goes through Typer's own
coercion, so its error messages are unchanged. If Typer's internals move, ``install``
does nothing and Typer works as before, only slower.
"""

from __future__ import annotations

import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

_MISS = object()


def _plain(annotation: Any, info: Any, value: Any) -> Any:
    """``value`` converted to ``annotation``, or _MISS when Typer should decide."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _plain(args[0], info, value) if len(args) == 1 else _MISS
    if origin is list:
        if not isinstance(value, list | tuple):
            return _MISS
        items = [_plain(typing.get_args(annotation)[0], info, v) for v in value]
        return _MISS if any(i is _MISS for i in items) else items
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return _MISS
    if annotation is bool:
        return value if isinstance(value, bool) else _MISS
    if annotation is str:
        return value if isinstance(value, str) else _MISS
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            return _MISS
        try:
            number = int(value)
        except ValueError:
            return _MISS
        low, high = info.min, info.max
        if (low is not None and number < low) or (high is not None and number > high):
            return _MISS
        return number
    if annotation is Path and isinstance(value, str):
        plain_path = (not info.exists and not info.resolve_path and info.file_okay
                      and info.dir_okay and not info.writable)
        return Path(value) if plain_path else _MISS
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        if isinstance(value, annotation):
            return value
        fold = not getattr(info, "case_sensitive", True) and isinstance(value, str)
        for member in annotation:
            if member.value == value or (fold and member.value.lower() == value.lower()):
                return member
    return _MISS


def _enum_of(annotation: Any) -> type[Enum] | None:
    """The Enum inside ``annotation`` (``E``, ``E | None``, ``list[E]``), if any."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is not None and len(args) == 1:
        return _enum_of(args[0])
    return annotation if isinstance(annotation, type) and issubclass(annotation, Enum) else None


def install() -> None:
    """Route Typer's per-option coercion through ``_plain`` first."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:  # a Typer without these internals: keep its own behaviour
        return
    if getattr(_TyperParameter.get_runtime_param, "_zonedb", False):
        return

    class _Fast(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            result = _plain(self.annotation, self.parameter_info, value)
            enum = _enum_of(self.annotation)
            if result is _MISS and enum is not None and isinstance(value, str):
                from typer import BadParameter

                names = ", ".join(str(m.value) for m in enum)
                raise BadParameter(f"must be one of {names} (got {value!r})",
                                         ctx=ctx, param=param)
            if result is _MISS:  # Typer's own coercion, built only when a value needs it
                typer_own = build_runtime_param(param.type_descriptor)
                return typer_own._coerce_value(value, param=param, ctx=ctx)
            return result

    def get_runtime_param(self: Any) -> Any:
        if getattr(self, "_runtime_param", None) is None:
            desc = self.type_descriptor
            self._runtime_param = (
                build_runtime_param(desc) if desc.file_annotation is not None
                else _Fast(parameter_info=desc.parameter_info, annotation=desc.annotation))
        return self._runtime_param

    get_runtime_param._zonedb = True  # type: ignore[attr-defined]
    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
