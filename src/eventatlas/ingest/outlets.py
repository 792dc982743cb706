"""The outlet registry, and finding a page's outlet in its text.

Entry points:

* :func:`load_outlets` ``(extra=None) -> OutletRegistry`` — the packaged ``data/outlets.csv``
  with the user's rows (same columns) on top: a user row replaces the packaged row of the same
  name and takes over its domains and signatures;
* :meth:`OutletRegistry.by_domain` / :meth:`OutletRegistry.by_name` — look-ups;
* :func:`outlet_in_lines` — the outlet a page names in a *banner-like* position (a short line
  standing alone, or a line matching one of the templates in ``data/outlet_banners.csv``:
  "Support X", "© 2020 X", "X mailing list", "on x.com" …), never a mention in a body sentence;
* :func:`page_url_in_lines` — the page's own URL when the text states it ("Original url: …").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from tld import get_fld

from eventatlas.datafiles import Row, Schema, packaged_name, packaged_text, parse_csv, user_text
from eventatlas.records import Outlet, OutletType

OUTLETS_FILE = "outlets.csv"
BANNERS_FILE = "outlet_banners.csv"
OUTLET_COLUMNS = ("name", "domains", "country", "type", "basis", "signatures", "provenance")
BANNER_COLUMNS = ("kind", "template", "position", "basis", "provenance")
_OUTLETS = Schema(OUTLET_COLUMNS, provenance=True, filled=("name", "type", "basis"))
_BANNERS = Schema(BANNER_COLUMNS, provenance=True, filled=("basis",))
OUTLET_TYPES: tuple[str, ...] = get_args(OutletType)
HEADER_LINES = 15  # first non-empty lines of a page: masthead, title, byline
FOOTER_LINES = 15  # last non-empty lines: copyright, newsletter and donation appeals

Position = Literal["line", "start", "anywhere"]
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DASHES = re.compile(r"[\-‐‑‒–—_]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def normalize_name(text: str) -> str:
    """Case-, dash- and space-insensitive form of an outlet name; a leading "the" is dropped."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = " ".join(_DASHES.sub(" ", text).split())
    return text[4:] if text.startswith("the ") else text


def host_of(url_or_host: str) -> str | None:
    """The lower-case host of a URL or bare host name, without ``www.`` and port."""
    text = url_or_host.strip()
    try:
        host = urlsplit(text if "://" in text else "//" + text).hostname
    except ValueError:
        return None
    return re.sub(r"^www\d?\.", "", host.rstrip(".").lower()) or None if host else None


def registrable_domain(url_or_host: str) -> str | None:
    """The registrable name of a host ("news.bbc.co.uk" -> "bbc.co.uk"); None for IPs."""
    host = host_of(url_or_host)
    if host is None or "." not in host or re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return None
    found = get_fld(host, fix_protocol=True, fail_silently=True)
    if isinstance(found, str) and found:
        return found
    return ".".join(host.split(".")[-2:])  # unknown suffix: the last two labels


@dataclass(frozen=True)
class BannerTemplate:
    """A generic line pattern naming a page's own outlet (``{outlet}`` or ``{domain}``)."""

    kind: Literal["banner", "page_url"]
    template: str
    position: Position
    basis: str


