#!/usr/bin/env python3
"""Inter-annotator agreement on the real event gold (docs/annotation/events.md, section 11).

    .venv/bin/python scripts/event_agreement.py \
        training/events_gold/annotations/ann-a/overlap.jsonl \
        training/events_gold/annotations/ann-b/overlap.jsonl [--json]

Scores the sentences both files code: detection (``event``) Cohen's kappa and raw agreement;
events paired across the two by overlapping evidence spans (greatest overlap first; unpaired
events count each way); over paired events, Cohen's kappa for PLOVER type, mode, ACLED
sub-event type and status; actor and recipient F1 (canonical name and role, case-folded);
place F1 (GeoNames id when both give one, else the name); date agreement (start, end and
precision all equal). Reported overall and per corpus (from training/events_gold/pool.jsonl).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
POOL = ROOT / "training" / "events_gold" / "pool.jsonl"
Record = dict[str, Any]


def read(path: Path) -> dict[str, Record]:
    out = {}
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{n}: not JSON ({exc})") from exc
            out[str(rec["sentence_id"])] = rec
    return out


def kappa(a: Sequence[object], b: Sequence[object]) -> float | None:
    """Cohen's kappa of two label sequences (None when there is nothing to compare)."""
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def _span(event: Record) -> tuple[int, int]:
    ev = event.get("evidence") or {}
    return int(ev.get("start") or 0), int(ev.get("end") or 0)


def pair_events(xs: Sequence[Record], ys: Sequence[Record]) -> list[tuple[Record, Record]]:
    """Events of two annotators paired by overlapping evidence, greatest overlap first."""
    cands = []
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            (a0, a1), (b0, b1) = _span(x), _span(y)
            overlap = min(a1, b1) - max(a0, b0)
            if overlap > 0:
                cands.append((overlap, i, j))
    used_x, used_y, pairs = set(), set(), []
    for _o, i, j in sorted(cands, reverse=True):
        if i not in used_x and j not in used_y:
            used_x.add(i)
            used_y.add(j)
            pairs.append((xs[i], ys[j]))
    return pairs


def _names(event: Record) -> set[tuple[str, str]]:
    return {
        (role, str(p.get("name") or "").casefold())
        for role in ("actors", "recipients")
        for p in event.get(role) or []
    }


def _place(event: Record) -> str | None:
    loc = event.get("location") or None
    if not loc:
        return None
    gid = loc.get("geonameid")
    return f"id:{gid}" if gid else f"name:{str(loc.get('name') or '').casefold()}"


def _f1(tp: int, fp: int, fn: int) -> float | None:
    return None if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def score(a: dict[str, Record], b: dict[str, Record], ids: Iterable[str]) -> dict[str, Any]:
    ids = list(ids)
    det_a = [bool(a[i].get("event")) for i in ids]
    det_b = [bool(b[i].get("event")) for i in ids]
    pairs: list[tuple[Record, Record]] = []
    unpaired_a = unpaired_b = 0
    for i in ids:
        xs, ys = a[i].get("events") or [], b[i].get("events") or []
        p = pair_events(xs, ys)
        pairs += p
        unpaired_a += len(xs) - len(p)
        unpaired_b += len(ys) - len(p)
    field = {
        "type": lambda e: e.get("type"),
        "mode": lambda e: e.get("mode"),
        "acled_sub_event_type": lambda e: (e.get("acled") or {}).get("sub_event_type"),
        "status": lambda e: e.get("status"),
    }
    kappas = {
        k: kappa([f(x) for x, _ in pairs], [f(y) for _, y in pairs]) for k, f in field.items()
    }
    tp = fp = fn = 0
    ptp = pfp = pfn = 0
    dates = 0
    for x, y in pairs:
        nx, ny = _names(x), _names(y)
        tp, fp, fn = tp + len(nx & ny), fp + len(ny - nx), fn + len(nx - ny)
        px, py = _place(x), _place(y)
        if px and py and px == py:
            ptp += 1
        else:
            pfp, pfn = pfp + (py is not None), pfn + (px is not None)
        dates += (x.get("date") or {}) == (y.get("date") or {})
    return {
        "sentences": len(ids),
        "detection_raw": sum(x == y for x, y in zip(det_a, det_b, strict=True)) / max(len(ids), 1),
        "detection_kappa": kappa(det_a, det_b),
        "events_a": sum(len(a[i].get("events") or []) for i in ids),
        "events_b": sum(len(b[i].get("events") or []) for i in ids),
        "paired": len(pairs),
        "unpaired_a": unpaired_a,
        "unpaired_b": unpaired_b,
        **{f"kappa_{k}": v for k, v in kappas.items()},
        "actor_f1": _f1(tp, fp, fn),
        "place_f1": _f1(ptp, pfp, pfn),
        "date_agreement": dates / len(pairs) if pairs else None,
    }


def corpus_of(ids: Iterable[str]) -> dict[str, str]:
    wanted = set(ids)
    out = {}
    with POOL.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["id"] in wanted:
                out[rec["id"]] = rec["corpus"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    a, b = read(args.first), read(args.second)
    both = sorted(set(a) & set(b))
    corpora = corpus_of(both)
    report = {"all": score(a, b, both)}
    for corpus in sorted(set(corpora.values())):
        report[corpus] = score(a, b, [i for i in both if corpora.get(i) == corpus])
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    for name, r in report.items():
        shown = ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in r.items()
        )
        print(f"{name}: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
