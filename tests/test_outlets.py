"""The outlet registry: loading, user overrides, look-ups, and banners in page text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from eventatlas.errors import DataFileError
from eventatlas.ingest.outlets import (
    OUTLET_COLUMNS,
    OUTLET_TYPES,
    OutletRegistry,
    load_outlets,
    outlet_in_lines,
    page_url_in_lines,
    read_banners,
    read_outlets,
    registrable_domain,
)

HEADER = ",".join(OUTLET_COLUMNS)
SYNTHETIC = [
    HEADER,
    "Daily Meridian,dailymeridian.com,US,independent,privately owned,Meridian News Service,t",
    "Capital Wire Service,capitalwire.net wire.capital-news.org,GB,wire,news cooperative,CWS,t",
    "Republic Broadcaster,rbtv.net,FR,state-affiliated,state-funded,RBTV|RBTV World,t",
    "Conflict Watch Group,conflictwatch.org,,monitor,NGO,CWG,t",
    "Linkhub,linkhub.com news.portal-example.com,,aggregator,republishes others,,t",
    "Meridian Monitoring,monitoring.dailymeridian.com,US,aggregator,translations,,t",
]


@pytest.fixture(scope="module")
def packaged() -> OutletRegistry:
    return load_outlets()


@pytest.fixture(scope="module")
def registry(packaged: OutletRegistry) -> OutletRegistry:
    """Synthetic outlets with the packaged banner templates."""
    return OutletRegistry(tuple(read_outlets(SYNTHETIC, "synthetic.csv")), packaged.banners)


def _name(found: object) -> str | None:
    return getattr(found, "name", None)


# --- the packaged registry ----------------------------------------------------------------


def test_packaged_registry_breadth(packaged: OutletRegistry) -> None:
    assert len(packaged) >= 150
    types: Counter[str] = Counter(o.type for o in packaged)
    assert set(types) == set(OUTLET_TYPES)
    assert all(types[t] >= 10 for t in OUTLET_TYPES), types
    assert all(o.basis and o.domains for o in packaged)


def test_packaged_registry_basics(packaged: OutletRegistry) -> None:
    for domain in ("reuters.com", "sana.sy", "rt.com", "syriahr.com", "globalsecurity.org"):
        assert packaged.by_domain(domain) is not None, domain
    assert len(packaged.banners) >= 10


# --- look-ups -----------------------------------------------------------------------------


def test_by_domain_strips_www_and_matches_subdomains(registry: OutletRegistry) -> None:
    assert _name(registry.by_domain("www.dailymeridian.com")) == "Daily Meridian"
    assert _name(registry.by_domain("https://edition.dailymeridian.com/x")) == "Daily Meridian"
    assert _name(registry.by_domain("DailyMeridian.com:443")) == "Daily Meridian"
    assert _name(registry.by_domain("wire.capital-news.org")) == "Capital Wire Service"
    assert registry.by_domain("capital-news.org") is None  # only the registered subdomain
    assert registry.by_domain("notdailymeridian.com") is None


def test_by_domain_prefers_the_longest_registered_suffix(registry: OutletRegistry) -> None:
    assert _name(registry.by_domain("monitoring.dailymeridian.com")) == "Meridian Monitoring"
    assert _name(registry.by_domain("a.monitoring.dailymeridian.com")) == "Meridian Monitoring"


def test_by_name_is_case_insensitive_and_knows_signatures(registry: OutletRegistry) -> None:
    assert _name(registry.by_name("daily meridian")) == "Daily Meridian"
    assert _name(registry.by_name("The Daily-Meridian")) == "Daily Meridian"
    assert _name(registry.by_name("RBTV World")) == "Republic Broadcaster"
    assert _name(registry.by_name("cws")) == "Capital Wire Service"
    assert _name(registry.by_name("linkhub.com")) == "Linkhub"
    assert registry.by_name("Daily") is None


def test_registrable_domain() -> None:
    assert registrable_domain("https://news.example.co.uk/a/b") == "example.co.uk"
    assert registrable_domain("www.example.org") == "example.org"
    assert registrable_domain("http://127.0.0.1/x") is None
    assert registrable_domain("localhost") is None


# --- user files ---------------------------------------------------------------------------


def test_user_file_overrides_and_adds(tmp_path: Path, packaged: OutletRegistry) -> None:
    original = packaged.by_name("Reuters")
    assert original is not None
    extra = tmp_path / "mine.csv"
    extra.write_text(
        "\n".join(
            [
                HEADER,
                "Reuters,reuters.com reuters.example,CA,independent,test override,Reuters Desk,me",
                "Valley Gazette,valleygazette.example,NZ,independent,local paper,,my notes",
            ]
        ),
        encoding="utf-8",
    )
    merged = load_outlets(extra)
    assert len(merged) == len(packaged) + 1
    reuters = merged.by_name("reuters")
    assert reuters is not None
    assert (reuters.country, reuters.type) == ("CA", "independent")
    assert _name(merged.by_domain("reuters.example")) == "Reuters"
    assert _name(merged.by_name("Reuters Desk")) == "Reuters"
    assert _name(merged.by_domain("www.valleygazette.example")) == "Valley Gazette"
    assert _name(merged.by_domain("tass.com")) == "TASS"  # the rest is kept


def test_missing_user_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="does not exist"):
        load_outlets(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("X,x.com,US,tabloid,b,,p", "type must be one of"),
        ("X,x.com,USA,wire,b,,p", "ISO-3166 alpha-2"),
        ("X,x.com/news,US,wire,b,,p", "not a domain name"),
        ("X,not_a_domain,US,wire,b,,p", "not a domain name"),
        ("X,x.com,US,wire,,,p", "basis column is empty"),
        ("X,x.com,US,wire,b,,", "provenance column is empty"),
        ("X,x.com,US,wire,b", "expected 7 fields"),
        ("Y,dailymeridian.com,US,wire,b,,p", "'dailymeridian.com' is already used on line 2"),
        ("Y,y.com,US,wire,b,Daily Meridian,p", "already used on line 2"),
    ],
)
def test_malformed_rows_name_file_and_line(row: str, problem: str) -> None:
    lines = [HEADER, SYNTHETIC[1], "# a comment", "", row]
    with pytest.raises(DataFileError) as err:
        read_outlets(lines, "mine.csv")
    assert "mine.csv, line 5" in str(err.value)
    assert problem in str(err.value)


def test_malformed_header() -> None:
    with pytest.raises(DataFileError, match="line 1: expected a header"):
        read_outlets(["name,domains,type", "X,x.com,wire"], "mine.csv")
    with pytest.raises(DataFileError, match="no header"):
        read_outlets(["# only a comment"], "mine.csv")


def test_malformed_banner_file() -> None:
    head = "kind,template,position,basis,provenance"
    with pytest.raises(DataFileError, match="line 2"):
        read_banners([head, "banner,Support us,start,b,p"], "b.csv")  # no {outlet}
    with pytest.raises(DataFileError, match="line 3"):
        read_banners(
            [head, "banner,Support {outlet},start,b,p", "banner,{x} {outlet},here,b,p"], "b.csv"
        )


# --- banners in page text -----------------------------------------------------------------

FILLER = "Residents said the convoy turned back after hours of talks at the crossing."


def _page(
    header: list[str], body: list[str] | None = None, footer: list[str] | None = None
) -> list[str]:
    return [*header, *(body if body is not None else [FILLER] * 25), *(footer or [])]


@pytest.mark.parametrize(
    "line",
    [
        "Daily Meridian",
        "**Daily Meridian**",
        "— Meridian News Service",
        "By Daily Meridian",
        "Meridian News Service Staff",
        "Support Daily Meridian",
        "Follow Daily Meridian on Twitter and Facebook",
        "© 2021 Daily Meridian. All rights reserved.",
        "Copyright 2019-2021 Daily Meridian",
        "Join the Daily Meridian mailing list",
        "Read our coverage of the election on dailymeridian.com/elections every day.",
        "https://www.dailymeridian.com/world/some-story-123",
        "<https://dailymeridian.com/a>",
        "Greater Daily Meridian",
    ],
)
def test_banner_lines_name_the_outlet(registry: OutletRegistry, line: str) -> None:
    assert _name(outlet_in_lines(_page([line]), registry)) == "Daily Meridian"


@pytest.mark.parametrize(
    "line",
    [
        "A local reporter said in an interview with Daily Meridian that the road was closed.",
        "the Capital Wire Service news agency quoted the spokesman as saying.",
        "Photo: © Daily Meridian",
        "Daily raid",
        "read Daily Meridian",
        "RBTV said the shelling continued",
        "Meridian",
    ],
)
def test_body_mentions_do_not_name_the_outlet(registry: OutletRegistry, line: str) -> None:
    assert outlet_in_lines(_page([line], footer=[line]), registry) is None


def test_wire_dateline(registry: OutletRegistry) -> None:
    lines = _page(["Convoy turns back", "BEIRUT (CWS) - Troops blocked the road on Tuesday."])
    assert _name(outlet_in_lines(lines, registry)) == "Capital Wire Service"


def test_acronym_signatures_need_capitals(registry: OutletRegistry) -> None:
    assert _name(outlet_in_lines(["RBTV"], registry)) == "Republic Broadcaster"
    assert outlet_in_lines(["rbtv"], registry) is None


def test_header_and_footer_beat_body(registry: OutletRegistry) -> None:
    body = [FILLER] * 20 + ["Daily Meridian"] * 3 + [FILLER] * 20
    lines = _page(["Republic Broadcaster"], body=body)
    assert _name(outlet_in_lines(lines, registry)) == "Republic Broadcaster"


def test_most_frequent_wins_within_a_zone(registry: OutletRegistry) -> None:
    lines = _page(["Daily Meridian"], footer=["Support RBTV", "RBTV"])
    assert _name(outlet_in_lines(lines, registry)) == "Republic Broadcaster"


def test_original_outlet_beats_aggregator(registry: OutletRegistry) -> None:
    lines = _page(
        ["Linkhub", "Linkhub", "Republic Broadcaster"], footer=["Join the Linkhub mailing list"]
    )
    assert _name(outlet_in_lines(lines, registry)) == "Republic Broadcaster"
    assert _name(outlet_in_lines(_page(["Linkhub"]), registry)) == "Linkhub"


def test_no_banner_no_outlet(registry: OutletRegistry) -> None:
    assert outlet_in_lines(_page(["A headline about the war"]), registry) is None
    assert outlet_in_lines([], registry) is None


def test_page_url_in_lines(registry: OutletRegistry) -> None:
    same = _page(["Headline"], footer=["Original url: https://example.org/2020/06/05/story-1."])
    assert page_url_in_lines(same, registry) == "https://example.org/2020/06/05/story-1"
    nxt = _page(["Headline"], footer=["Original URL:", "", "<https://example.org/a/b>"])
    assert page_url_in_lines(nxt, registry) == "https://example.org/a/b"
    mention = _page(["Headline"], footer=["See https://example.org/a for the original url."])
    assert page_url_in_lines(mention, registry) is None