@dataclass(frozen=True)
class OutletRegistry:
    """Outlets by name, signature and domain; later rows win over earlier ones."""

    outlets: tuple[Outlet, ...]
    banners: tuple[BannerTemplate, ...] = ()

    def __len__(self) -> int:
        return len(self.outlets)

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self.outlets)

    @cached_property
    def _by_name(self) -> dict[str, Outlet]:
        index: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for alias in (outlet.name, *outlet.signatures):
                index[normalize_name(alias)] = outlet
        return index

    @cached_property
    def _by_domain(self) -> dict[str, Outlet]:
        return {domain: outlet for outlet in self.outlets for domain in outlet.domains}

    def by_domain(self, url_or_host: str) -> Outlet | None:
        """The outlet registered for a host, URL, or any parent domain of it."""
        host = host_of(url_or_host)
        if host is None:
            return None
        labels = host.split(".")
        for i in range(len(labels) - 1):
            found = self._by_domain.get(".".join(labels[i:]))
            if found is not None:
                return found
        return None

    def by_name(self, name: str) -> Outlet | None:
        """The outlet with this name or signature (case-insensitive), or whose domain it is."""
        found = self._by_name.get(normalize_name(name))
        if found is None and _DOMAIN.match(name.strip().lower()):
            found = self.by_domain(name)
        return found

    @cached_property
    def alias_pattern(self) -> re.Pattern[str]:
        """One regex matching any registered name, signature or domain as a whole word
        (a trie of the aliases: one pass over a line whatever the size of the registry)."""
        aliases = {a for o in self.outlets for a in (o.name, *o.signatures)}
        acronyms = sorted((a for a in aliases if _is_acronym(a)), key=len, reverse=True)
        atoms = [_name_atoms(a) for a in aliases if not _is_acronym(a) and normalize_name(a)]
        atoms += [[re.escape(c) for c in d] for o in self.outlets for d in o.domains]
        branches = [_trie_regex(atoms)] if atoms else []
        if acronyms:  # only in capitals: AP, not "ap"
            branches.append("(?-i:" + "|".join(re.escape(a) for a in acronyms) + ")")
        body = "|".join(branches) or "(?!)"
        return re.compile(rf"(?<![\w@])(?:{body})(?![\w])", re.IGNORECASE)

    @cached_property
    def banner_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(_compile_banner(b) for b in self.banners if b.kind == "banner")

    @cached_property
    def url_label_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(
            re.compile(rf"^{_literal(b.template)}\s*[:\-–—]?\s*(?P<rest>.*)$", re.IGNORECASE)
            for b in self.banners
            if b.kind == "page_url"
        )


_NAME_SEPARATOR = r"[\s\-‐‑–—]+"


def _is_acronym(alias: str) -> bool:
    return alias.isupper() and " " not in alias and len(alias) <= 6


def _name_atoms(alias: str) -> list[str]:
    """The regex atoms of a normalised name: characters, flexible spaces and apostrophes."""
    atoms = []
    for char in normalize_name(alias):
        atoms.append(_NAME_SEPARATOR if char == " " else "['’]" if char == "'" else re.escape(char))
    return atoms


def _trie_regex(sequences: list[list[str]]) -> str:
    """A regex matching exactly the given atom sequences, shaped as a trie (longest first)."""
    trie: dict[str, Any] = {}
    for sequence in sequences:
        node = trie
        for atom in sequence:
            node = node.setdefault(atom, {})
        node[""] = {}
    return _node_regex(trie)


def _node_regex(node: dict[str, Any]) -> str:
    branches = [atom + _node_regex(child) for atom, child in sorted(node.items()) if atom]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return f"(?:{body})?" if len(branches) == 1 else body + "?"


# ---------------------------------------------------------------------------------------------
# Banner templates

_SENTINEL = "\x00{kind}{index}\x00"
_PLACEHOLDERS = {
    "{outlet}": "\x00([ND])(\\d+)\x00",
    "{domain}": "\x00(D)(\\d+)\x00",
    "{year}": r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?",
    "{place}": r"[^()\x00]{2,60}?",
    "{dash}": r"[-–—]",
}


def _literal(text: str) -> str:
    return r"\s+".join(re.escape(word) for word in text.split())


def _compile_banner(banner: BannerTemplate) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", banner.template.strip())
    body = "".join(_PLACEHOLDERS.get(p) or _literal_keep_space(p) for p in parts if p)
    if banner.position == "line":
        body = f"^{body}$"
    elif banner.position == "start":
        body = f"^{body}"
    return re.compile(body, re.IGNORECASE)


def _literal_keep_space(text: str) -> str:
    """A literal piece of a template: words must stand as words, spacing is free."""
    if not text.strip():
        return r"\s*"
    core = text.strip()
    lead = r"\b" if core[0].isalnum() else ""
    tail = r"\b" if core[-1].isalnum() else ""
    return rf"\s*{lead}{_literal(core)}{tail}\s*"


# ---------------------------------------------------------------------------------------------
# Finding the outlet in a page's lines

_DECORATION = re.compile(r"^[\s#>*_`|•·:\-–—\"'“”\[(]+|[\s*_`|•·:\-–—\"'“”\])]+$")
_URL = re.compile(r"https?://[^\s<>()\[\]\"'“”]+", re.IGNORECASE)
_URL_ONLY = re.compile(r"^(?:\[[^\]]*\]\()?<?(https?://[^\s<>()\"']+?)>?\)?[.,;]?$", re.I)


