"""Select the FA-KES articles of the places gold (issue 12) and cut them into batches.

Reads the events pool (``training/events_gold/pool.jsonl``: each FA-KES article's split and
outlet stance) and the articles (``$EVENTATLAS_SHARED_DATA`` or ``../shared/data``,
``real/fa-kes/articles.jsonl``: only to drop empty and duplicate texts — nothing else in the
text or labels is looked at). Writes ``training/places_gold/batches.json``, byte for byte the
same on every run. Run from the repository root: ``.venv/bin/python training/places_gold/make_batches.py``.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20261212
PLAN = {"train": 104, "dev": 36, "test": 40}  # 180 articles; test 22 %, dev 20 %
BATCHES, BATCH_SIZE = 6, 30
MIN_CHARS = 200
STANCES = ("against", "pro", "neutral", "none")

root = Path(__file__).resolve().parents[2]
shared = Path(os.environ.get("EVENTATLAS_SHARED_DATA", root.parent / "shared" / "data"))

# 1. split and stance per article, from the events pool (one split per article: by incident)
info: dict[str, tuple[str, str]] = {}
with open(root / "training/events_gold/pool.jsonl", encoding="utf-8") as fh:
    for line in fh:
        row = json.loads(line)
        if row["corpus"] != "fa-kes":
            continue
        key = (row["split"], row["meta"].get("outlet_stance") or "none")
        assert info.setdefault(row["article_id"], key) == key, row["article_id"]

# 2. eligible: a text of >= MIN_CHARS characters, each text once (the smallest id keeps it)
seen: set[str] = set()
eligible: list[str] = []
with open(shared / "real/fa-kes/articles.jsonl", encoding="utf-8") as fh:
    for row in sorted((json.loads(line) for line in fh), key=lambda r: r["id"]):
        text = row["text"].strip()
        if len(text) < MIN_CHARS or text in seen or row["id"] not in info:
            continue
        seen.add(text)
        eligible.append(row["id"])

strata: dict[tuple[str, str], list[str]] = defaultdict(list)
for aid in eligible:
    strata[info[aid]].append(aid)

# 3. per split, stance quotas in proportion (largest remainder), seeded random within strata
rng = random.Random(SEED)
chosen: dict[tuple[str, str], list[str]] = {}
for split, total in PLAN.items():
    sizes = {s: len(strata[(split, s)]) for s in STANCES}
    n = sum(sizes.values())
    exact = {s: total * sizes[s] / n for s in STANCES}
    quota = {s: int(exact[s]) for s in STANCES}
    for s in sorted(STANCES, key=lambda s: (-(exact[s] - quota[s]), STANCES.index(s))):
        if sum(quota.values()) == total:
            break
        quota[s] += 1
    for s in STANCES:
        pool = sorted(strata[(split, s)])
        chosen[(split, s)] = sorted(rng.sample(pool, quota[s]))

# 4. order: strata interleaved (item i of a stratum of n at (i + 0.5) / n), so each run of 30 is
#    a stratified mix; random order within a stratum
order: list[tuple[float, int, str]] = []
for rank, key in enumerate(sorted(chosen)):
    ids = chosen[key][:]
    rng.shuffle(ids)
    order += [((i + 0.5) / len(ids), rank, aid) for i, aid in enumerate(ids)]
ids = [aid for _, _, aid in sorted(order)]
assert len(ids) == BATCHES * BATCH_SIZE == len(set(ids))

batches = [
    {"name": f"batch-{b + 1:02d}", "ids": ids[b * BATCH_SIZE : (b + 1) * BATCH_SIZE]}
    for b in range(BATCHES)
]
plan = {
    "about": "places gold (issue 12): FA-KES article ids; split = the events pool's split of the "
    "article's sentences (training/events_gold/pool.jsonl); guidelines docs/annotation/places.md",
    "seed": SEED,
    "min_chars": MIN_CHARS,
    "total": len(ids),
    "counts": {
        split: dict(sorted(Counter(info[a][1] for a in ids if info[a][0] == split).items()))
        for split in PLAN
    },
    "split": {aid: info[aid][0] for aid in sorted(ids)},
    "stance": {aid: info[aid][1] for aid in sorted(ids)},
    "batches": batches,
}
out = root / "training/places_gold/batches.json"
out.write_text(json.dumps(plan, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
summary = {
    "eligible": len(eligible),
    "eligible_by_split": dict(Counter(info[a][0] for a in eligible)),
    "counts": plan["counts"],
    "per_batch": [dict(sorted(Counter(info[a][0] for a in b["ids"]).items())) for b in batches],
}
print(json.dumps(summary))
