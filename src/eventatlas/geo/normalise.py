"""Transliteration-robust keys for place names.

``name_key("Deir ez-Zor") == name_key("Deir el-Zour") == name_key("Deir Ezzor")``: the key folds
diacritics and ʿayn/hamza marks, lower-cases, splits on punctuation, drops Arabic articles,
unifies the words for 'mound' and 'spring', applies the transliteration pairs listed in
``data/name_variants.csv`` and collapses doubled letters. The rules are data; this module only
applies them. Keys are stable under re-keying: ``name_key(name_key(x)) == name_key(x)``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from eventatlas.datafiles import Row, Schema, packaged_name, packaged_text, parse_csv, user_text

RULE_KINDS = ("drop", "char", "article", "prefix", "glued", "token", "substring", "suffix")
_MAX_ROUNDS = 8
_CACHE_LIMIT = 1_000_000
_NON_WORD = re.compile(r"[\W_]+")
_DOUBLED = re.compile(r"(.)\1+")
_MARKS = ("Mn", "Me")


@dataclass(frozen=True)
class NameRules:
    """The folding rules of :func:`name_key`, as read from a ``name_variants.csv`` file."""

    table: dict[int, str | None]  # str.translate table: marks dropped, characters mapped
    articles: frozenset[str]
    prefixes: tuple[tuple[str, str], ...]  # (joined prefix, replacement) for any token
    tokens: dict[str, str]
    substrings: tuple[tuple[str, str], ...]
    suffixes: tuple[tuple[str, str], ...] = ()
    glued: tuple[tuple[str, str], ...] = ()  # articles joined to a later word: Deir Ezzor
    cache: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


def name_key(name: str) -> str:
    """The transliteration-robust key of a place name ("" when nothing name-like is left)."""
    return key_with(name, default_rules())


def name_tokens(name: str) -> list[str]:
    """The tokens of :func:`name_key`."""
    return name_key(name).split()


RULES = Schema(("kind", "source", "target"), provenance=True, strip=False)
RULES_FILE = "name_variants.csv"


@functools.cache
def default_rules() -> NameRules:
    """The packaged rules (``eventatlas/data/name_variants.csv``), read once on first use."""
    return parse_rules(packaged_text(RULES_FILE), packaged_name(RULES_FILE))


def load_rules(path: Path) -> NameRules:
    """Rules from a user file with the packaged file's columns."""
    return parse_rules(user_text(path, columns=RULES.wanted), str(path))


def parse_rules(text: str, origin: str) -> NameRules:
    """Parse rule rows ``kind,source,target,provenance``; lines starting with ``#`` are comments.

    Sources and targets are taken as written (white space is not stripped)."""
    table: dict[int, str | None] = dict(_mark_table())
    articles: set[str] = set()
    prefixes: list[tuple[str, str]] = []
    tokens: dict[str, str] = {}
    substrings: list[tuple[str, str]] = []
    suffixes: list[tuple[str, str]] = []
    glued: list[tuple[str, str]] = []
    for row in parse_csv(text, origin, RULES):
        kind, source, target = _checked_row(row)
        if kind in ("drop", "char"):
            table[ord(source)] = target or None
        elif kind == "article":
            articles.add(source)
        elif kind == "prefix":
            prefixes.append((source, target))
        elif kind == "token":
            tokens[source] = target
        elif kind == "suffix":
            suffixes.append((source, target))
        elif kind == "glued":
            glued.append((source, target))
        else:
            substrings.append((source, target))
    return NameRules(
        table,
        frozenset(articles),
        tuple(prefixes),
        tokens,
        tuple(substrings),
        tuple(suffixes),
        tuple(glued),
    )


@functools.cache
def _mark_table() -> dict[int, None]:
    """Every nonspacing or enclosing mark of the BMP (diacritics left by NFKD), to be deleted.

    Marks beyond the BMP are rare; :func:`_fold_characters` drops them one by one.
    """
    return {cp: None for cp in range(0x10000) if unicodedata.category(chr(cp)) in _MARKS}


