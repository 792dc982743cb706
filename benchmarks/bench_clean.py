"""How long cleaning takes beside the spaCy pass the same texts get: time(clean) / time(parse).

Usage::

    .venv/bin/python benchmarks/bench_clean.py [--texts 100] [--corpus PATH ...] [--scale 1 4 16]

Takes ``--texts`` articles spread over the given GeoWebNews/LGL files (default: both shared
corpora), cleans each as a page and as a given body (``clean_text``), parses them with spaCy
(``nlp.pipe``), and prints the times and the ratio of cleaning to parsing. Then, to show that
cost stays linear in the input, cleans one text made of all of them repeated ``--scale`` times
(one line, no newlines: the shape that used to be quadratic) and prints seconds per MB at each
size. The model is loaded and one text cleaned before timing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from common import sample_texts  # benchmarks/common.py: a script's own folder is on sys.path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cleaning time as a share of spaCy time")
    parser.add_argument("--texts", type=int, default=100)
    parser.add_argument("--corpus", type=Path, action="append", default=None)
    parser.add_argument("--scale", type=int, nargs="*", default=[1, 4, 16])
    args = parser.parse_args(argv)

    from eventatlas.ingest.clean import clean_text, load_cleaner_model
    from eventatlas.nlp.load import load_nlp

    texts, corpora = sample_texts(args.corpus, args.texts)
    if not texts:
        sys.stderr.write("no corpus found; pass --corpus GWN.xml\n")
        return 2
    model = load_cleaner_model()
    clean_text(texts[0], model)

    started = time.perf_counter()
    for text in texts:
        clean_text(text, model)
        clean_text(text, model, body=True)
    cleaning = (time.perf_counter() - started) / 2

    nlp = load_nlp()
    started = time.perf_counter()
    list(nlp.pipe(texts, batch_size=16))
    parse = time.perf_counter() - started

    chars = sum(len(t) for t in texts)
    print(f"texts: {len(texts)} ({chars} characters) from {', '.join(p.name for p in corpora)}")
    print(f"spaCy parse: {parse:.2f} s; clean_text: {cleaning:.2f} s")
    print(f"ratio clean/parse: {cleaning / parse:.3f}")
    one_line = " ".join(" ".join(t.split()) for t in texts)
    for factor in args.scale:
        big = " ".join([one_line] * factor)
        started = time.perf_counter()
        clean_text(big, model, body=True)
        secs = time.perf_counter() - started
        mb = len(big) / 1e6
        print(f"one line of {mb:.1f} MB: {secs:.2f} s ({secs / mb:.2f} s/MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
