"""Inter-annotator agreement on the real places gold (``training/places_gold``).

For every article coded twice — the first coder is the owner of the article's batch (the
annotator under ``annotations/pl-a`` … ``pl-f`` whose records hold it), the second is
``--second`` (default ``pl-g``, ``annotations/pl-g/overlap.jsonl``) — this reports, per batch and
over all doubly coded articles (``docs/annotation/places.md`` section 7):

* **toponym spans**: F1 of the second coder against the first, on exact offsets and on
  overlapping spans (one-to-one, greatest overlap first);
* **resolution** over matched (overlapping) spans: the same GeoNames id, or — when either id is
  null — the two points within 161 km (both ids set and different: a disagreement);
* **role**: Cohen's κ over matched spans (location / seat / descriptor / other), with raw agreement;
* **feature kind**: raw agreement and Cohen's κ over matched spans;
* **event locations**, over the sentences both coders gave at least one entry: entries are paired
  one-to-one within a sentence (same place first); *place* agreement is the share of entries
  paired with the same place (points within 25 km, or the same name when a point is missing, or
  both without a place), over the mean number of entries of the two coders; *precision*
  agreement is the share of place-matched pairs with the same ``geo_precision``. Sentences that
  only one coder gave an entry are counted apart (event detection differs).

Run from the repository root: ``.venv/bin/python scripts/place_agreement.py [--json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from eventatlas.eval.geo import km

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "training" / "places_gold"
FIRST_CODERS = ("pl-a", "pl-b", "pl-c", "pl-d", "pl-e", "pl-f")
RESOLVE_KM = 161.0
EVENT_KM = 25.0




def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_coder(folder: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for rec in read_jsonl(path):
            out.setdefault(rec["article_id"], rec)
    return out


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    if not pairs:
        return None
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ca = Counter(a for a, _ in pairs)
    cb = Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    if pe >= 1.0:
        return 1.0 if po == 1.0 else 0.0
    return (po - pe) / (1 - pe)


def f1(tp: int, n_first: int, n_second: int) -> float | None:
    if n_first + n_second == 0:
        return None
    return 2 * tp / (n_first + n_second)


def match_overlap(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one pairs of overlapping spans, greatest overlap first (exact spans win ties)."""
    cands = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            ov = min(x["end"], y["end"]) - max(x["start"], y["start"])
            if ov > 0:
                exact = x["start"] == y["start"] and x["end"] == y["end"]
                cands.append((-int(exact), -ov, i, j))
    cands.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for _, _, i, j in cands:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j))
    return out


def same_resolution(x: dict[str, Any], y: dict[str, Any]) -> bool:
    gx, gy = x.get("geonameid"), y.get("geonameid")
    if gx is not None and gy is not None:
        return bool(gx == gy)
    return km(x["lat"], x["lon"], y["lat"], y["lon"]) <= RESOLVE_KM


def event_place(
    e: dict[str, Any], rec: dict[str, Any]
) -> tuple[str | None, tuple[float, float] | None]:
    """(name, point) of one event location; a name-only entry takes the point of a toponym of the
    same record with that text, when there is one."""
    tops = rec["toponyms"]
    idx = e.get("toponym_index")
    if isinstance(idx, int) and 0 <= idx < len(tops):
        t = tops[idx]
        return t["text"], (t["lat"], t["lon"])
    name = e.get("name")
    if name is None:
        return None, None
    for t in reversed(tops):
        if t["text"].casefold() == name.casefold():
            return name, (t["lat"], t["lon"])
    return name, None


def same_place(pa: tuple[str | None, Any], pb: tuple[str | None, Any]) -> bool:
    (na, xa), (nb, xb) = pa, pb
    if na is None or nb is None:
        return na is None and nb is None
    if xa is not None and xb is not None:
        return km(xa[0], xa[1], xb[0], xb[1]) <= EVENT_KM
    return na.casefold() == nb.casefold()


