"""The event ontology and trigger lexicon, read from data files (rules as data).

* ``data/plover_types.csv``: PLOVER's 16 types and their modes;
* ``data/acled_types.csv``: ACLED's event and sub-event types, each mapped to a PLOVER type/mode;
* ``data/event_lexicon.csv``: trigger lemmas and phrases with the type, mode and ACLED type they
  signal and a strength.

Users extend the lexicon with their own CSV of the same columns (``load_ontology(extra=...)``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from eventatlas.datafiles import Row, Schema, Table, read_packaged_csv, read_user_csv
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


PLOVER = Schema(("type", "mode"), provenance=True)
ACLED = Schema(("event_type", "sub_event_type", "plover_type", "plover_mode"), provenance=True)
_TRIGGER = ("term", "pos", "type", "mode", "acled_event_type", "acled_sub_event_type", "strength")
LEXICON = Schema(_TRIGGER, provenance=True)


def load_ontology(extra: Sequence[Path] = ()) -> Ontology:
    """The packaged ontology and lexicon, plus the rows of ``extra`` lexicon files (the
    ``lexicon_file`` setting: the packaged lexicon's columns, provenance included)."""
    modes = _read_modes(read_packaged_csv("plover_types.csv", PLOVER))
    acled = _read_acled(read_packaged_csv("acled_types.csv", ACLED), modes)
    tables = [read_packaged_csv("event_lexicon.csv", LEXICON)]
    tables += [read_user_csv(p, LEXICON, "lexicon_file") for p in extra]
    triggers: dict[str, list[Trigger]] = defaultdict(list)
    for table in tables:
        for trig in _read_lexicon(table, modes, acled):
            triggers[trig.lemmas[0]].append(trig)
    longest = max((len(t.lemmas) for ts in triggers.values() for t in ts), default=1)
    return Ontology(modes, acled, {k: tuple(v) for k, v in triggers.items()}, longest)


def _read_modes(table: Table) -> dict[str, frozenset[str]]:
    modes: dict[str, set[str]] = {t: set() for t in EVENT_TYPES}
    for row in table:
        if row["type"] not in modes:
            raise _bad(row, "a PLOVER type", row["type"])
        if row["mode"]:
            modes[row["type"]].add(row["mode"])
    return {t: frozenset(m) for t, m in modes.items()}


def _read_acled(
    table: Table, modes: dict[str, frozenset[str]]
) -> dict[tuple[str, str], tuple[str, str | None]]:
    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    for row in table:
        if row["plover_type"] not in modes:
            raise _bad(row, "a PLOVER type", row["plover_type"])
        out[(row["event_type"], row["sub_event_type"])] = (
            row["plover_type"],
            row["plover_mode"] or None,
        )
    return out


def _read_lexicon(
    table: Table,
    modes: dict[str, frozenset[str]],
    acled: dict[tuple[str, str], tuple[str, str | None]],
) -> Iterator[Trigger]:
    for row in table:
        if not row["term"].split():
            raise _bad(row, "a term (one or more lemmas)", row["term"])
        if row["type"] not in modes:
            raise _bad(row, "a PLOVER type", row["type"])
        pair = (row["acled_event_type"], row["acled_sub_event_type"])
        if any(pair) and pair not in acled:
            raise _bad(row, "an ACLED event and sub-event type pair", " / ".join(pair))
        try:
            strength = float(row["strength"] or 1.0)
        except ValueError:
            raise _bad(row, "a strength between 0 and 1", row["strength"]) from None
        yield Trigger(
            lemmas=tuple(row["term"].lower().split()),
            pos=(row["pos"] or "ANY").upper(),
            type=row["type"],
            mode=row["mode"] or None,
            acled=AcledType(*pair) if all(pair) else None,
            strength=strength,
        )


def _bad(row: Row, expected: str, got: str) -> DataFileError:
    return row.error(expected=expected, got=repr(got))
