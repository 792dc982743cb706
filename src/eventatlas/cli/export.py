"""`eventatlas export`."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from eventatlas.cli.common import EXIT_OK, add_common, settings_from
from eventatlas.cli.output import check_output, unchanged, write_failed, writing
from eventatlas.errors import OutputError, UsageError
from eventatlas.out.export import write_articles, write_events, write_rows
from eventatlas.store.sql import open_store

FORMATS = ("jsonl", "csv", "geojson", "acled-csv", "parquet")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="write what is stored", description="write what is stored")
    p.add_argument(
        "--what",
        choices=("events", "articles", "stories", "sources"),
        required=True,
        help="stories: storylines of events; sources: per-outlet corroboration profiles",
    )
    p.add_argument("--format", choices=FORMATS, default="jsonl")
    p.add_argument("--out", help="output file (default: standard output)")
    add_common(p)
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if not args.out and args.db is None and not Path(settings.db).exists():
        raise UsageError(
            f"no database at {settings.db}; run `eventatlas ingest PATH` first or pass --db"
        )
    from eventatlas.pipeline import cited_sources, stored_events

    if args.format == "parquet" and not args.out:
        raise UsageError("--format parquet writes a binary file: give it with --out FILE")
    if args.what != "events":  # a format the rows cannot take fails now, not after fusion
        check = write_articles if args.what == "articles" else write_rows
        check((), args.format, io.StringIO())
    suffix = {"acled-csv": "csv"}.get(args.format, args.format)
    out = check_output(args.out, "--out", f"{args.what}.{suffix}") if args.out else None
    try:
        with open_store(settings.db) as store:
            if args.what in ("stories", "sources"):
                events = stored_events(store, cited_sources(settings))
                n = _export_summary(events, args.what, args.format, out)
            elif args.what == "events":
                events = stored_events(store, cited_sources(settings))
                n = _export_events(events, args.format, out)
            elif out:
                with writing(out, "the articles") as fh:
                    n = write_articles(store.iter_articles(), args.format, fh)
            else:
                n = write_articles(store.iter_articles(), args.format, sys.stdout)
    except OutputError as exc:
        raise OutputError(f"{exc}; {unchanged('export')}") from exc
    if args.out and not settings.quiet:
        sys.stderr.write(f"wrote {n} {args.what[:-1]}(s) to {args.out}\n")
    return EXIT_OK


def _export_summary(events: list[Any], what: str, fmt: str, out: Path | None) -> int:
    from eventatlas.fuse.stories import source_profiles, storylines

    rows = storylines(events) if what == "stories" else source_profiles(events)
    if out:
        with writing(out, f"the {what}") as fh:
            return write_rows(rows, fmt, fh)
    return write_rows(rows, fmt, sys.stdout)


def _export_events(events: list[Any], fmt: str, out: Path | None) -> int:
    from eventatlas.out import formats

    if fmt == "parquet":
        assert out is not None  # cmd_export refuses parquet without --out
        try:
            return formats.write_parquet(events, out)
        except OSError as exc:
            raise write_failed(out, "the events", exc) from exc
    writers: dict[str, Callable[[list[Any], TextIO], int]] = {
        "geojson": formats.write_geojson,
        "acled-csv": formats.write_acled_csv,
    }
    writer = writers.get(fmt) or (lambda evs, fh: write_events(evs, fmt, fh))
    if out:
        with writing(out, "the events") as fh:
            return writer(events, fh)
    return writer(events, sys.stdout)
