"""The event ontology and trigger lexicon, read from data files (rules as data).

* ``data/plover_types.csv``: PLOVER's 16 types and their modes;
* ``data/acled_types.csv``: ACLED's event and sub-event types, each mapped to a PLOVER type/mode;
* ``data/event_lexicon.csv``: trigger lemmas and phrases with the type, mode and ACLED type they
  signal and a strength.

Users extend the lexicon with their own CSV of the same columns (``load_ontology(extra=...)``).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import get_args

from eventatlas.errors import DataFileError
from eventatlas.records import AcledType, EventType

EVENT_TYPES: tuple[str, ...] = get_args(EventType)
# Names used by the PLOVER gold-standard records (GSR) before PLOVER settled its 16 types.
GSR_ALIASES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}


@dataclass(frozen=True)
class Trigger:
    """A word or phrase (lemmas) that names an event of ``type``."""

    lemmas: tuple[str, ...]
    pos: str  # VERB, NOUN or ANY
    type: str
    mode: str | None
    acled: AcledType | None
    strength: float


@dataclass(frozen=True)
class Ontology:
    modes: dict[str, frozenset[str]]  # PLOVER type -> its modes
    acled: dict[tuple[str, str], tuple[str, str | None]]  # ACLED pair -> (PLOVER type, mode)
    triggers: dict[str, tuple[Trigger, ...]] = field(repr=False)  # first lemma -> triggers
    max_phrase: int = 1

    def acled_for(self, type_: str, mode: str | None) -> AcledType | None:
        """The ACLED sub-type a PLOVER type and mode correspond to, if exactly one does."""
        found = [k for k, (t, m) in self.acled.items() if t == type_ and m == mode and mode]
        return AcledType(*found[0]) if len(found) == 1 else None

    def is_acled(self, event_type: str, sub_event_type: str) -> bool:
        return (event_type, sub_event_type) in self.acled


def load_ontology(extra: Sequence[Path] = ()) -> Ontology:
    """The packaged ontology and lexicon, plus the rows of ``extra`` lexicon files."""
    modes = _read_modes(_packaged("plover_types.csv"), "plover_types.csv")
    acled = _read_acled(_packaged("acled_types.csv"), "acled_types.csv", modes)
    sources = [(_packaged("event_lexicon.csv"), "event_lexicon.csv")]
    sources += [(p.read_text("utf-8"), str(p)) for p in extra]
    triggers: dict[str, list[Trigger]] = defaultdict(list)
    for text, origin in sources:
        for trig in _read_lexicon(text, origin, modes, acled):
            triggers[trig.lemmas[0]].append(trig)
    longest = max((len(t.lemmas) for ts in triggers.values() for t in ts), default=1)
    return Ontology(modes, acled, {k: tuple(v) for k, v in triggers.items()}, longest)


def _packaged(name: str) -> str:
    return resources.files("eventatlas.data").joinpath(name).read_text("utf-8")


def rows(text: str, origin: str, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The CSV rows of ``text`` after its '#' comment lines, with their line numbers."""
    lines = text.splitlines()
    body = [(n, line) for n, line in enumerate(lines, 1) if not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in body)))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise DataFileError(
            f"{origin}: expected the columns {', '.join(columns)}, missing {', '.join(missing)}; "
            "fix the header line"
        )
    for (number, _), row in zip(body[1:], reader, strict=False):
        yield number, {k: (v or "").strip() for k, v in row.items() if k}


def _read_modes(text: str, origin: str) -> dict[str, frozenset[str]]:
    modes: dict[str, set[str]] = {t: set() for t in EVENT_TYPES}
    for number, row in rows(text, origin, ("type", "mode")):
        if row["type"] not in modes:
            raise _bad(origin, number, "a PLOVER type", row["type"])
        if row["mode"]:
            modes[row["type"]].add(row["mode"])
    return {t: frozenset(m) for t, m in modes.items()}


def _read_acled(
    text: str, origin: str, modes: dict[str, frozenset[str]]
) -> dict[tuple[str, str], tuple[str, str | None]]:
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    columns = ("event_type", "sub_event_type", "plover_type", "plover_mode")
    for number, row in rows(text, origin, columns):
        if row["plover_type"] not in modes:
            raise _bad(origin, number, "a PLOVER type", row["plover_type"])
        out[(row["event_type"], row["sub_event_type"])] = (
            row["plover_type"],
            row["plover_mode"] or None,
        )
    return out


def _read_lexicon(
    text: str,
    origin: str,
    modes: dict[str, frozenset[str]],
    acled: dict[tuple[str, str], tuple[str, str | None]],
) -> Iterator[Trigger]:
    columns = ("term", "pos", "type", "mode", "acled_event_type", "acled_sub_event_type")
    for number, row in rows(text, origin, (*columns, "strength")):
        if row["type"] not in modes:
            raise _bad(origin, number, "a PLOVER type", row["type"])
        pair = (row["acled_event_type"], row["acled_sub_event_type"])
        if any(pair) and pair not in acled:
            raise _bad(origin, number, "an ACLED event and sub-event type pair", " / ".join(pair))
        try:
            strength = float(row["strength"] or 1.0)
        except ValueError:
            raise _bad(origin, number, "a strength between 0 and 1", row["strength"]) from None
        yield Trigger(
            lemmas=tuple(row["term"].lower().split()),
            pos=(row["pos"] or "ANY").upper(),
            type=row["type"],
            mode=row["mode"] or None,
            acled=AcledType(*pair) if all(pair) else None,
            strength=strength,
        )


def _bad(origin: str, number: int, expected: str, got: str) -> DataFileError:
    return DataFileError(f"{origin} line {number}: expected {expected}, got {got!r}; fix the row")