@dataclass
class _Tally:
    outlet: Outlet
    zone: int = 0  # 2 header/footer, 1 body
    count: int = 0
    first: int = 0


def _zone_weight(index: int, count: int) -> int:
    return 2 if index < HEADER_LINES or index >= count - FOOTER_LINES else 1


def _substitute(line: str, registry: OutletRegistry) -> tuple[str, list[Outlet]]:
    """``line`` with each registered alias replaced by a sentinel, and the outlets found."""
    found: list[Outlet] = []

    def swap(m: re.Match[str]) -> str:
        text = m.group(0)
        is_domain = bool(_DOMAIN.match(text.lower()))
        outlet = registry.by_domain(text) if is_domain else registry.by_name(text)
        if outlet is None:
            return text
        found.append(outlet)
        return _SENTINEL.format(kind="D" if is_domain else "N", index=len(found) - 1)

    return registry.alias_pattern.sub(swap, line), found


def _standalone(marked: str, found: list[Outlet], original: str) -> Outlet | None:
    """The outlet a short line consists of ("Reuters", "— AFP"), or a name of two words or more
    with one extra capitalised word before or after it (a country or edition: "Iran Press TV")."""
    core = re.sub(r"^the\s+", "", _DECORATION.sub("", marked), flags=re.IGNORECASE)
    whole = re.fullmatch("\x00[ND](\\d+)\x00", core)
    if whole:
        return found[int(whole.group(1))]
    one_more = re.fullmatch("(?:(\\S+) +)?\x00N(\\d+)\x00(?: +(\\S+))?", core)
    if not one_more or bool(one_more.group(1)) == bool(one_more.group(3)):
        return None
    extra = one_more.group(1) or one_more.group(3)
    outlet = found[int(one_more.group(2))]
    if not extra[0].isupper() or not any(len(a.split()) > 1 for a in _aliases_in(original, outlet)):
        return None
    return outlet


def _aliases_in(line: str, outlet: Outlet) -> list[str]:
    norm = normalize_name(line)
    return [a for a in (outlet.name, *outlet.signatures) if normalize_name(a) in norm]


def _line_outlet(line: str, registry: OutletRegistry) -> Outlet | None:
    stripped = _DECORATION.sub("", line)
    only_url = _URL_ONLY.match(stripped)
    if only_url:
        return registry.by_domain(only_url.group(1))
    marked, found = _substitute(stripped, registry)
    if not found:
        return None
    alone = _standalone(marked, found, stripped)
    if alone is not None:
        return alone
    for pattern in registry.banner_patterns:
        m = pattern.search(marked)
        if m:
            return found[int(m.group(2))]
    return None


def outlet_in_lines(lines: Sequence[str], registry: OutletRegistry) -> Outlet | None:
    """The outlet a page's text names in banner-like positions, or None.

    Candidates are ranked: a non-aggregator before an aggregator (an aggregator page that names
    another outlet in a banner is a republished copy of it), then header/footer before body,
    then the most frequent, then the earliest.
    """
    content = [ln for ln in lines if ln.strip()]
    tallies: dict[str, _Tally] = {}
    for index, line in enumerate(content):
        outlet = _line_outlet(line, registry)
        if outlet is None:
            continue
        tally = tallies.setdefault(outlet.name, _Tally(outlet, first=index))
        tally.zone = max(tally.zone, _zone_weight(index, len(content)))
        tally.count += 1
    if not tallies:
        return None
    best = max(
        tallies.values(),
        key=lambda t: (t.outlet.type != "aggregator", t.zone, t.count, -t.first),
    )
    return best.outlet


def page_url_in_lines(lines: Sequence[str], registry: OutletRegistry) -> str | None:
    """The page's own URL when a labelled line gives it ("Original url: https://…")."""
    content = [_DECORATION.sub("", ln) for ln in lines if ln.strip()]
    for index, line in enumerate(content):
        for pattern in registry.url_label_patterns:
            m = pattern.match(line)
            if not m:
                continue
            rest = m.group("rest") or (content[index + 1] if index + 1 < len(content) else "")
            url = _URL.search(rest)
            if url:
                return url.group(0).rstrip(".,;:>")
    return None


