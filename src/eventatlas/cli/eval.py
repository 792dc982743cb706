"""`eventatlas eval clean|geo|events|fusion` — score a stage against a gold corpus."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, cast, get_args

from eventatlas.cli.common import EXIT_OK, add_common, settings_from
from eventatlas.errors import UsageError


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "eval",
        help="score a stage against a gold corpus",
        description="score a stage against a gold corpus",
    )
    p.add_argument(
        "stage", choices=("clean", "geo", "events", "fusion"), help="which stage to score"
    )
    p.add_argument("--corpus", required=True, type=Path, help="the gold corpus (folder or file)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--limit", type=int, help="geo: score only this many articles (spread evenly)")
    p.add_argument(
        "--split",
        choices=("all", "dev", "test", "train", "page-test", "page-train"),
        default=None,
        help="clean: test (held-out sites, default), train, all, or page-test/page-train (the "
        "earlier split by page); geo: all (default), dev or test (the places gold also "
        "train); fusion: all, dev or test; events on the real gold folder: test (default), "
        "dev, train or all",
    )
    add_common(p, db=False)
    p.set_defaults(func=cmd_eval)


def _pick_split(split: str, allowed: tuple[str, ...], stage: str) -> str:
    if split not in allowed:
        raise UsageError(
            f"eval {stage} --split: expected one of {', '.join(allowed)}, got {split!r}"
        )
    return split


def _eval_clean(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from eventatlas.eval.clean import Split, evaluate_clean, format_report, to_dict

    split = _pick_split(args.split or "test", get_args(Split), "clean")
    report = evaluate_clean(args.corpus, split=cast(Split, split))
    return to_dict(report), format_report(report)


def _eval_geo(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from eventatlas.eval.geo import Split, evaluate_geo, format_geo_report
    from eventatlas.eval.places_gold import is_places_gold
    from eventatlas.pipeline import load_process_resources

    places_gold = is_places_gold(args.corpus)  # also scores the events' locations
    res = load_process_resources(settings_from(args), events=places_gold)
    split = _pick_split(args.split or "all", get_args(Split), "geo")
    report = evaluate_geo(
        args.corpus, res.nlp, res.gazetteer, split=cast(Split, split), limit=args.limit
    )
    as_dict, text = report.to_dict(), format_geo_report(report)
    if places_gold:
        from eventatlas.eval.event_places import evaluate_event_places, format_event_places_report

        located = evaluate_event_places(args.corpus, res, split)
        as_dict["event_locations"] = located.to_dict()
        text += "\n" + format_event_places_report(located)
    return as_dict, text


def _eval_events(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from eventatlas.eval.events import evaluate_events, format_events_report
    from eventatlas.eval.events_gold import Split, is_event_gold
    from eventatlas.pipeline import load_process_resources

    res = load_process_resources(settings_from(args))
    if is_event_gold(args.corpus):
        from eventatlas.eval.events_real import evaluate_event_gold, format_real_events_report

        split = _pick_split(args.split or "test", get_args(Split), "events")
        real = evaluate_event_gold(args.corpus, res, split=cast(Split, split))
        return real.to_dict(), format_real_events_report(real)
    report = evaluate_events(args.corpus, res)
    return report.to_dict(), format_events_report(report)


def _eval_fusion(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    from eventatlas.eval.fusion import Split, evaluate_fusion, format_fusion_report
    from eventatlas.pipeline import load_process_resources

    res = load_process_resources(settings_from(args))
    split = _pick_split(args.split or "all", get_args(Split), "fusion")
    report = evaluate_fusion(args.corpus, res, split=cast(Split, split))
    return report.to_dict(), format_fusion_report(report)


def cmd_eval(args: argparse.Namespace) -> int:
    if not args.corpus.exists():
        raise UsageError(f"--corpus {args.corpus}: no such file or folder")
    runners = {
        "clean": _eval_clean, "geo": _eval_geo, "events": _eval_events, "fusion": _eval_fusion,
    }  # fmt: skip
    runner = runners[args.stage]
    as_dict, text = runner(args)
    if args.json:
        sys.stdout.write(json.dumps(as_dict, indent=2) + "\n")
    else:
        sys.stdout.write(text + "\n")
    return EXIT_OK
