"""Shared fixtures: where the shared gold data lives, synthetic articles, the spaCy pipeline and
the embedded gazetteer (one of each per session)."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_data() -> Path | None:
    """The shared data: $EVENTATLAS_SHARED_DATA, ../shared/data beside the repo, /work/shared."""
    candidates = [
        os.environ.get("EVENTATLAS_SHARED_DATA", ""),
        str(ROOT.parent / "shared" / "data"),
        "/work/shared/data",
    ]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    found = shared_data()
    if found is None:
        pytest.skip("shared gold data not found (set EVENTATLAS_SHARED_DATA)")
    return found


_WORDS = [
    "forces",
    "convoy",
    "village",
    "checkpoint",
    "patrol",
    "ministry",
    "spokesman",
    "artillery",
    "shelling",
    "province",
    "border",
    "crossing",
    "militia",
    "government",
    "rebels",
    "observers",
    "statement",
    "agency",
    "reported",
    "killed",
    "wounded",
    "civilians",
    "displaced",
    "airstrike",
    "drone",
    "highway",
    "bridge",
    "oil",
    "field",
    "base",
    "troops",
    "negotiations",
    "ceasefire",
    "talks",
    "humanitarian",
    "aid",
    "delivered",
    "blocked",
    "withdrew",
    "deployed",
    "accused",
    "denied",
    "warned",
    "protested",
    "residents",
    "market",
    "hospital",
    "school",
    "commander",
    "officials",
]


def synthetic_article(seed: int, paragraphs: int = 5) -> str:
    """A plausible-looking news text, different for each seed (for ingest mechanics tests)."""
    rng = random.Random(seed)
    paras = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(12, 24))]
            sentences.append("The " + " ".join(words) + ", officials said.")
        paras.append(" ".join(sentences))
    return f"Report number {seed} on the situation\n\n" + "\n\n".join(paras) + "\n"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A live PostgreSQL server for the session (skips with the reason when none is installed)."""
    from tests.pg import temporary_postgres

    try:
        with temporary_postgres() as url:
            yield url
    except LookupError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The spaCy pipeline, loaded once for the whole session."""
    from eventatlas.nlp.load import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def gazetteer() -> Any:
    """The embedded gazetteer index (built on first use into the user cache)."""
    from eventatlas.geo.gazetteer import open_gazetteer
    from eventatlas.settings import load_settings

    return open_gazetteer(load_settings())
