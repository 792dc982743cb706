"""`eventatlas geoparse [FILE|-]`: the places found in one text, as a JSON array."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from eventatlas.cli.common import EXIT_OK, add_common, settings_from
from eventatlas.errors import UsageError


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    helptext = "JSON array of the places found in one text (file or - for standard input)"
    p = sub.add_parser("geoparse", help=helptext, description=helptext)
    p.add_argument("file", nargs="?", default="-", help="a UTF-8 text file, or - (default)")
    add_common(p, db=False)
    p.set_defaults(func=cmd_geoparse)


def _read_text(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    if not path.is_file():
        raise UsageError(f"{name}: no such file; give a text file or - for standard input")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name}: not UTF-8 text ({exc.reason}); convert it first") from exc


def cmd_geoparse(args: argparse.Namespace) -> int:
    from eventatlas.geo.geoparse import geoparse
    from eventatlas.pipeline import load_process_resources

    settings = settings_from(args)
    text = _read_text(args.file)
    res = load_process_resources(settings, events=False)
    places = geoparse(text, res.nlp, res.gazetteer)
    json.dump([dataclasses.asdict(p) for p in places], sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return EXIT_OK
