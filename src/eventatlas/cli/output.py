"""Output files: checked before any long work (so a bad path fails in a second, not after hours
of processing), and written with a message that says what to do when writing still fails."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from eventatlas.errors import OutputError, UsageError


def check_output(out: str, flag: str, example: str) -> Path:
    """``out`` as a path that can be written as a file, else a UsageError naming ``flag``
    (``example``: a file name to suggest when ``out`` is a folder)."""
    path = Path(out)
    if path.is_dir():
        raise UsageError(
            f"{flag} {out}: expected a file to write, got a folder; give a file name inside it, "
            f"e.g. {flag} {path / example}"
        )
    parent = path.parent
    if not parent.exists():
        raise UsageError(
            f"{flag} {out}: expected an existing folder to write into, {parent} does not exist; "
            f"create it (mkdir -p {parent}) or choose another path"
        )
    if not parent.is_dir():
        raise UsageError(
            f"{flag} {out}: expected {parent} to be a folder, it is a file; choose another path"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(
            f"{flag} {out}: the file exists and cannot be written (no write permission); "
            "make it writable or choose another path"
        )
    if not path.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(
            f"{flag} {out}: cannot create a file in {parent} (no write permission); "
            "choose a folder you can write to"
        )
    return path


@contextmanager
def writing(path: Path, what: str) -> Iterator[TextIO]:
    """``path`` open for writing text; an OSError while opening, writing or closing becomes an
    OutputError saying what could not be written and why."""
    try:
        with path.open("w", encoding="utf-8", newline="") as fh:
            yield fh
    except OSError as exc:
        raise write_failed(path, what, exc) from exc


def write_failed(path: Path, what: str, exc: OSError) -> OutputError:
    return OutputError(f"could not write {what} to {path}: {exc.strerror or exc}")


def unchanged(command: str) -> str:
    """What to do after a failed write by a command that only reads the store."""
    return (
        "nothing in the store changed: fix that or choose another --out, and rerun "
        f"`eventatlas {command}`"
    )
