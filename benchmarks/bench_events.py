"""How much event extraction adds to the spaCy pass it shares: time(extract_doc) / time(parse),
and the speed of the whole per-document step (parse, geoparse, extract) as a share of bare spaCy
parsing: time(parse) / time(parse + geoparse + extract) — issue 11's budget is ≥ 0.5.

Usage::

    .venv/bin/python benchmarks/bench_events.py [--texts 100] [--corpus PATH ...] [--model FILE]

``--model`` runs another sentence model (an ``event_model.json`` written by
``scripts/train_events.py``, e.g. one with the ``minilm`` encoder) instead of the packaged one.

Takes ``--texts`` articles spread over the GeoWebNews/LGL news corpora (default: both shared
corpora; any text works), parses them with spaCy (``nlp.pipe``), then runs the default event
extractor on the parsed Docs (with the places geoparsing found, which is not timed here: it has
its own benchmark) and prints both times and their ratio. The budget is 0.30.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from common import sample_texts  # benchmarks/common.py: a script's own folder is on sys.path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="event extraction time as a share of spaCy time")
    parser.add_argument("--texts", type=int, default=100)
    parser.add_argument("--corpus", type=Path, action="append", default=None)
    parser.add_argument("--model", type=Path, default=None, help="an event_model.json to run")
    args = parser.parse_args(argv)

    from eventatlas.events.classify import load_classifier
    from eventatlas.events.extract import extract_doc, load_event_resources, with_model
    from eventatlas.geo.gazetteer import open_gazetteer
    from eventatlas.geo.geoparse import geoparse_doc
    from eventatlas.nlp.load import load_nlp
    from eventatlas.records import ArticleInfo
    from eventatlas.settings import load_settings

    texts, corpora = sample_texts(args.corpus, args.texts)
    if not texts:
        sys.stderr.write("no corpus found; pass --corpus GWN.xml\n")
        return 2

    settings = load_settings()
    nlp, gazetteer, res = load_nlp(), open_gazetteer(settings), load_event_resources(settings)
    if args.model is not None:
        res = with_model(res, load_classifier(args.model))
    extract_doc(nlp("Warm-up: troops shelled Aleppo on Monday."), ArticleInfo("w"), [], res)

    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse = time.perf_counter() - started
    started = time.perf_counter()
    places = [geoparse_doc(doc, gazetteer) for doc in docs]
    geo = time.perf_counter() - started

    started = time.perf_counter()
    events = sum(
        len(extract_doc(doc, ArticleInfo(str(i)), found, res))
        for i, (doc, found) in enumerate(zip(docs, places, strict=True))
    )
    spent = time.perf_counter() - started

    chars = sum(len(t) for t in texts)
    print(f"texts: {len(texts)} ({chars} characters) from {', '.join(p.name for p in corpora)}")
    print(f"spaCy parse: {parse:.2f} s")
    print(f"extract_doc: {spent:.2f} s ({events} event mentions)")
    print(f"geoparse: {geo:.2f} s")
    print(f"ratio extraction/parse: {spent / parse:.3f} (budget 0.30)")
    print(f"encoder: {res.classifier.encoder if res.classifier else None}")
    share = parse / (parse + geo + spent)
    print(f"process speed as a share of bare spaCy parsing: {share:.3f} (budget >= 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
