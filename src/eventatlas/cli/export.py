"""`eventatlas export`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from eventatlas.cli.common import EXIT_OK, add_common, settings_from
from eventatlas.errors import UsageError
from eventatlas.out.export import write_articles, write_events
from eventatlas.pipeline import stored_events
from eventatlas.store.sql import open_store

FORMATS = ("jsonl", "csv", "geojson", "acled-csv", "parquet")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="write what is stored", description="write what is stored")
    p.add_argument("--what", choices=("events", "articles"), required=True)
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
    with open_store(settings.db) as store:
        if args.what == "events":
            def write(fh: TextIO) -> int:
                return write_events(stored_events(store), args.format, fh)
        else:
            def write(fh: TextIO) -> int:
                return write_articles(store.iter_articles(), args.format, fh)
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as fh:
                n = write(fh)
        else:
            n = write(sys.stdout)
    if args.out and not settings.quiet:
        sys.stderr.write(f"wrote {n} {args.what[:-1]}(s) to {args.out}\n")
    return EXIT_OK