def _checked_row(row: Row) -> tuple[str, str, str]:
    kind, source, target = row["kind"].strip(), row["source"], row["target"]
    if kind not in RULE_KINDS or not source:
        raise row.error(
            expected=f"kind in {', '.join(RULE_KINDS)} and a non-empty source",
            got=f"kind={kind!r} source={source!r}",
            fix="fix or delete the row",
        )
    if kind in ("drop", "char") and len(source) != 1:
        raise row.error(
            f"a {kind} rule maps one character, got {source!r}",
            fix="use a substring rule for longer sequences",
        )
    if kind in ("substring", "prefix", "suffix", "glued") and len(target) > len(source):
        raise row.error(
            f"a substring rule must not lengthen text ({source!r} -> {target!r})",
            fix="reverse the pair",
        )
    return kind, source, target


def key_with(name: str, rules: NameRules) -> str:
    """:func:`name_key` with explicit rules (for tests and for evaluating candidate rules)."""
    tokens = _fold_characters(name, rules).split()
    if rules.glued and len(tokens) > 1:
        tokens = [tokens[0], *(_unglue(t, rules.glued) for t in tokens[1:])]
    cache = rules.cache
    for _ in range(_MAX_ROUNDS):
        kept = [t for t in tokens if t not in rules.articles] or tokens
        tokens = [cache.get(t) or _stable_token(t, rules) for t in kept]
        if len(tokens) == 1 or not rules.articles.intersection(tokens):
            break
    return " ".join(tokens)


def _fold_characters(name: str, rules: NameRules) -> str:
    """NFKD, lower-case, combining marks and mark characters dropped, punctuation to spaces."""
    if name.isascii():
        return _NON_WORD.sub(" ", name.lower().translate(rules.table))
    text = unicodedata.normalize("NFKD", name).casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        if max(text) > "\uffff":
            text = "".join(c for c in text if unicodedata.category(c) not in _MARKS)
    return _NON_WORD.sub(" ", text.translate(rules.table))


def _unglue(token: str, glued: tuple[tuple[str, str], ...]) -> str:
    """A later word's joined article cut off (``ezzor`` -> ``zor``); first words are left alone."""
    for prefix, replacement in glued:
        if token.startswith(prefix) and len(token) >= len(prefix) + 2:
            return replacement + token[len(prefix) :]
    return token


def _stable_token(token: str, rules: NameRules) -> str:
    """``token`` folded until folding changes nothing more (memoised per rule set)."""
    cache = rules.cache
    folded = cache.get(token)
    if folded is None:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        folded = token
        for _ in range(_MAX_ROUNDS):
            again = _fold_token(folded, rules)
            if again == folded:
                break
            folded = again
        cache[token] = folded
    return folded


def _fold_token(token: str, rules: NameRules) -> str:
    for prefix, replacement in rules.prefixes:
        if token.startswith(prefix) and len(token) >= len(prefix) + 2:
            token = replacement + token[len(prefix) :]
            break
    token = rules.tokens.get(token, token)
    for source, target in rules.substrings:
        if source in token:
            token = token.replace(source, target)
    for source, target in rules.suffixes:
        if token.endswith(source) and len(token) >= len(source) + 2:
            token = token[: -len(source)] + target
            break
    return _collapse_doubles(token) or token


def _collapse_doubles(token: str) -> str:
    return _DOUBLED.sub(r"\1", token)


def fold(name: str) -> str:
    """A name as spelled, less case, accents, punctuation and a leading "the": "Minnesota" and
    "Minneota" differ here though their look-up keys agree."""
    text = unicodedata.normalize("NFKD", name).casefold()
    text = "".join(ch for ch in text if ch.isalnum() or ch == " ").strip()
    return text[4:] if text.startswith("the ") else text
