"""`eventatlas eval clean|…` — score a stage against a gold corpus."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eventatlas.cli.common import EXIT_OK, add_common
from eventatlas.errors import UsageError


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "eval",
        help="score a stage against a gold corpus",
        description="score a stage against a gold corpus",
    )
    p.add_argument("stage", choices=("clean",), help="which stage to score")
    p.add_argument("--corpus", required=True, type=Path, help="the gold corpus (folder or file)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_common(p, db=False)
    p.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    if not args.corpus.exists():
        raise UsageError(f"--corpus {args.corpus}: no such file or folder")
    from eventatlas.eval.clean import evaluate_clean, format_report

    report = evaluate_clean(args.corpus)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(format_report(report) + "\n")
    return EXIT_OK
