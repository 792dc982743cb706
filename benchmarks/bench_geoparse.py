"""How much geoparsing adds to the spaCy pass it shares: time(geoparse_doc) / time(nlp parse).

Usage::

    .venv/bin/python benchmarks/bench_geoparse.py [--texts 100] [--corpus PATH ...]

Takes the first ``--texts`` articles spread over the given GeoWebNews/LGL files (default: both
shared corpora), parses them with spaCy (``nlp.pipe``), then geoparses the parsed Docs with the
embedded gazetteer, and prints both times and their ratio. The budget is 0.20. One text is
geoparsed first to warm up (rules loaded, index opened); the gazetteer index must already exist
(the first ``open_gazetteer`` builds it, which is not timed).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from common import sample_texts  # benchmarks/common.py: a script's own folder is on sys.path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="geoparse time as a share of spaCy time")
    parser.add_argument("--texts", type=int, default=100)
    parser.add_argument("--corpus", type=Path, action="append", default=None)
    args = parser.parse_args(argv)

    from eventatlas.geo.gazetteer import open_gazetteer
    from eventatlas.geo.geoparse import geoparse_doc
    from eventatlas.nlp.load import load_nlp
    from eventatlas.settings import load_settings

    texts, corpora = sample_texts(args.corpus, args.texts)
    if not texts:
        sys.stderr.write("no corpus found; pass --corpus GWN.xml\n")
        return 2

    nlp = load_nlp()
    gazetteer = open_gazetteer(load_settings())
    geoparse_doc(nlp("Warm-up text about Aleppo and Kyiv."), gazetteer)

    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse = time.perf_counter() - started

    started = time.perf_counter()
    places = sum(len(geoparse_doc(doc, gazetteer)) for doc in docs)
    geo = time.perf_counter() - started

    chars = sum(len(t) for t in texts)
    print(f"texts: {len(texts)} ({chars} characters) from {', '.join(p.name for p in corpora)}")
    print(f"spaCy parse: {parse:.2f} s")
    print(f"geoparse_doc: {geo:.2f} s ({places} places)")
    print(f"ratio geoparse/parse: {geo / parse:.3f} (budget 0.20)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
