"""The plain-text cleaner: markdown removal, each kind of cruft, title detection, properties.

All page texts here are synthetic, written for these tests.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventatlas import registry
from eventatlas.errors import DataFileError
from eventatlas.ingest.clean import (
    CleanerModel,
    TreeEnsemble,
    clean_text,
    drop_repeats,
    load_cleaner_model,
    load_cruft_patterns,
    make_line_cleaner,
)
from eventatlas.ingest.clean_features import parse_line, strip_markdown
from eventatlas.records import CleanedText

BODY = [
    "Heavy fighting broke out on Tuesday near the northern town of Karvel, where government "
    "troops and local militia exchanged artillery fire for several hours, residents said.",
    "The regional health office said at least nine civilians were wounded and two schools were "
    "closed after shells landed close to the central market on the eastern side of the town.",
    "A spokesman for the defence ministry told reporters that the army had repelled an attack "
    "on a checkpoint and that the situation along the highway was now under control.",
    "Humanitarian groups warned that roughly four thousand people had fled toward the coast "
    "since the weekend, and that aid convoys had been unable to reach the villages in the hills.",
    "Talks between the two sides, mediated by a neighbouring government, are due to resume next "
    "week in the capital, although neither delegation has confirmed its attendance so far.",
]
TITLE = "Fighting flares near Karvel as thousands flee toward the coast"


@lru_cache(maxsize=1)
def packaged_model() -> CleanerModel:
    return load_cleaner_model()


@pytest.fixture(scope="module")
def model() -> CleanerModel:
    return packaged_model()


def page(before: list[str], after: list[str], title: str | None = TITLE) -> str:
    head = [f"# {title}"] if title else []
    return "\n\n".join(before + head + BODY + after) + "\n"


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def assert_body_kept(result: CleanedText) -> None:
    for paragraph in BODY:
        assert paragraph in result.text


# --- markdown removal ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("The [ministry](https://example.org/m) said so.", "The ministry said so."),
        ("It was **very** serious and *widely* felt.", "It was very serious and widely felt."),
        ("## A subheading here", "A subheading here"),
        ("> Quoted words from the envoy.", "Quoted words from the envoy."),
        ("- a list item about shelling", "a list item about shelling"),
        ("Before ![a photo](https://x.org/p.jpg) after", "Before after"),
        ("See <https://example.org/report>", "See https://example.org/report"),
        ("A [linked **bold** name](/x) here", "A linked bold name here"),
        ("snake_case_word stays", "snake_case_word stays"),
        ("Escaped \\*stars\\* stay", "Escaped *stars* stay"),
        ("| cell one | cell two |", "cell one cell two"),
        ("---", ""),
    ],
)
def test_strip_markdown(raw: str, plain: str) -> None:
    assert strip_markdown(raw) == plain


def test_parse_line_records_markup() -> None:
    line = parse_line("### [Read more](/a) about [this](/b)")
    assert line.heading == 3
    assert line.links == 2
    assert line.text == "Read more about this"
    assert 0 < line.link_chars <= len(line.text)


def test_markdown_removed_from_body_and_text_kept(model: CleanerModel) -> None:
    body = [
        BODY[0].replace("government troops", "[government troops](https://e.org/t)"),
        BODY[1].replace("nine civilians", "**nine civilians**"),
        *BODY[2:],
    ]
    text = f"# {TITLE}\n\n" + "\n\n".join(body)
    result = clean_text(text, model)
    assert "](" not in result.text
    assert "**" not in result.text
    assert "government troops and local militia" in result.text
    assert "at least nine civilians were wounded" in result.text


# --- each kind of cruft ---------------------------------------------------------------------

CRUFT = {
    "donation widget": (["10 €", "25 €", "50 €", "100 €", "Donate now"], []),
    "support banner": (
        ["Support The Daily Ledger", "Become a member"],
        ["Support The Daily Ledger"],
    ),
    "comments": (
        [],
        [
            "Leave a Reply",
            "Subscribe",
            "Notify of",
            "Newest Most Voted",
            "Inline Feedbacks",
            "View all comments",
            "Harold Brimley",
            "What a mess, nobody learns anything.",
            "Reply",
            "Jane Okafor",
            "Same story every year.",
            "Reply",
        ],
    ),
    "mailing list": ([], ["Join our mailing list for weekly updates", "Sign up"]),
    "sponsored": (["Sponsored by", "Advertisement"], []),
    "related article": (
        [],
        [
            "Related article: [Shelling resumes on the border](/news/123)",
            "Read more: [Ceasefire talks stall](/news/124)",
        ],
    ),
    "photo credit": (["Smoke rises over the town. Photo: Lena Fors / Reuters"], []),
    "newsletter promo": (
        [],
        [
            "Get our morning newsletter in your inbox. Subscribe for free "
            "to get the latest headlines every day."
        ],
    ),
    "share and follow": (
        ["Share on Facebook", "Share on Twitter", "Email", "Print"],
        ["Follow us on Twitter, Facebook and Telegram"],
    ),
    "updated stamp": ([], ["Updated Date: Mar 03, 2021 10:15:00 IST"]),
    "promo paragraph": (
        [],
        [
            "All the results, maps and analysis of the regional vote on "
            "ledger.example/vote. Join us on Telegram for alerts from every "
            "district as the count goes on."
        ],
    ),
    "original url": ([], ["Original url:", "<https://news.example.org/2021/03/karvel-fighting>"]),
    "navigation": (
        ["Home", "World", "Politics", "Business", "Sport", "Opinion"],
        ["Privacy Policy", "Terms of Use", "© 2021 The Daily Ledger. All rights reserved."],
    ),
}


@pytest.mark.parametrize("kind", sorted(CRUFT))
def test_each_kind_of_cruft_is_removed(model: CleanerModel, kind: str) -> None:
    before, after = CRUFT[kind]
    result = clean_text(page(before, after), model, body=False)  # cleaned as a page
    assert_body_kept(result)
    for line in before + after:
        stripped = strip_markdown(line)
        assert stripped not in result.text.split("\n"), f"{kind}: kept {stripped!r}"


def test_caption_repeated_from_body_is_removed(model: CleanerModel) -> None:
    caption = BODY[1] + " (Photo: AFP)"
    result = clean_text(
        page([], []).replace(f"# {TITLE}", f"# {TITLE}\n\n{caption}"), model, body=False
    )
    assert_body_kept(result)
    assert result.text.count("nine civilians were wounded") == 1


def test_everything_together(model: CleanerModel) -> None:
    before = [line for kind in sorted(CRUFT) for line in CRUFT[kind][0]]
    after = [line for kind in sorted(CRUFT) for line in CRUFT[kind][1]]
    result = clean_text(page(before, after), model)
    assert_body_kept(result)
    body_words = words(" ".join(BODY))
    extra = words(result.text) - body_words
    assert len(extra) <= 3, extra


# --- title -------------------------------------------------------------------------------


def test_markdown_heading_title(model: CleanerModel) -> None:
    result = clean_text(page(["Home", "World", "Sport"], []), model, body=False)
    assert result.title == TITLE
    assert TITLE not in result.text


def test_plain_headline_title(model: CleanerModel) -> None:
    text = "\n".join(["Menu", "Search", "Sign in", TITLE, "By Lena Fors", "4 March 2021", *BODY])
    result = clean_text(text, model, body=False)
    assert result.title == TITLE
    assert TITLE not in result.text
    assert_body_kept(result)


def test_repeated_title_removed_everywhere(model: CleanerModel) -> None:
    text = "\n\n".join([TITLE, "Share this article", TITLE, *BODY])
    result = clean_text(text, model, body=False)
    assert result.title == TITLE
    assert TITLE not in result.text


def test_no_title_when_page_shows_none(model: CleanerModel) -> None:
    result = clean_text("\n\n".join(BODY), model, body=False)
    assert result.title is None
    assert_body_kept(result)


def test_a_paragraph_is_never_the_title(model: CleanerModel) -> None:
    result = clean_text("\n\n".join(["Home", "World", BODY[0]]), model, body=False)
    assert result.title is None
    assert BODY[0] in result.text


def test_an_article_alone_keeps_its_headline_in_its_text(model: CleanerModel) -> None:
    result = clean_text("\n\n".join([TITLE, *BODY]), model)
    assert result.cleaning == "body"
    assert result.title == TITLE
    assert result.text.startswith(TITLE)


# --- edges, loading, registry ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n  \n", "x", "# ", "[](/)"])
def test_degenerate_inputs(model: CleanerModel, text: str) -> None:
    result = clean_text(text, model)
    assert isinstance(result, CleanedText)


def test_load_rejects_missing_and_malformed(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="expected a readable JSON file"):
        load_cleaner_model(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"vocabulary": {"stopwords": [], "cruft": {}}}))
    with pytest.raises(DataFileError, match="retrain"):
        load_cleaner_model(bad)


def test_model_has_provenance(model: CleanerModel) -> None:
    assert "train_cleaner.py" in model.provenance["script"]
    assert "training sites only" in model.provenance["trained_on"]


def test_registered_factory() -> None:
    factory = registry.get("cleaners", "lines")
    assert factory is make_line_cleaner
    cleaner = factory()
    assert cleaner(page([], []), False).title == TITLE
    assert cleaner(page([], []), True).title is None


# --- properties -------------------------------------------------------------------------------

_LINE_TEXT = st.one_of(
    st.sampled_from([*BODY, "Share", "Home", "**Bold** claim", "[link](/x)", "# Head", "0 $"]),
    st.text(min_size=0, max_size=80),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE_TEXT, max_size=25))
def test_output_lines_come_from_input_lines(lines: list[str]) -> None:
    model = packaged_model()
    text = "\n".join(lines)
    result = clean_text(text, model)
    allowed = {strip_markdown(raw) for raw in re.split(r"\r\n|\r|\n", text)}  # the cleaner's lines
    for out_line in result.text.split("\n"):
        assert out_line == "" or out_line in allowed
    if result.title is not None:
        assert result.title in allowed


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(BODY), min_size=2, max_size=8), st.integers(0, 5))
def test_article_made_of_body_paragraphs_survives(paragraphs: list[str], seed: int) -> None:
    model = packaged_model()
    unique = list(dict.fromkeys(paragraphs))
    result = clean_text("\n\n".join(unique), model)
    assert sum(p in result.text for p in unique) >= len(unique) - 1


# --- pieces -----------------------------------------------------------------------------------


def test_tree_ensemble_walks_trees_like_sklearn_exports() -> None:
    stump = {
        "feature": [1, 0, 0],
        "threshold": [0.5, 0, 0],
        "left": [1, -1, -1],
        "right": [2, -1, -1],
        "value": [0.0, -1.0, 2.0],
    }
    deeper = {
        "feature": [0, 1, 0, 0, 0],
        "threshold": [1.0, 3.0, 0, 0, 0],
        "left": [1, 3, -1, -1, -1],
        "right": [2, 4, -1, -1, -1],
        "value": [0.0, 0.0, 5.0, 0.25, 0.75],
    }
    ens = TreeEnsemble.from_mapping(
        {"init": 0.5, "learning_rate": 2.0, "depth": 2, "trees": [stump, deeper]}
    )
    x = np.array([[0.0, 0.0], [0.0, 9.0], [2.0, 0.0]])
    # row 0: stump left (-1), deeper left-left (0.25); row 1: right (2), left-right (0.75);
    # row 2: stump left (-1), deeper right (5)
    assert ens.decision(x).tolist() == [0.5 + 2 * (-0.75), 0.5 + 2 * 2.75, 0.5 + 2 * 4.0]


def test_drop_repeats_keeps_one_of_two_near_duplicates() -> None:
    lines = [parse_line(BODY[1] + " (AFP)"), parse_line(BODY[0]), parse_line(BODY[1])]
    keep = drop_repeats(lines, [True, True, True], np.array([0.9, 0.9, 0.9]))
    assert keep == [False, True, True]
    keep = drop_repeats(lines, [True, True, True], np.array([0.95, 0.9, 0.5]))
    assert keep == [True, True, False]


def test_cruft_patterns_load_and_reject_bad_files(tmp_path: Path) -> None:
    patterns = load_cruft_patterns()
    assert patterns
    assert all(p.kind and p.max_words > 0 for p in patterns)
    bad = tmp_path / "rules.json"
    bad.write_text(json.dumps({"patterns": [{"kind": "x", "max_words": 3, "pattern": "("}]}))
    with pytest.raises(DataFileError, match="patterns"):
        load_cruft_patterns(bad)


def test_long_body_line_never_matches_a_short_line_pattern() -> None:
    long_line = "Support for the ceasefire " + " ".join(["grew"] * 20) + " across the region."
    assert not any(p.matches(long_line) for p in load_cruft_patterns())
