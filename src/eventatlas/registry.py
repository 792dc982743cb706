"""One registry for swappable implementations, chosen by name in settings.

Kinds: ``cleaners`` (plain-text boilerplate removal), ``html_extractors``, ``stores``,
``gazetteers``, ``extractors`` (event extraction), ``encoders`` (sentence vectors).
Implementations register themselves with :func:`register`; callers look them up with :func:`get`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

from eventatlas.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])

_REGISTRY: dict[str, dict[str, Callable[..., Any]]] = {}

# Modules that register the built-in implementations; imported on first lookup, not at import.
_BUILTINS: dict[str, tuple[str, ...]] = {
    "cleaners": ("eventatlas.ingest.clean",),
    "html_extractors": ("eventatlas.ingest.html",),
    "stores": ("eventatlas.store.sql",),
    "gazetteers": ("eventatlas.geo.gazetteer",),
    "extractors": ("eventatlas.events.extract",),
    "encoders": ("eventatlas.events.encoders",),
}


def register(kind: str, name: str) -> Callable[[F], F]:
    """Decorator: make ``obj`` available as ``name`` among ``kind``."""

    def deco(obj: F) -> F:
        _REGISTRY.setdefault(kind, {})[name] = obj
        return obj

    return deco


def get(kind: str, name: str) -> Callable[..., Any]:
    """The implementation registered as ``name`` among ``kind``."""
    for module in _BUILTINS.get(kind, ()):
        importlib.import_module(module)
    found = _REGISTRY.get(kind, {})
    if name not in found:
        choices = ", ".join(sorted(found)) or "none"
        raise UsageError(f"no {kind[:-1]} named {name!r}; choose one of: {choices}")
    return found[name]


def names(kind: str) -> list[str]:
    for module in _BUILTINS.get(kind, ()):
        importlib.import_module(module)
    return sorted(_REGISTRY.get(kind, {}))
