"""The HTML path: flattening and trafilatura extraction with the plain-text fallback."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventatlas import registry
from eventatlas.ingest import html as html_module
from eventatlas.ingest.flatten import flatten_html
from eventatlas.ingest.html import extract_html, make_trafilatura_extractor
from eventatlas.records import CleanedText

PARAS = [
    "Shelling resumed overnight along the river, damaging a pumping station that supplies water "
    "to about twenty thousand residents of the eastern districts, local officials said.",
    "Engineers were waiting for a pause in the fighting to reach the site, the water utility said "
    "in a statement, adding that tanker trucks would be sent to the worst affected areas.",
    "The governor accused the opposing forces of targeting civilian infrastructure deliberately, "
    "a charge their spokesman rejected as propaganda during a briefing on Monday afternoon.",
    "International monitors said they had recorded more than forty explosions in the area over "
    "the past day and called on both sides to respect the agreement signed in the spring.",
]

PAGE = f"""<!doctype html><html><head><title>Water station hit | The Ledger</title>
<style>.x {{ color: red }}</style><script>var tracking = "do not show";</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article>
<h1>Shelling damages water station serving twenty thousand</h1>
<p>{PARAS[0]}</p>
<p>{PARAS[1].replace("water utility", '<a href="/u">water utility</a>')}</p>
<figure><img src="/p.jpg" alt="The station"><figcaption>The damaged station.</figcaption></figure>
<p>{PARAS[2].replace("deliberately", "<strong>deliberately</strong>")}</p>
<p>{PARAS[3]}</p>
</article>
<div hidden>secret hidden text</div>
<footer><p>© 2021 The Ledger. All rights reserved.</p></footer>
</body></html>"""


def test_flatten_plain_blocks_and_drops_scripts() -> None:
    text = flatten_html(PAGE)
    lines = text.splitlines()
    assert "Home" in lines
    assert "World" in lines
    assert "Shelling damages water station serving twenty thousand" in lines
    for para in PARAS:
        assert para in lines
    for hidden in ("tracking", "color: red", "secret hidden"):
        assert hidden not in text
    for markup in ("[", "**", "#"):
        assert markup not in text


def test_flatten_markdown_syntax() -> None:
    text = flatten_html(PAGE, markdown=True)
    lines = text.splitlines()
    assert "# Shelling damages water station serving twenty thousand" in lines
    assert "- [Home](/)" in lines
    assert any("[water utility](/u)" in line for line in lines)
    assert any("**deliberately**" in line for line in lines)
    assert "![The station](/p.jpg)" in lines


def test_flatten_paragraphs_separated_by_blank_line() -> None:
    text = flatten_html("<div>a</div><div>b</div><p>c</p><p>d</p>")
    assert text == "a\nb\n\nc\n\nd\n"


def test_flatten_br_and_inline() -> None:
    assert flatten_html("<p>one <b>two</b><br>three</p>") == "one two\nthree\n"


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=300))
def test_flatten_never_crashes_on_text(text: str) -> None:
    html = f"<html><body><p>{text}</p><div>{text[::-1]}</div></body></html>"
    for md in (False, True):
        out = flatten_html(html, markdown=md)
        assert out == "" or (out.endswith("\n") and not out.startswith("\n"))


def test_extract_html_body_and_title() -> None:
    result = extract_html(PAGE, "https://ledger.example/a")
    assert isinstance(result, CleanedText)
    assert result.title is not None
    assert "water station" in result.title.lower()
    for para in PARAS:
        assert para.split(",")[0] in result.text
    assert "All rights reserved" not in result.text
    assert "Home" not in result.text.split("\n")


def test_fallback_to_plain_text_cleaner_when_trafilatura_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []
    monkeypatch.setattr(html_module.trafilatura, "bare_extraction", lambda *a, **k: None)

    def fake_cleaner(text: str, body: bool = False) -> CleanedText:
        seen.append(text)
        return CleanedText(text="from the cleaner", title="T")

    result = extract_html("<html><body><div>Hi</div></body></html>", cleaner=fake_cleaner)
    assert result == CleanedText(text="from the cleaner", title="T")
    assert len(seen) == 1
    assert "Hi" in seen[0]


def test_registered_extractor() -> None:
    factory = registry.get("html_extractors", "trafilatura")
    assert factory is make_trafilatura_extractor
    extract = factory()
    assert PARAS[3].split(",")[0] in extract(PAGE, None).text


@pytest.mark.parametrize("html", ["", "<html></html>", "not html at all"])
def test_degenerate_pages(html: str) -> None:
    assert isinstance(extract_html(html), CleanedText)
