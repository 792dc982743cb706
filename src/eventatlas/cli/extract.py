"""`eventatlas extract [FILE.jsonl|-]`: events of each input line, nothing stored.

In: one JSON object per line, ``{"id", "text", "published"?, "outlet"?}``. Out: one line per
input line, ``{"id", "events": [...]}`` with the main event first. A bad line gets
``{"id", "error"}`` on standard output and a message on standard error; the rest go through
(exit status 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from eventatlas.cli.common import EXIT_OK, EXIT_REJECTED, add_common, settings_from
from eventatlas.errors import UsageError


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    helptext = "events of each JSON line ({id, text, published?, outlet?}); nothing is stored"
    p = sub.add_parser("extract", help=helptext, description=helptext)
    p.add_argument("file", nargs="?", default="-", help="a JSON Lines file, or - (default)")
    add_common(p, db=False)
    p.set_defaults(func=cmd_extract)


def _lines(name: str) -> Iterator[tuple[int, str]]:
    if name == "-":
        yield from enumerate(sys.stdin, 1)
        return
    try:
        with open(name, encoding="utf-8") as fh:
            yield from enumerate(fh, 1)
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file; give a JSON Lines file or -") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name}: not UTF-8 ({exc.reason}); convert it first") from exc


def parse_line(line: str, number: int) -> dict[str, Any]:
    """One input record, checked; ValueError names what is wrong."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"expected a JSON object, got invalid JSON ({exc.msg})") from None
    if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"]:
        raise ValueError('expected an object with a non-empty "text" string')
    published = row.get("published")
    if published is not None:
        try:
            row["published"] = dt.date.fromisoformat(str(published)[:10])
        except ValueError:
            raise ValueError(f'expected "published" as YYYY-MM-DD, got {published!r}') from None
    row.setdefault("id", f"line-{number}")
    return row


def cmd_extract(args: argparse.Namespace) -> int:
    from eventatlas.pipeline import load_process_resources

    settings = settings_from(args)
    res = load_process_resources(settings)
    return run_extract(_lines(args.file), res, sys.stdout, args.file)


def run_extract(lines: Iterator[tuple[int, str]], res: Any, out: TextIO, name: str) -> int:
    from eventatlas.out.records import event_record
    from eventatlas.pipeline import process_doc
    from eventatlas.records import ArticleInfo

    status = EXIT_OK
    for number, line in lines:
        if not line.strip():
            continue
        try:
            row = parse_line(line, number)
        except ValueError as exc:
            sys.stderr.write(f"eventatlas: rejected {name}:{number}: {exc}\n")
            out.write(json.dumps({"id": f"line-{number}", "error": str(exc)}) + "\n")
            status = EXIT_REJECTED
            continue
        doc = res.nlp(row["text"])
        info = ArticleInfo(str(row["id"]), row.get("published"), row.get("outlet"))
        events = process_doc(doc, info, res).events
        record = {"id": row["id"], "events": [event_record(e) for e in events]}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return status
