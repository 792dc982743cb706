"""Write what is stored, as the contract's records (JSON Lines, CSV)."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterable
from typing import Any, TextIO

from eventatlas.errors import UsageError
from eventatlas.records import Article

ARTICLE_FIELDS = (
    "id",
    "source",
    "url",
    "outlet",
    "title",
    "published",
    "published_source",
    "language",
    "text",
    "places",
    "duplicate_of",
)
ARTICLE_FORMATS = ("jsonl", "csv")


def article_record(article: Article) -> dict[str, Any]:
    """The contract's article record (plus ``duplicate_of``, the syndicated original's id)."""
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "published_source": article.published_source,
        "language": article.language,
        "text": article.text,
        "places": [dataclasses.asdict(p) for p in article.places],
        "duplicate_of": article.duplicate_of,
    }


def write_articles(articles: Iterable[Article], fmt: str, out: TextIO) -> int:
    """Write ``articles`` to ``out`` in ``fmt``; returns how many were written."""
    if fmt not in ARTICLE_FORMATS:
        raise UsageError(
            f"articles can be exported as {' or '.join(ARTICLE_FORMATS)}, not {fmt!r}; "
            "geojson, acled-csv and parquet are event formats"
        )
    if fmt == "jsonl":
        return _write_jsonl(articles, out)
    return _write_csv(articles, out)


def _write_jsonl(articles: Iterable[Article], out: TextIO) -> int:
    n = 0
    for article in articles:
        out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(articles: Iterable[Article], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=ARTICLE_FIELDS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for article in articles:
        row = article_record(article)
        row["places"] = json.dumps(row["places"], ensure_ascii=False)
        writer.writerow(row)
        n += 1
    return n
