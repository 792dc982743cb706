"""`eventatlas run`, `eventatlas ingest` and `eventatlas process`."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from eventatlas.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    add_common,
    positive_int,
    progress_bar,
    report_rejections,
    settings_from,
)
from eventatlas.errors import EventAtlasError, OutputError
from eventatlas.settings import Settings
from eventatlas.store.sql import SqlStore, open_store

if TYPE_CHECKING:  # the pipeline (and the libraries it reads with) loads only when a command runs
    from eventatlas.pipeline import IngestReport, ProcessReport


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    for name, helptext in (
        ("run", "ingest, process and fuse every article under PATH (--report FILE: and report)"),
        ("ingest", "only ingest: parse, clean, detect outlet and date, store"),
    ):
        p = sub.add_parser(name, help=helptext, description=helptext)
        p.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="files, folders, globs, feed or page URLs, or - for standard input",
        )
        p.add_argument("--max-bytes", type=positive_int, help="reject inputs larger than this")
        p.add_argument("--outlets-file", help="CSV of extra outlets (columns as data/outlets.csv)")
        if name == "run":
            p.add_argument("--report", help="also write the situation report (HTML) to this file")
        add_common(p)
        p.set_defaults(func=cmd_run if name == "run" else cmd_ingest)
    helptext = "NLP, geoparsing, event extraction and fusion for stored articles not yet processed"
    p = sub.add_parser("process", help=helptext, description=helptext)
    p.add_argument("--all", action="store_true", help="reprocess every stored article")
    add_common(p)
    p.set_defaults(func=cmd_process)


def _ingest(args: argparse.Namespace, settings: Settings) -> IngestReport:
    from eventatlas.pipeline import ingest

    with open_store(settings.db) as store, progress_bar("ingesting", settings.quiet) as bar:
        task = bar.task_ids[0]

        def tick(source: str) -> None:
            bar.update(task, advance=1, current=source[-60:])

        return ingest(args.paths, settings, store, stdin=sys.stdin.buffer, on_item=tick)


def _summary(report: IngestReport, settings: Settings) -> None:
    out = Console(width=max(Console().width, 120), markup=False, highlight=False)
    table = Table(title=f"Articles stored in {settings.db}", title_justify="left")
    table.add_column("source", overflow="fold", max_width=28)
    table.add_column("outlet", overflow="fold", max_width=22)
    table.add_column("published", no_wrap=True)
    table.add_column("from", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("words", justify="right", no_wrap=True)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=48)
    for a in report.stored:
        copy = f" [copy of {a.duplicate_of[:8]}]" if a.duplicate_of else ""
        table.add_row(
            Path(a.source).name if "://" not in a.source else a.source,
            a.outlet or "—",
            a.published.isoformat() if a.published else "—",
            a.published_source or "",
            a.language,
            str(len(a.text.split())),
            (a.title or "—") + copy,
        )
    if report.stored:
        out.print(table)
    out.print(
        f"stored {len(report.stored)} new article(s) "
        f"({report.linked_copies} linked as syndicated copies), "
        f"{report.already_stored} already stored, {len(report.rejections)} rejected",
        soft_wrap=True,
    )


def cmd_ingest(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    report = _ingest(args, settings)
    report_rejections(report.rejections)
    if not settings.quiet:
        _summary(report, settings)
    return EXIT_REJECTED if report.rejections else EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from eventatlas.cli.report import check_report, write_report

    if args.report:
        check_report(args.report, "--report")  # before the hours of work, not after
    code = cmd_ingest(args)
    settings = settings_from(args)
    with open_store(settings.db) as store:
        _process(store, settings, everything=False)
        if args.report:
            try:
                write_report(store, settings, args.report)
            except (EventAtlasError, OSError) as exc:
                db, out = shlex.quote(settings.db), shlex.quote(args.report)
                raise OutputError(
                    f"{exc}; the articles and events are stored in {settings.db}: once that is "
                    f"fixed, write the report with `eventatlas report --db {db} --out {out}` "
                    "(or another --out)"
                ) from exc
    return code


def _process(store: SqlStore, settings: Settings, *, everything: bool) -> ProcessReport:
    from eventatlas.pipeline import ProcessReport, load_process_resources, process

    total = store.count_articles() if everything else store.count_unprocessed()
    if total == 0:
        if not settings.quiet:
            Console().print("nothing to process: every stored article is processed")
        return ProcessReport()
    resources = load_process_resources(settings)
    with progress_bar("processing", settings.quiet, total=total) as bar:
        task = bar.task_ids[0]

        def tick(source: str) -> None:
            bar.update(task, advance=1, current=source[-60:])

        report = process(store, resources, everything=everything, on_item=tick)
    if not settings.quiet:
        Console().print(
            f"processed {report.articles} article(s): {report.places} place mention(s), "
            f"{report.resolved} resolved, {report.events} event mention(s), "
            f"{report.fused} fused into events; {report.inferred} undated article(s) dated by "
            "the events they share",
            soft_wrap=True,
        )
    return report


def cmd_process(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    with open_store(settings.db) as store:
        _process(store, settings, everything=args.all)
    return EXIT_OK