def compare(ra: dict[str, Any], rb: dict[str, Any]) -> dict[str, Any]:
    ta, tb = ra["toponyms"], rb["toponyms"]
    exact = len({(t["start"], t["end"]) for t in ta} & {(t["start"], t["end"]) for t in tb})
    pairs = match_overlap(ta, tb)
    res = [same_resolution(ta[i], tb[j]) for i, j in pairs]
    roles = [(ta[i]["role"], tb[j]["role"]) for i, j in pairs]
    feats = [(ta[i]["feature"], tb[j]["feature"]) for i, j in pairs]
    # event locations
    by_a: dict[tuple[int, int], list[dict[str, Any]]] = {}
    by_b: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for e in ra.get("event_locations") or ():
        by_a.setdefault((e["sentence_start"], e["sentence_end"]), []).append(e)
    for e in rb.get("event_locations") or ():
        by_b.setdefault((e["sentence_start"], e["sentence_end"]), []).append(e)
    both = sorted(set(by_a) & set(by_b))
    ev_a = ev_b = ev_place = ev_prec = 0
    ev_disagree: list[dict[str, Any]] = []
    for s in both:
        ea = [(e, event_place(e, ra)) for e in by_a[s]]
        eb = [(e, event_place(e, rb)) for e in by_b[s]]
        ev_a += len(ea)
        ev_b += len(eb)
        used: set[int] = set()
        for e1, p1 in ea:
            # prefer a partner with the same place and precision, then the same place
            best = None
            for j, (e2, p2) in enumerate(eb):
                if j in used or not same_place(p1, p2):
                    continue
                if e1.get("geo_precision") == e2.get("geo_precision"):
                    best = j
                    break
                if best is None:
                    best = j
            if best is None:
                ev_disagree.append({"sentence": list(s), "first": p1[0], "second": None})
                continue
            used.add(best)
            ev_place += 1
            if e1.get("geo_precision") == eb[best][0].get("geo_precision"):
                ev_prec += 1
        for j, (_, p2) in enumerate(eb):
            if j not in used:
                ev_disagree.append({"sentence": list(s), "first": None, "second": p2[0]})
    return {
        "spans_first": len(ta),
        "spans_second": len(tb),
        "exact_tp": exact,
        "overlap_tp": len(pairs),
        "resolution_agree": sum(res),
        "roles": roles,
        "features": feats,
        "sentences_first": len(by_a),
        "sentences_second": len(by_b),
        "sentences_both": len(both),
        "events_first": ev_a,
        "events_second": ev_b,
        "events_place_agree": ev_place,
        "events_precision_agree": ev_prec,
        "event_disagreements": ev_disagree,
        "role_disagreements": [
            {
                "text": ta[i]["text"],
                "start": ta[i]["start"],
                "first": ta[i]["role"],
                "second": tb[j]["role"],
            }
            for i, j in pairs
            if ta[i]["role"] != tb[j]["role"]
        ],
        "feature_disagreements": [
            {
                "text": ta[i]["text"],
                "start": ta[i]["start"],
                "first": ta[i]["feature"],
                "second": tb[j]["feature"],
            }
            for i, j in pairs
            if ta[i]["feature"] != tb[j]["feature"]
        ],
        "resolution_disagreements": [
            {
                "text": ta[i]["text"],
                "start": ta[i]["start"],
                "first": [ta[i]["geonameid"], ta[i]["lat"], ta[i]["lon"]],
                "second": [tb[j]["geonameid"], tb[j]["lat"], tb[j]["lon"]],
            }
            for (i, j), ok in zip(pairs, res, strict=True)
            if not ok
        ],
        "span_only_first": [
            {"text": ta[i]["text"], "start": ta[i]["start"]}
            for i in sorted(set(range(len(ta))) - {i for i, _ in pairs})
        ],
        "span_only_second": [
            {"text": tb[j]["text"], "start": tb[j]["start"]}
            for j in sorted(set(range(len(tb))) - {j for _, j in pairs})
        ],
        "span_boundary": [
            {"first": ta[i]["text"], "second": tb[j]["text"], "start": ta[i]["start"]}
            for i, j in pairs
            if (ta[i]["start"], ta[i]["end"]) != (tb[j]["start"], tb[j]["end"])
        ],
    }


