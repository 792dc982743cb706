"""`eventatlas report [--out report.html]`: the self-contained situation report."""

from __future__ import annotations

import argparse
from pathlib import Path

from eventatlas.cli.common import EXIT_OK, add_common, settings_from
from eventatlas.cli.output import check_output, unchanged, writing
from eventatlas.errors import OutputError, UsageError
from eventatlas.settings import Settings
from eventatlas.store.sql import SqlStore, open_store


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    helptext = "one self-contained HTML file: map, timeline, events with their sources"
    p = sub.add_parser("report", help=helptext, description=helptext)
    p.add_argument("--out", default="report.html", help="the HTML file (default report.html)")
    add_common(p)
    p.set_defaults(func=cmd_report)


def check_report(out: str, flag: str) -> Path:
    """Fail now, not after the work: ``out`` writable as a file, the map assets present."""
    from eventatlas.out.report import check_assets

    check_assets()
    return check_output(out, flag, "report.html")


def write_report(store: SqlStore, settings: Settings, out: str) -> Path:
    from rich.console import Console

    from eventatlas.out.report import build_report
    from eventatlas.pipeline import cited_sources, outlet_types, stored_events

    events = stored_events(store, cited_sources(settings))
    html = build_report(events, store.count_articles(), outlet_types(settings))
    path = Path(out)
    with writing(path, "the report") as fh:
        fh.write(html)
    if not settings.quiet:
        message = f"report: {path.resolve()} ({len(events)} events)"
        Console(markup=False).print(message, soft_wrap=True)
    return path


def cmd_report(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.db is None and not Path(settings.db).exists():
        raise UsageError(
            f"no database at {settings.db}; run `eventatlas run PATH` first or pass --db"
        )
    check_report(args.out, "--out")
    with open_store(settings.db) as store:
        try:
            write_report(store, settings, args.out)
        except OutputError as exc:
            raise OutputError(f"{exc}; {unchanged('report')}") from exc
    return EXIT_OK
