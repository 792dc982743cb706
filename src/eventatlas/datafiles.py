"""One loader for data files: the packaged ones (``eventatlas.data``) and the user's own.

A data file is CSV (UTF-8, an optional byte-order mark) with ``#`` comment lines and blank lines
anywhere between records, one header record naming the columns, then one record per row; a
quoted field may span lines. Every row keeps its TRUE 1-based line number in the file (the line
its record starts on, comments and blank lines counted), so a message points where an editor
does. Rules and tuned numbers carry a ``provenance`` column (where the row comes from); a schema
asks for it with ``provenance=True`` and then an empty provenance is refused.

Entry points:

* :class:`Schema` — the columns a CSV file must have (provenance included or not), the columns
  each row must fill in;
* :func:`read_packaged_csv` ``(name, schema) -> Table`` — a file of ``eventatlas/data``;
* :func:`read_user_csv` ``(path, schema, setting) -> Table`` — a file the user named;
* :func:`parse_csv` ``(text or lines, file, schema) -> Table`` — text already read;
* :func:`packaged_text` / :func:`user_text` — the text of any data file (JSON models too);
  :func:`parse_json` — JSON text, a syntax error reported at its line.

Every problem is a :class:`~eventatlas.errors.DataFileError` naming the file, the line, what was
expected, what came and what to do.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from eventatlas.errors import DataFileError

PACKAGE = "eventatlas.data"
PROVENANCE = "provenance"
_BOM = "\ufeff"


@dataclass(frozen=True)
class Row:
    """One record of a data file: its values by column and the line it starts on."""

    file: str
    line: int
    values: Mapping[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def get(self, column: str, default: str = "") -> str:
        return self.values.get(column, default)

    def error(
        self,
        problem: str = "",
        *,
        expected: str | None = None,
        got: str | None = None,
        fix: str | None = "fix the row",
    ) -> DataFileError:
        """The error to raise about this row (file and line filled in)."""
        return DataFileError(
            problem, file=self.file, line=self.line, expected=expected, got=got, fix=fix
        )


@dataclass(frozen=True)
class Table:
    """The rows of one data file, in file order, under its header's columns."""

    file: str
    columns: tuple[str, ...]
    header_line: int
    rows: tuple[Row, ...]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


# ---------------------------------------------------------------------------------------------
# Reading files


def packaged_name(name: str) -> str:
    """How messages name a packaged data file."""
    return f"eventatlas/data/{name}"


def packaged_text(name: str) -> str:
    """The text of the packaged data file ``name`` (``eventatlas/data/NAME``)."""
    try:
        return resources.files(PACKAGE).joinpath(name).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(
            file=packaged_name(name),
            expected="a packaged data file readable as UTF-8",
            got=_reason(exc),
            fix="reinstall eventatlas (`make install`)",
        ) from exc


def user_text(path: Path, setting: str | None = None, columns: Sequence[str] = ()) -> str:
    """The text of the user's file ``path``; ``setting`` names the setting that gave the path,
    ``columns`` the columns a CSV file must have (both for the message)."""
    try:
        return path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        kind = "a readable UTF-8 CSV file" if columns else "a readable UTF-8 file"
        raise DataFileError(
            file=str(path),
            expected=f"{kind} (the {setting} setting)" if setting else kind,
            got=_reason(exc),
            fix=_cure(exc, setting, columns),
        ) from exc


def _cure(exc: OSError | UnicodeDecodeError, setting: str | None, columns: Sequence[str]) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "save the file as UTF-8"
    cure = "fix the path"
    if setting:
        cure = f"fix the {setting} setting (eventatlas.toml or EVENTATLAS_{setting.upper()})"
    if columns:
        cure += f" or create the file with the columns {','.join(columns)}"
    return cure


def _reason(exc: OSError | UnicodeDecodeError) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"bytes that are not UTF-8 (at byte {exc.start}: {exc.reason})"
    if isinstance(exc, FileNotFoundError):
        return "a path that does not exist"
    if isinstance(exc, IsADirectoryError):
        return "a directory"
    if isinstance(exc, PermissionError):
        return "a file this user may not read (permission denied)"
    return f"a file that cannot be read ({exc.strerror or exc})"


def parse_json(text: str, file: str) -> object:
    """The value of JSON ``text`` (of data file ``file``)."""
    try:
        value: object = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            file=file,
            line=exc.lineno,
            expected="JSON",
            got=f"{exc.msg} (column {exc.colno})",
            fix="fix the file, or write it again with the script that made it",
        ) from exc
    return value


