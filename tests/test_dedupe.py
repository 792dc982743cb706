from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventatlas.ingest.dedupe import NearDuplicateIndex, from_bytes, signature, to_bytes
from tests.conftest import synthetic_article


def test_syndicated_copy_is_linked_to_original() -> None:
    original = synthetic_article(1)
    copy = "Republished with permission.\n" + original + "\nReporting by a wire service."
    index = NearDuplicateIndex(0.8)
    index.add("orig", signature(original))
    assert index.original_of(signature(copy)) == "orig"


def test_different_story_is_not_linked() -> None:
    index = NearDuplicateIndex(0.8)
    index.add("a", signature(synthetic_article(1)))
    assert index.original_of(signature(synthetic_article(2))) is None


def test_earliest_original_wins() -> None:
    text = synthetic_article(3)
    index = NearDuplicateIndex(0.8)
    index.add("first", signature(text))
    index.add("second", signature(text + " Updated."))
    assert index.original_of(signature(text)) == "first"


def test_threshold_is_validated() -> None:
    with pytest.raises(ValueError, match="threshold"):
        NearDuplicateIndex(0.0)


@given(st.text(min_size=0, max_size=400))
def test_signature_round_trips_through_bytes(text: str) -> None:
    mh = signature(text)
    assert from_bytes(to_bytes(mh)).jaccard(mh) == 1.0
