"""What one document's processing needs from its parts: a parser, a gazetteer, an extractor.

``pipeline.process_doc`` is typed against these, so ``process``, ``extract`` and ``eval`` run
one step with whatever the settings chose.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

from eventatlas.geo.protocols import GazetteerLike
from eventatlas.records import ArticleInfo, EventMention, Place

__all__ = ["Extractor", "GazetteerLike", "Parser"]


class Parser(Protocol):
    """A spaCy ``Language``: a call parses one text, ``pipe`` a stream of them."""

    def __call__(self, text: str) -> Any: ...

    def pipe(self, texts: Iterable[str], batch_size: int = ...) -> Iterator[Any]: ...


class Extractor(Protocol):
    """The events of one parsed article, the main event first (registry kind ``extractors``)."""

    def __call__(
        self, doc: Any, article: ArticleInfo, places: Sequence[Place], res: Any, /
    ) -> list[EventMention]: ...
