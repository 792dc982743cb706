"""Score the geoparser on a GeoWebNews or LGL file (until ``eventatlas eval geo`` calls the same).

Usage::

    .venv/bin/python scripts/eval_geo.py --corpus ../shared/data/geoparsing/GWN.xml \
        [--split all|dev|test] [--limit N] [--json]

Uses the embedded gazetteer of the current settings (built on first use) and the spaCy model of
``eventatlas.nlp.load``; prints :func:`eventatlas.eval.geo.format_geo_report`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eventatlas.eval.geo import evaluate_geo, format_geo_report
from eventatlas.geo.gazetteer import open_gazetteer
from eventatlas.nlp.load import load_nlp
from eventatlas.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="score the geoparser against GWN or LGL")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--split", choices=("all", "dev", "test"), default="all")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = evaluate_geo(
        args.corpus, load_nlp(), open_gazetteer(load_settings()), split=args.split, limit=args.limit
    )
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(format_geo_report(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