# ---------------------------------------------------------------------------------------------
# Loading


def load_outlets(extra: Path | None = None) -> OutletRegistry:
    """The packaged registry, with the rows of ``extra`` (same columns) loaded on top."""
    rows = read_outlets(packaged_text(OUTLETS_FILE), packaged_name(OUTLETS_FILE))
    if extra is not None:
        text = user_text(extra, "outlets_file", OUTLET_COLUMNS)
        rows = merge_outlets(rows, read_outlets(text, str(extra)))
    banners = read_banners(packaged_text(BANNERS_FILE), packaged_name(BANNERS_FILE))
    return OutletRegistry(tuple(rows), tuple(banners))


def merge_outlets(base: Sequence[Outlet], overrides: Sequence[Outlet]) -> list[Outlet]:
    """``base`` with ``overrides`` applied: same name replaces, new names are appended."""
    replaced = {normalize_name(o.name) for o in overrides}
    return [o for o in base if normalize_name(o.name) not in replaced] + list(overrides)


def read_outlets(lines: str | Iterable[str], name: str) -> list[Outlet]:
    """Parse and check registry rows; ``name`` names the file in error messages."""
    outlets: list[Outlet] = []
    seen: dict[str, int] = {}
    for row in parse_csv(lines, name, _OUTLETS):
        outlet = _outlet_row(row)
        keys = [
            f"name or signature {a!r}"
            for a in {normalize_name(a) for a in (outlet.name, *outlet.signatures)}
        ] + [f"domain {d!r}" for d in outlet.domains]
        for key in keys:
            if key in seen:
                raise row.error(
                    f"{key} is already used on line {seen[key]}",
                    fix="each name, signature and domain may belong to one outlet only",
                )
            seen[key] = row.line
        outlets.append(outlet)
    return outlets


def _outlet_row(row: Row) -> Outlet:
    if row["type"] not in OUTLET_TYPES:
        raise row.error(
            f"type must be one of {', '.join(OUTLET_TYPES)}, got {row['type']!r}",
            fix="fix the type column",
        )
    country = row["country"].upper() or None
    if country is not None and not _COUNTRY.match(country):
        raise row.error(
            expected="an ISO-3166 alpha-2 country code (e.g. GB) or nothing",
            got=repr(row["country"]),
            fix="fix the country column",
        )
    domains = tuple(_domain(d, row) for d in row["domains"].split())
    signatures = tuple(s.strip() for s in row["signatures"].split("|") if s.strip())
    return Outlet(
        name=row["name"],
        domains=domains,
        country=country,
        type=row["type"],  # type: ignore[arg-type]  # checked against OUTLET_TYPES above
        basis=row["basis"],
        signatures=signatures,
    )


def _domain(text: str, row: Row) -> str:
    host = host_of(text)
    if host is None or not _DOMAIN.match(host) or "/" in text.split("://")[-1]:
        raise row.error(
            f"{text!r} is not a domain name",
            fix="list bare host names separated by spaces (e.g. 'reuters.com apnews.com')",
        )
    return host


def read_banners(lines: str | Iterable[str], name: str) -> list[BannerTemplate]:
    """Parse the banner-template file (kind, template, position, basis, provenance)."""
    banners: list[BannerTemplate] = []
    for row in parse_csv(lines, name, _BANNERS):
        kind, position, template = row["kind"], row["position"], row["template"]
        if kind not in ("banner", "page_url") or position not in ("line", "start", "anywhere"):
            raise row.error(
                expected="kind banner or page_url and position line, start or anywhere",
                got=f"{kind!r}, {position!r}",
            )
        slots = re.findall(r"\{(\w+)\}", template)
        unknown = [s for s in slots if "{" + s + "}" not in _PLACEHOLDERS]
        named = [s for s in slots if s in ("outlet", "domain")]
        if unknown or (kind == "banner" and len(named) != 1) or (kind == "page_url" and slots):
            raise row.error(
                expected="a template naming the outlet once with {outlet} or {domain} (banner) "
                "or with no placeholder (page_url); other placeholders: {year}, {place}, {dash}",
                got=repr(template),
            )
        banners.append(BannerTemplate(kind, template, position, row["basis"]))  # type: ignore[arg-type]
    return banners