def summarise(parts: list[dict[str, Any]]) -> dict[str, Any]:
    def tot(k: str) -> int:
        return sum(p[k] for p in parts)

    roles = [r for p in parts for r in p["roles"]]
    feats = [f for p in parts for f in p["features"]]
    n_pairs = tot("overlap_tp")
    ev_mean = (tot("events_first") + tot("events_second")) / 2

    def share(a: int, b: float) -> float | None:
        return a / b if b else None

    return {
        "articles": len(parts),
        "spans_first": tot("spans_first"),
        "spans_second": tot("spans_second"),
        "span_f1_exact": f1(tot("exact_tp"), tot("spans_first"), tot("spans_second")),
        "span_f1_overlap": f1(n_pairs, tot("spans_first"), tot("spans_second")),
        "matched_spans": n_pairs,
        "resolution_agreement": share(tot("resolution_agree"), n_pairs),
        "role_agreement": share(sum(a == b for a, b in roles), len(roles)),
        "role_kappa": cohen_kappa(roles),
        "feature_agreement": share(sum(a == b for a, b in feats), len(feats)),
        "feature_kappa": cohen_kappa(feats),
        "sentences_first": tot("sentences_first"),
        "sentences_second": tot("sentences_second"),
        "sentences_both": tot("sentences_both"),
        "events_first": tot("events_first"),
        "events_second": tot("events_second"),
        "event_place_agreement": share(tot("events_place_agree"), ev_mean),
        "event_precision_agreement": share(
            tot("events_precision_agree"), tot("events_place_agree")
        ),
    }


def run(gold: Path, second: str) -> dict[str, Any]:
    batches = json.loads((gold / "batches.json").read_text(encoding="utf-8"))["batches"]
    batch_of = {aid: b["name"] for b in batches for aid in b["ids"]}
    firsts = {
        c: load_coder(gold / "annotations" / c)
        for c in FIRST_CODERS
        if (gold / "annotations" / c).is_dir()
    }
    owner: dict[str, str] = {}
    for c, recs in firsts.items():
        for aid in recs:
            owner.setdefault(aid, c)
    sec = load_coder(gold / "annotations" / second)
    rows: dict[str, list[dict[str, Any]]] = {}
    per_article = {}
    for aid in sorted(sec, key=lambda a: (batch_of.get(a, ""), a)):
        c = owner.get(aid)
        if c is None:
            continue
        cmp = compare(firsts[c][aid], sec[aid])
        key = f"{batch_of.get(aid, '?')} {c}"
        rows.setdefault(key, []).append(cmp)
        per_article[aid] = {
            "batch": batch_of.get(aid),
            "first": c,
            "second": second,
            **{k: v for k, v in cmp.items() if k not in ("roles", "features")},
        }
    table = {k: summarise(v) for k, v in rows.items()}
    table["all"] = summarise([p for v in rows.values() for p in v])
    return {"second": second, "rows": table, "articles": per_article}


def fmt(v: Any, pct: bool = True) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.2f}" if not pct else f"{100 * v:.1f}"
    return str(v)


def print_table(out: dict[str, Any]) -> None:
    cols = [
        ("pair", None),
        ("art", "articles"),
        ("spans 1st/2nd", None),
        ("F1 exact", "span_f1_exact"),
        ("F1 overlap", "span_f1_overlap"),
        ("resolution", "resolution_agreement"),
        ("role agr", "role_agreement"),
        ("role κ", "role_kappa"),
        ("feature agr", "feature_agreement"),
        ("feature κ", "feature_kappa"),
        ("sent 1st/2nd/both", None),
        ("ev place", "event_place_agreement"),
        ("ev precision", "event_precision_agreement"),
    ]
    lines = ["| " + " | ".join(c for c, _ in cols) + " |", "|" + "---|" * len(cols)]
    for name, r in out["rows"].items():
        cells = []
        for c, k in cols:
            if c == "pair":
                cells.append(name if name == "all" else f"{name} / {out['second']}")
            elif c == "spans 1st/2nd":
                cells.append(f"{r['spans_first']} / {r['spans_second']}")
            elif c == "sent 1st/2nd/both":
                cells.append(
                    f"{r['sentences_first']} / {r['sentences_second']} / {r['sentences_both']}"
                )
            elif k in ("role_kappa", "feature_kappa"):
                cells.append(fmt(r[k], pct=False))
            else:
                cells.append(fmt(r[k]))
        lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines))
    print()
    print(
        "F1, agreements in %; κ Cohen's; resolution: same id, or ≤ 161 km when an id is null; "
        "event place: ≤ 25 km or both null, over sentences both coded."
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--second", default="pl-g", help="the second coder's folder under annotations/")
    ap.add_argument(
        "--json", action="store_true", help="machine output (totals and per-article detail)"
    )
    args = ap.parse_args(argv)
    out = run(args.gold, args.second)
    if not out["articles"]:
        print(f"no article coded by both a first coder and {args.second}", file=sys.stderr)
        return 1
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_table(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
