"""Segmentation: the units the cleaner classifies, whatever the layout of the text.

Texts here are synthetic, written for these tests (edge cases of layout, not quality evidence).
"""

from __future__ import annotations

import re
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from eventatlas.ingest.segment import (
    HARD_SEGMENT_CHARS,
    LINE,
    MAX_SEGMENT_CHARS,
    PARAGRAPH,
    SPACE,
    split_segments,
    split_sentences,
)

ABBREV = frozenset({"mr", "gen", "u.s", "jan"})
SENTENCES = [
    "Shelling resumed on Tuesday near the northern crossing, residents said.",
    "Gen. Karim Aziz told reporters the army had repelled an attack on a checkpoint.",
    "The U.S. envoy is due in the capital on Jan. 12 for talks with both sides.",
    "Aid groups said about 4,000 people had fled toward the coast since the weekend.",
    "Mr. Haddad, a local official, said two schools had been closed.",
] * 4


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_one_line_body_is_split_into_sentences() -> None:
    text = " ".join(SENTENCES)
    assert len(text) > MAX_SEGMENT_CHARS
    segs = split_segments(text, ABBREV)
    assert [s.raw for s in segs] == SENTENCES
    assert segs[0].brk == LINE
    assert all(s.brk == SPACE for s in segs[1:])


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    text = "Gen. A. Karim met Mr. Haddad in the U.S. capital. Then he left."
    assert split_sentences(text, ABBREV) == [
        "Gen. A. Karim met Mr. Haddad in the U.S. capital.",
        "Then he left.",
    ]


def test_hard_wrapped_text_is_unwrapped_into_its_paragraphs() -> None:
    paragraphs = [" ".join(SENTENCES[:3]), " ".join(SENTENCES[3:5])]
    text = "\n\n".join(textwrap.fill(p, 70) for p in paragraphs)
    segs = split_segments(text, ABBREV)
    joined = [s.raw for s in segs]
    assert " ".join(joined) == " ".join(paragraphs)
    breaks = [s.brk for s in segs]
    assert breaks.count(PARAGRAPH) == 1
    assert LINE not in breaks[1:]  # no wrapped line stays cut


def test_a_paragraph_wrapped_onto_two_lines_is_joined_by_the_texts_width() -> None:
    paragraphs = [" ".join(SENTENCES[:3]), SENTENCES[3] + " " + SENTENCES[4][:40] + "."]
    text = "\n\n".join(textwrap.fill(p, 70) for p in paragraphs)
    assert len(textwrap.fill(paragraphs[1], 70).splitlines()) == 2
    assert [s.raw for s in split_segments(text, ABBREV)][-1].startswith(SENTENCES[3][:20])
    assert len([s for s in split_segments(text, ABBREV) if s.brk == LINE]) == 1  # the first only


def test_a_dash_carried_over_by_the_wrapper_is_no_list_item() -> None:
    # pad the opening until the wrapper breaks the line just before " - "
    for pad in range(40):
        head = "Shelling hit the town " + "very " * (pad % 10) + "early" + "," * (pad // 10)
        text = textwrap.fill(f"{head} residents said - {SENTENCES[1]} {SENTENCES[3]}", 70)
        if any(line.startswith("- ") for line in text.splitlines()[1:]):
            break
    else:
        raise AssertionError("no padding put a dash at the start of a line")
    segs = split_segments(text, ABBREV)
    assert not any(s.raw.startswith("- ") for s in segs)


def test_a_list_after_a_colon_stays_a_list() -> None:
    lines = ["The ministry listed the following damaged sites in the town centre:", "- the market",
             "- two schools", "- the water station near the northern checkpoint"]  # fmt: skip
    assert [s.raw for s in split_segments("\n".join(lines))] == lines


def test_short_lines_of_a_menu_are_not_joined() -> None:
    text = "Home\nWorld\nPolitics\nBusiness\nSport"
    assert [s.raw for s in split_segments(text)] == text.split("\n")


def test_markdown_list_items_are_not_joined_to_a_wrapped_line() -> None:
    items = [f"- {s}" for s in SENTENCES[:4]]
    segs = split_segments("\n".join(items))
    assert [s.raw for s in segs] == items


def test_runs_of_spaces_are_paragraph_breaks() -> None:
    text = "First paragraph ends here.     Second paragraph starts here."
    segs = split_segments(text)
    assert [s.raw for s in segs] == ["First paragraph ends here.", "Second paragraph starts here."]
    assert segs[1].brk == PARAGRAPH


def test_text_without_punctuation_is_cut_into_bounded_pieces() -> None:
    text = " ".join(["word"] * 5000)
    segs = split_segments(text)
    assert all(len(s.raw) <= HARD_SEGMENT_CHARS for s in segs)
    assert sum(len(words(s.raw)) for s in segs) == 5000


def test_blank_text_has_no_segments() -> None:
    assert split_segments(" \n\n\t \n") == []


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("abc XYZ.!?\n\t  ,'\"-#>*1")) | st.characters(),
        max_size=3000,
    )
)
def test_no_word_is_lost_or_invented(text: str) -> None:
    segs = split_segments(text, ABBREV)
    assert words(" ".join(s.raw for s in segs)) == words(text)
    assert all(s.raw and s.raw == s.raw.strip() for s in segs)
    assert all(len(s.raw) <= max(HARD_SEGMENT_CHARS, MAX_SEGMENT_CHARS) for s in segs)
    assert all(s.brk in (SPACE, LINE, PARAGRAPH) for s in segs)
