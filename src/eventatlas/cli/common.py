"""What every command shares: settings from flags, logging, the console, error reporting."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from eventatlas.records import Rejection
from eventatlas.settings import Settings, load_settings

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2

# flag name on the command line → settings field
_FLAG_SETTINGS = ("db", "max_bytes", "quiet", "outlets_file", "cleaner", "html_extractor")


def add_common(parser: argparse.ArgumentParser, *, db: bool = True) -> None:
    if db:
        parser.add_argument(
            "--db",
            help="SQLite file or postgresql:// URL (default ./eventatlas.db or $EVENTATLAS_DB)",
        )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_const",
        const=True,
        default=None,
        help="no progress bars or summaries (errors still go to stderr)",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log detail")


def settings_from(args: argparse.Namespace) -> Settings:
    flags: dict[str, Any] = {k: getattr(args, k, None) for k in _FLAG_SETTINGS}
    return load_settings(flags)


def setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def report_rejections(rejections: list[Rejection]) -> None:
    for rej in rejections:
        sys.stderr.write(f"eventatlas: rejected {rej.source}: {rej.reason}\n")


@contextmanager
def progress_bar(label: str, quiet: bool, total: int | None = None) -> Iterator[Progress]:
    console = stderr_console()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[current]}", style="dim"),
        console=console,
        transient=True,
        disable=quiet or not console.is_terminal,
    )
    with progress:
        progress.add_task(label, total=total, current="")
        yield progress