@dataclass(frozen=True)
class Schema:
    """What a CSV data file must hold.

    ``columns`` must all be in the header (more may be); with ``provenance`` so must
    ``provenance``, and every row must fill it in, as every row must fill the ``filled``
    columns. Values are stripped of surrounding white space unless ``strip`` is false (header
    names always are).
    """

    columns: tuple[str, ...]
    provenance: bool = False
    filled: tuple[str, ...] = ()
    strip: bool = True

    @property
    def wanted(self) -> tuple[str, ...]:
        """Every column the header must name."""
        extra = (PROVENANCE,) if self.provenance and PROVENANCE not in self.columns else ()
        return (*self.columns, *extra)

    @property
    def must_fill(self) -> tuple[str, ...]:
        """Every column each row must fill in."""
        extra = (PROVENANCE,) if self.provenance and PROVENANCE not in self.filled else ()
        return (*self.filled, *extra)


def read_packaged_csv(name: str, schema: Schema) -> Table:
    """The packaged CSV ``name``, checked against ``schema``."""
    return parse_csv(packaged_text(name), packaged_name(name), schema)


def read_user_csv(path: Path, schema: Schema, setting: str | None = None) -> Table:
    """The user's CSV at ``path`` (named by ``setting``), checked against ``schema``."""
    return parse_csv(user_text(path, setting, schema.wanted), str(path), schema)


# ---------------------------------------------------------------------------------------------
# Parsing


def parse_csv(source: str | Iterable[str], file: str, schema: Schema) -> Table:
    """The rows of CSV ``source`` (text, or its lines) named ``file`` in messages, checked
    against ``schema``; every row has as many fields as the header."""
    records = _records(source, file)
    header_line, header = _header(records, file, schema.wanted)
    rows = tuple(_row(file, line, header, fields, schema) for line, fields in records)
    return Table(file, header, header_line, rows)


def _header(
    records: Iterator[tuple[int, list[str]]], file: str, wanted: Sequence[str]
) -> tuple[int, tuple[str, ...]]:
    listed = ",".join(wanted)
    found = next(records, None)
    if found is None:
        raise DataFileError(
            file=file,
            expected=f"a header line with the columns {listed}",
            got="no header (only comments or blank lines)",
            fix="add the header line",
        )
    line, fields = found
    header = tuple(f.strip() for f in fields)
    missing = [c for c in wanted if c not in header]
    twice = sorted({c for c in header if header.count(c) > 1})
    if missing or twice:
        problem = f"missing {', '.join(missing)}" if missing else f"{', '.join(twice)} twice"
        raise DataFileError(
            file=file,
            line=line,
            expected=f"a header with the columns {listed}",
            got=f"{','.join(header)!r} ({problem})",
            fix="fix the header line",
        )
    return line, header


def _row(file: str, line: int, header: tuple[str, ...], fields: list[str], schema: Schema) -> Row:
    if len(fields) != len(header):
        raise DataFileError(
            file=file,
            line=line,
            expected=f"{len(header)} fields ({','.join(header)})",
            got=str(len(fields)),
            fix="quote fields that contain commas, and give every column a value or nothing",
        )
    values = [f.strip() for f in fields] if schema.strip else fields
    row = Row(file, line, dict(zip(header, values, strict=True)))
    for column in schema.must_fill:
        if not row[column].strip():
            raise row.error(
                expected=f"a value in the {column} column",
                got=f"nothing (the {column} column is empty)",
                fix="fill it in" if column != PROVENANCE else _PROVENANCE_FIX,
            )
    return row


_PROVENANCE_FIX = "say where the row comes from (a source, a script, or 'hand-written ...')"


def _records(source: str | Iterable[str], file: str) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, its fields) for each CSV record of ``source``."""
    feed = _Feed(_lines(source))
    reader = csv.reader(feed, strict=True)
    while True:
        feed.start = None
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataFileError(
                file=file,
                line=feed.start or feed.last,
                expected="well-formed CSV (a quoted field ends with a quote; a quote "
                "inside it is doubled)",
                got=f"{exc}",
                fix="fix the quoting of the record starting on this line",
            ) from exc
        yield feed.start or feed.last, fields


def _lines(source: str | Iterable[str]) -> Iterator[str]:
    """Physical lines with their line ends, split after each newline only (as editors count;
    ``str.splitlines`` would also split on form feeds, U+2028 ...)."""
    if isinstance(source, str):
        yield from io.StringIO(source.removeprefix(_BOM))
        return
    first = True
    for line in source:
        yield line.removeprefix(_BOM) if first else line
        first = False


class _Feed:
    """The lines ``csv.reader`` reads: comment and blank lines between records left out.

    ``start`` is the line number of the record being read (None until its first line is handed
    out); ``last`` the number of the last line handed out.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = enumerate(lines, start=1)
        self.start: int | None = None
        self.last = 0

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        for number, line in self._lines:
            self.last = number
            if self.start is None:
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                self.start = number
            return line if line.endswith("\n") else line + "\n"
        raise StopIteration
