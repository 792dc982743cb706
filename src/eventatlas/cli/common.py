"""What every command shares: settings from flags, logging, the console, error reporting."""

from __future__ import annotations

import argparse
import logging
import re
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


def positive_int(text: str) -> int:
    """An argparse ``type``: a whole number above zero (bad usage, exit status 2, otherwise)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


# Characters that would break a message line or forge another: C0 and C1 controls (a newline in
# a file name or a reason), the line and paragraph separators, bidirectional overrides, and lone
# surrogates (half a character, which no terminal can show).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` as one line that says only what it says: each character of ``_UNPRINTABLE``
    written as its escape (``\\n``, ``\\x1b``, ``\\u2028``)."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _ESCAPES:
        return _ESCAPES[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


class _OneLineFormatter(logging.Formatter):
    """Log messages on one line each, whatever names and reasons they quote (tracebacks, which
    come after the message, keep their lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return printable(super().formatMessage(record))


def _ours(record: logging.LogRecord) -> bool:
    return record.name == "eventatlas" or record.name.startswith("eventatlas.")


def setup_logging(verbose: int, quiet: bool) -> None:
    """Log to standard error: warnings and errors, more with ``-v``; with ``-q``, only the errors
    of eventatlas itself (a library's ERROR about a page it could not parse, which eventatlas
    then read another way, is not one)."""
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLineFormatter("%(levelname)s %(name)s: %(message)s"))
    if quiet:
        handler.addFilter(_ours)
    logging.basicConfig(level=level, handlers=[handler])


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def report_rejections(rejections: list[Rejection]) -> None:
    """One line per rejection on standard error; no name or reason can add or split a line."""
    for rej in rejections:
        sys.stderr.write(f"eventatlas: rejected {printable(rej.source)}: {printable(rej.reason)}\n")


@contextmanager
def progress_bar(label: str, quiet: bool, total: int | None = None) -> Iterator[Progress]:
    console = stderr_console()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[current]}", style="dim", markup=False),  # a name, not markup
        console=console,
        transient=True,
        disable=quiet or not console.is_terminal,
    )
    with progress:
        progress.add_task(label, total=total, current="")
        yield progress
