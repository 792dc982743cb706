"""`eventatlas run` and `eventatlas ingest`."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.table import Table

from eventatlas.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    add_common,
    progress_bar,
    report_rejections,
    settings_from,
)
from eventatlas.pipeline import IngestReport, ingest
from eventatlas.settings import Settings
from eventatlas.store.sql import open_store


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name, helptext in (
        ("run", "ingest and process every article under PATH (the stages built so far)"),
        ("ingest", "only ingest: parse, clean, detect outlet and date, store"),
    ):
        p = sub.add_parser(name, help=helptext, description=helptext)
        p.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="files, folders, globs, feed or page URLs, or - for standard input",
        )
        p.add_argument("--max-bytes", type=int, help="reject inputs larger than this")
        p.add_argument("--outlets-file", help="CSV of extra outlets (columns as data/outlets.csv)")
        add_common(p)
        p.set_defaults(func=cmd_run if name == "run" else cmd_ingest)


def _ingest(args: argparse.Namespace, settings: Settings) -> IngestReport:
    with open_store(settings.db) as store, progress_bar("ingesting", settings.quiet) as bar:
        task = bar.task_ids[0]

        def tick(source: str) -> None:
            bar.update(task, advance=1, current=source[-60:])

        return ingest(args.paths, settings, store, stdin=sys.stdin.buffer, on_item=tick)


def _summary(report: IngestReport, settings: Settings) -> None:
    table = Table(title=f"Articles stored in {settings.db}")
    for col in ("outlet", "published", "from", "lang", "words", "title"):
        table.add_column(col, overflow="fold")
    for a in report.stored:
        table.add_row(
            a.outlet or "—",
            a.published.isoformat() if a.published else "—",
            a.published_source or "",
            a.language,
            str(len(a.text.split())),
            (a.title or "")[:70] + (f"  [copy of {a.duplicate_of[:8]}]" if a.duplicate_of else ""),
        )
    out = Console()
    if report.stored:
        out.print(table)
    out.print(
        f"stored {len(report.stored)} new article(s) "
        f"({report.linked_copies} linked as syndicated copies), "
        f"{report.already_stored} already stored, {len(report.rejections)} rejected"
    )


def cmd_ingest(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = _ingest(args, settings)
    report_rejections(report.rejections)
    if not settings.quiet:
        _summary(report, settings)
    return EXIT_REJECTED if report.rejections else EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    # Processing stages (geoparsing, events, fusion) join here as they land.
    return cmd_ingest(args)
