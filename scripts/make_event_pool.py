"""Build the sentence pool of the real event gold (issue 11) and its first annotation batch plan.

Reads (from ``$EVENTATLAS_SHARED_DATA``, else ``../shared/data``):

* ``real/fa-kes/articles.jsonl`` — 809 articles on incidents of the Syrian war;
* ``events/confliBERT-cameo/cameo_class-*.tsv`` — single news sentences with a CAMEO quad class;
* ``geoparsing/lgl.xml`` and ``geoparsing/GWN.xml`` — local US news and GeoWebNews articles
  (read with :func:`eventatlas.eval.geo_corpus.load_geo_corpus`).

Writes ``training/events_gold/pool.jsonl`` (one line per sentence, sorted by corpus, article,
sentence index) and ``training/events_gold/batches.json`` (the ids of the first annotation
batches, an overlap set for agreement among them). Deterministic: the same inputs give the same
bytes. Nothing is annotated here; the guidelines are ``docs/annotation/events.md``.

Splits (60 / 20 / 20 train / dev / test) come from a salted SHA-256 of the *group* of a sentence:
the incident for FA-KES (see :func:`fakes_incidents`), the article for GWN and LGL, the sentence
itself for ConfliBERT (its sentences come without articles). Every sentence of a group lands in
the same split, so no model sees a test incident while training.

Usage: ``.venv/bin/python scripts/make_event_pool.py [--shared DIR] [--out DIR]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from eventatlas.eval.geo_corpus import load_geo_corpus
from eventatlas.ingest.clean_model import load_cleaner_rules
from eventatlas.ingest.dates import date_from_text, parse_date
from eventatlas.ingest.segment import split_sentences

SALT = "eventatlas-events-gold-v1"  # the salts tried are SALT-0 ... SALT-19 (choose_salt)
SALT_CANDIDATES = 20
SEED = 20261203
SPLITS = (("train", 60), ("dev", 80), ("test", 100))  # cumulative per cent
INCIDENT_WINDOW_DAYS = 1  # FA-KES articles this close in date and sharing a place: one incident
SHARED_MIN_WORDS = 8  # FA-KES articles sharing a sentence this long ...
SHARED_MAX_ARTICLES = 4  # ... held by at most this many articles: one incident

BATCH_TOTAL = 3000  # sentences in the first plan, overlap included
OVERLAP = 200
BATCH_SIZE = 250
CORPUS_SHARE = {"fa-kes": 0.50, "confliBERT": 0.20, "gwn": 0.15, "lgl": 0.15}
MIN_WORDS = 4  # shorter sentences (datelines, bylines, fragments) stay in the pool, not in batches

ROOT = Path(__file__).resolve().parent.parent
# paragraph breaks: blank lines, line ends, or a run of three or more spaces (FA-KES' one-line
# bodies separate paragraphs with five)
_PARAGRAPH = re.compile(r"\s*\n\s*|[ \t\u00a0]{3,}")
_WORD = re.compile(r"[^\W\d_]+")
# words of a FA-KES crowd location that name no place
_PLACE_STOP_WORDS = (
    "and in of the al el ad ar as an at near city town village province provinces governorate "
    "countryside rural countrysides district area areas region eastern western northern "
    "southern east west north south central syria syrian neighbourhood neighborhood suburb "
    "suburbs outskirts camp"
)
_PLACE_STOP = frozenset(_PLACE_STOP_WORDS.split())


@dataclass(frozen=True)
class Article:
    corpus: str
    id: str
    group: str  # what decides the split: incident (FA-KES), article (GWN, LGL), sentence
    text: str
    meta: dict[str, object]


def shared_dir(given: str | None) -> Path:
    if given:
        return Path(given)
    env = os.environ.get("EVENTATLAS_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def split_of(group: str, salt: str) -> str:
    bucket = int(digest(salt, group)[:12], 16) % 100
    return next(name for name, upper in SPLITS if bucket < upper)


def choose_salt(sizes: dict[tuple[str, str], int]) -> str:
    """The salt, of SALT-0 … SALT-(SALT_CANDIDATES-1), whose split is closest to 60/20/20 in
    sentences per corpus (sum of squared share errors; groups are uneven, one salt can leave a
    corpus' test split at half its share). Uses group sizes only, never a label or a text.
    ``sizes``: (corpus, group) -> sentences."""
    target = {
        name: (upper - lower) / 100
        for (name, upper), lower in zip(SPLITS, [0] + [u for _, u in SPLITS[:-1]], strict=True)
    }
    best: tuple[float, str] | None = None
    for k in range(SALT_CANDIDATES):
        salt = f"{SALT}-{k}"
        per: dict[str, Counter[str]] = defaultdict(Counter)
        for (corpus, group), n in sorted(sizes.items()):
            per[corpus][split_of(group, salt)] += n
        error = sum(
            (counts[name] / sum(counts.values()) - share) ** 2
            for counts in per.values()
            for name, share in target.items()
        )
        if best is None or error < best[0]:
            best = (error, salt)
    assert best is not None
    return best[1]


# ---------------------------------------------------------------------------------------------
# FA-KES incidents


def place_keys(location: str | None) -> frozenset[str]:
    """Spelling-tolerant keys of the place words of a crowd location ("Idleb" = "Idlib",
    "Eastern Gouta" = "Ghouta"): lower case, accents off, stop words out, then a consonant
    skeleton (gh/kh/sh/th/dh as one letter, vowels, h, w, y and doubled letters dropped)."""
    if not location:
        return frozenset()
    plain = unicodedata.normalize("NFKD", location).encode("ascii", "ignore").decode().lower()
    keys = set()
    for word in _WORD.findall(plain):
        if word in _PLACE_STOP or len(word) < 3:
            continue
        skeleton = re.sub(r"([gkstd])h", r"\1", word)
        skeleton = re.sub(r"[aeiouhwy]", "", skeleton)
        skeleton = re.sub(r"(.)\1+", r"\1", skeleton)
        if len(skeleton) >= 2:
            keys.add(skeleton)
    return frozenset(keys)


def fakes_date(row: dict[str, object]) -> dt.date | None:
    """The incident date: the crowd's date as written, else the article's dateline."""
    crowd = row.get("crowd") or {}
    written = crowd.get("date") if isinstance(crowd, dict) else None
    if isinstance(written, str):
        found = parse_date(written, day_first=True)
        if found is not None:
            return found
    return date_from_text(str(row["text"]), day_first=True)


def fakes_incidents(rows: list[dict[str, object]], abbreviations: frozenset[str]) -> dict[str, str]:
    """Article id -> incident key. FA-KES has no incident field, so incidents are derived,
    conservatively (when unsure, articles are put together, never apart). Two articles are linked
    when

    * their dates (crowd date, else dateline) are at most INCIDENT_WINDOW_DAYS apart and their
      crowd locations share a place key, or
    * they share a sentence of at least SHARED_MIN_WORDS words that is in at most
      SHARED_MAX_ARTICLES articles (the same wire copy; more common ones are boilerplate).

    Incidents are the connected components of these links (chains merge). An article with no
    link is its own incident. The key is the smallest article id of the component."""
    parent = {str(row["id"]): str(row["id"]) for row in rows}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    dated: list[tuple[dt.date, str, frozenset[str]]] = []
    holders: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        aid = str(row["id"])
        crowd = row.get("crowd") or {}
        location = crowd.get("location") if isinstance(crowd, dict) else None
        keys = place_keys(location if isinstance(location, str) else None)
        date = fakes_date(row)
        if date is not None and keys:
            dated.append((date, aid, keys))
        for _, _, sentence in sentences(str(row["text"]), abbreviations):
            norm = normalised(sentence)
            if len(norm.split()) >= SHARED_MIN_WORDS:
                holders[norm].add(aid)
    dated.sort()
    window = dt.timedelta(days=INCIDENT_WINDOW_DAYS)
    for i, (date, aid, keys) in enumerate(dated):
        for other_date, other, other_keys in dated[i + 1 :]:
            if other_date - date > window:
                break
            if keys & other_keys:
                union(aid, other)
    for norm in sorted(holders):
        held = sorted(holders[norm])
        if 1 < len(held) <= SHARED_MAX_ARTICLES:
            for other in held[1:]:
                union(held[0], other)
    return {aid: find(aid) for aid in parent}


def fakes_articles(path: Path, abbreviations: frozenset[str]) -> list[Article]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    incidents = fakes_incidents(rows, abbreviations)
    out = []
    for row in rows:
        aid = str(row["id"])
        date = fakes_date(row)
        meta: dict[str, object] = {
            "outlet_code": row.get("outlet_code"),
            "outlet_stance": row.get("outlet_stance"),
            "incident_date": date.isoformat() if date else None,
        }
        out.append(Article("fa-kes", aid, "fa-kes:" + incidents[aid], str(row["text"]), meta))
    return out


# ---------------------------------------------------------------------------------------------
# the other corpora


def conflibert_articles(folder: Path) -> list[Article]:
    out = []
    for path in sorted(folder.glob("cameo_class-*.tsv")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            text, _, label = line.rpartition("\t")
            text = text.strip()
            if not text:
                continue
            aid = "cb-" + digest(text)[:16]  # the sentence is its own "article"
            meta: dict[str, object] = {
                "file": f"{path.name}:{number}",
                "cameo_class": label.strip(),
            }
            out.append(Article("confliBERT", aid, "confliBERT:" + aid, text, meta))
    # the same sentence in both files is one article (first occurrence kept)
    seen: set[str] = set()
    unique = []
    for article in out:
        if article.id not in seen:
            seen.add(article.id)
            unique.append(article)
    return unique


def geo_articles(path: Path, corpus: str) -> list[Article]:
    return [
        Article(corpus, a.id, f"{corpus}:{a.id}", a.text, {})
        for a in load_geo_corpus(path).articles
    ]


# ---------------------------------------------------------------------------------------------
# sentences


def sentences(text: str, abbreviations: frozenset[str]) -> Iterator[tuple[int, int, str]]:
    """(start, end, sentence) with offsets into ``text``, paragraph by paragraph."""
    start = 0
    for brk in [*_PARAGRAPH.finditer(text), None]:
        end = brk.start() if brk else len(text)
        paragraph = text[start:end]
        cursor = 0
        for sentence in split_sentences(paragraph, abbreviations):
            at = paragraph.find(sentence, cursor)
            if at < 0:  # split_sentences only strips; never expected
                raise ValueError(f"sentence not found in its paragraph: {sentence[:60]!r}")
            cursor = at + len(sentence)
            yield start + at, start + cursor, sentence
        if brk:
            start = brk.end()


def pool_rows(
    articles: Iterable[Article], abbreviations: frozenset[str], salt: str
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for article in articles:
        found = list(sentences(article.text, abbreviations))
        split = split_of(article.group, salt)
        for index, (start, end, text) in enumerate(found):
            rows.append(
                {
                    "id": "s-" + digest(article.corpus, article.id, str(index), text)[:20],
                    "corpus": article.corpus,
                    "article_id": article.id,
                    "incident": article.group,
                    "sentence_index": index,
                    "start": start,
                    "end": end,
                    "text": text,
                    "prev": found[index - 1][2] if index > 0 else None,
                    "next": found[index + 1][2] if index + 1 < len(found) else None,
                    "split": split,
                    "words": len(text.split()),
                    "meta": article.meta,
                }
            )
    return rows


# ---------------------------------------------------------------------------------------------
# the batch plan


def stratum(row: dict[str, object]) -> tuple[str, str, str]:
    meta = row["meta"]
    stance = str(meta.get("outlet_stance")) if isinstance(meta, dict) else ""
    return str(row["corpus"]), str(row["split"]), stance if row["corpus"] == "fa-kes" else ""


def allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Largest-remainder rounding of ``total`` by ``weights`` (sorted keys, deterministic)."""
    norm = sum(weights.values())
    raw = {k: total * w / norm for k, w in sorted(weights.items())}
    counts = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: (-(raw[k] - counts[k]), k))[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def batch_plan(rows: list[dict[str, object]], salt: str) -> dict[str, object]:
    """A seeded sample stratified by corpus, split (and outlet stance for FA-KES), each stratum in
    proportion to its eligible sentences within its corpus' share; no text twice. The first
    OVERLAP ids of a stratified interleaving are the overlap set, the rest batches of BATCH_SIZE,
    each batch itself a stratified mix."""
    rng = random.Random(SEED)
    eligible: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    seen_text: set[str] = set()
    shuffled = sorted(rows, key=lambda r: str(r["id"]))
    rng.shuffle(shuffled)
    for row in shuffled:
        norm = normalised(str(row["text"]))
        if int(str(row["words"])) < MIN_WORDS or norm in seen_text:
            continue
        seen_text.add(norm)
        eligible[stratum(row)].append(str(row["id"]))
    per_corpus = allocate(BATCH_TOTAL, CORPUS_SHARE)
    chosen: dict[tuple[str, str, str], list[str]] = {}
    for corpus, n in per_corpus.items():
        strata = {k: len(v) for k, v in eligible.items() if k[0] == corpus}
        for key, m in allocate(n, {"|".join(k): v for k, v in strata.items()}).items():
            k = tuple(key.split("|"))
            chosen[(k[0], k[1], k[2])] = eligible[(k[0], k[1], k[2])][:m]
    # interleave strata by rank-in-stratum / stratum-size so every prefix is a stratified mix
    ordered = sorted(
        ((i + 0.5) / len(ids), key, sid) for key, ids in chosen.items() for i, sid in enumerate(ids)
    )
    ids = [sid for _, _, sid in ordered]
    overlap, rest = ids[:OVERLAP], ids[OVERLAP:]
    batches = [
        {"name": f"batch-{n + 1:02d}", "ids": rest[i : i + BATCH_SIZE]}
        for n, i in enumerate(range(0, len(rest), BATCH_SIZE))
    ]
    return {
        "about": "first annotation batches of the real event gold (issue 11); ids of "
        "training/events_gold/pool.jsonl; guidelines docs/annotation/events.md. Every annotator "
        "codes 'overlap' independently (agreement); each batch goes to one annotator.",
        "seed": SEED,
        "salt": salt,
        "min_words": MIN_WORDS,
        "total": len(ids),
        "overlap": overlap,
        "batches": batches,
    }


def summary(rows: list[dict[str, object]], plan: dict[str, object]) -> dict[str, object]:
    by_id = {str(r["id"]): r for r in rows}
    counts: Counter[tuple[str, str]] = Counter((str(r["corpus"]), str(r["split"])) for r in rows)
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    articles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        groups[(str(r["corpus"]), str(r["split"]))].add(str(r["incident"]))
        articles[(str(r["corpus"]), str(r["split"]))].add(str(r["article_id"]))
    overlap = plan["overlap"]
    batches = plan["batches"]
    assert isinstance(overlap, list)
    assert isinstance(batches, list)
    planned = list(overlap) + [i for b in batches for i in b["ids"]]
    plan_counts = Counter((str(by_id[i]["corpus"]), str(by_id[i]["split"])) for i in planned)
    overlap_counts = Counter((str(by_id[i]["corpus"]), str(by_id[i]["split"])) for i in overlap)
    # texts found in more than one split (the same wire sentence in two incidents' articles)
    splits_of: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        splits_of[normalised(str(r["text"]))].add(str(r["split"]))
    cross = sum(1 for s in splits_of.values() if len(s) > 1)
    return {
        "sentences": {f"{c}/{s}": n for (c, s), n in sorted(counts.items())},
        "articles": {f"{c}/{s}": len(v) for (c, s), v in sorted(articles.items())},
        "groups": {f"{c}/{s}": len(v) for (c, s), v in sorted(groups.items())},
        "planned": {f"{c}/{s}": n for (c, s), n in sorted(plan_counts.items())},
        "overlap": {f"{c}/{s}": n for (c, s), n in sorted(overlap_counts.items())},
        "texts_in_several_splits": cross,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", help="the shared data folder (default ../shared/data)")
    parser.add_argument("--out", default=str(ROOT / "training" / "events_gold"))
    args = parser.parse_args()
    data = shared_dir(args.shared)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    abbreviations = load_cleaner_rules().abbreviations
    articles = [
        *fakes_articles(data / "real" / "fa-kes" / "articles.jsonl", abbreviations),
        *conflibert_articles(data / "events" / "confliBERT-cameo"),
        *geo_articles(data / "geoparsing" / "GWN.xml", "gwn"),
        *geo_articles(data / "geoparsing" / "lgl.xml", "lgl"),
    ]
    sizes: Counter[tuple[str, str]] = Counter()
    for article in articles:
        sizes[(article.corpus, article.group)] += sum(
            1 for _ in sentences(article.text, abbreviations)
        )
    salt = choose_salt(dict(sizes))
    rows = pool_rows(articles, abbreviations, salt)
    ids = [str(r["id"]) for r in rows]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate sentence ids; the id recipe needs another part")
    rows.sort(key=lambda r: (str(r["corpus"]), str(r["article_id"]), int(str(r["sentence_index"]))))
    plan = batch_plan(rows, salt)
    with (out / "pool.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    (out / "batches.json").write_text(json.dumps(plan, indent=1) + "\n", "utf-8")
    print(json.dumps(summary(rows, plan), indent=1))


if __name__ == "__main__":
    main()
