"""The one data-file loader: true line numbers, checked columns, one error type, clear CLI exits."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventatlas.datafiles import (
    Schema,
    packaged_text,
    parse_csv,
    parse_json,
    read_packaged_csv,
    read_user_csv,
    user_text,
)
from eventatlas.errors import DataFileError, EventAtlasError
from eventatlas.events.actors import load_actors
from eventatlas.events.ontology import load_ontology
from eventatlas.geo.gazetteer_sources import read_areas, read_supplement
from eventatlas.geo.normalise import parse_rules
from eventatlas.geo.rules import parse_aliases, parse_cues, parse_demonyms, parse_stoplist
from eventatlas.ingest.dates import read_date_labels
from eventatlas.ingest.outlets import read_banners, read_outlets

NAMED = Schema(("name",), provenance=True)
# A header, a good row, then comments and blank lines before the bad row on line 7.
PREAMBLE = "# a data file\n#\n"


def _with_bad_row(header: str, good: str, bad: str) -> str:
    return f"{PREAMBLE}{header}\n{good}\n\n# the next row is wrong\n{bad}\n"


# --- the loader -----------------------------------------------------------------------------


def test_rows_keep_their_true_line_numbers() -> None:
    text = '# c\n\nname,provenance\n# more\n\na,"two\nlines"\n\nb,q\n'
    table = parse_csv(text, "f.csv", NAMED)
    assert table.header_line == 3
    assert [(r.line, r["name"], r["provenance"]) for r in table] == [
        (6, "a", "two\nlines"),
        (9, "b", "q"),
    ]


def test_a_bad_row_after_comments_and_blank_lines_names_its_true_line() -> None:
    text = _with_bad_row("name,count,provenance", "a,1,p", "b,2,3,p")
    with pytest.raises(DataFileError) as err:
        parse_csv(text, "counts.csv", Schema(("name", "count"), provenance=True))
    assert (err.value.file, err.value.line) == ("counts.csv", 7)
    assert str(err.value).startswith("counts.csv, line 7: expected 3 fields")
    assert "got 4" in str(err.value)
    assert "quote fields that contain commas" in str(err.value)


def test_a_missing_column_names_the_header_line_and_the_column() -> None:
    text = "# notes\n\nname,provenance\na,p\n"
    with pytest.raises(DataFileError) as err:
        parse_csv(text, "f.csv", Schema(("name", "country"), provenance=True))
    assert err.value.line == 3
    assert err.value.expected == "a header with the columns name,country,provenance"
    assert "missing country" in str(err.value)
    assert "fix the header line" in str(err.value)


def test_a_rule_file_without_provenance_is_refused() -> None:
    with pytest.raises(DataFileError, match="missing provenance"):
        parse_csv("name\na\n", "f.csv", NAMED)
    with pytest.raises(DataFileError, match=r"f\.csv, line 3: .*provenance column is empty"):
        parse_csv("name,provenance\na,p\nb,\n", "f.csv", NAMED)


def test_no_header_repeated_columns_and_bad_quoting() -> None:
    with pytest.raises(DataFileError, match="no header") as err:
        parse_csv("# only comments\n\n", "f.csv", Schema(("name",)))
    assert err.value.line is None
    with pytest.raises(DataFileError, match="name twice"):
        parse_csv("name,name\n", "f.csv", Schema(("name",)))
    with pytest.raises(DataFileError, match=r"f\.csv, line 4: expected well-formed CSV"):
        parse_csv('name\n\na\n"b\n\n', "f.csv", Schema(("name",)))


def test_values_are_stripped_unless_asked_not_to() -> None:
    text = "name , note\n  a ,  b \n"
    assert parse_csv(text, "f.csv", Schema(("name",))).rows[0].values == {"name": "a", "note": "b"}
    raw = parse_csv(text, "f.csv", Schema(("name",), strip=False)).rows[0].values
    assert raw == {"name": "  a ", "note": "  b "}


def test_lines_without_line_ends_and_a_byte_order_mark() -> None:
    table = parse_csv(["\ufeffname,n", "# c", "a,1", "", "b,2"], "f.csv", Schema(("name",)))
    assert [(r.line, r["name"]) for r in table] == [(3, "a"), (5, "b")]


def test_the_error_is_an_eventatlas_error_with_its_parts() -> None:
    err = DataFileError(file="f.csv", line=4, expected="a number", got="'x'", fix="fix the row")
    assert isinstance(err, EventAtlasError)
    assert str(err) == "f.csv, line 4: expected a number, got 'x'; fix the row"
    assert str(DataFileError("a plain message")) == "a plain message"


def test_user_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="does not exist") as err:
        user_text(tmp_path / "absent.csv", "actors_file", ["pattern"])
    assert err.value.file == str(tmp_path / "absent.csv")
    assert "fix the actors_file setting" in str(err.value)
    assert "EVENTATLAS_ACTORS_FILE" in str(err.value)
    with pytest.raises(DataFileError, match="got a directory"):
        user_text(tmp_path, "lexicon_file")
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(b"name,provenance\ncaf\xe9,p\n")
    with pytest.raises(DataFileError, match=r"not UTF-8.*save the file as UTF-8"):
        read_user_csv(latin, NAMED)


def test_packaged_files_and_json() -> None:
    assert packaged_text("settings.toml")
    with pytest.raises(DataFileError, match="reinstall eventatlas"):
        packaged_text("no_such_file.csv")
    with pytest.raises(DataFileError) as err:
        parse_json('{\n  "a": 1,\n  "b": \n}\n', "model.json")
    assert (err.value.file, err.value.line) == ("model.json", 4)


def test_every_packaged_csv_loads_with_provenance() -> None:
    names = [
        f.name for f in resources.files("eventatlas.data").iterdir() if f.name.endswith(".csv")
    ]
    assert len(names) >= 15
    for name in names:
        table = read_packaged_csv(name, Schema((), provenance=True))
        assert len(table) > 0, name
        assert all(row["provenance"] for row in table), name


# --- every reader moved onto it reports the true line ----------------------------------------

Reader = Callable[[str, str], object]


def _areas(text: str, name: str) -> object:
    return list(read_areas(text, name))  # a generator: read it to the end


READERS: list[tuple[str, Reader, str, str, str]] = [
    (
        "outlets",
        read_outlets,
        "name,domains,country,type,basis,signatures,provenance",
        "A,a.example,US,wire,b,,p",
        "B,b.example,US,tabloid,b,,p",
    ),
    (
        "banners",
        read_banners,
        "kind,template,position,basis,provenance",
        "banner,Support {outlet},start,b,p",
        "banner,Support us,start,b,p",
    ),
    (
        "date labels",
        read_date_labels,
        "label,kind,basis,provenance",
        "posted,published,b,p",
        "x,never,b,p",
    ),
    (
        "geo cues",
        parse_cues,
        "side,phrase,hint,precision,strength,provenance",
        "left,town of,city,1,strong,p",
        "up,town of,city,1,strong,p",
    ),
    ("stop-list", parse_stoplist, "word,kind,note,provenance", "Of,common,,p", "Of,rare,,p"),
    ("demonyms", parse_demonyms, "demonym,country,provenance", "Syrian,SY,p", "Syrian,Syria,p"),
    ("aliases", parse_aliases, "alias,country,admin1,provenance", "Pa.,US,PA,p", "Pa.,usa,PA,p"),
    (
        "name rules",
        parse_rules,
        "kind,source,target,provenance",
        "token,zork,quux,p",
        "spell,ou,u,p",
    ),
    (
        "supplement",
        read_supplement,
        "name,alternate_names,lat,lon,country,feature,feature_code,geonameid,population,provenance",
        "Somewhere,,10,20,XX,site,,,,p",
        "Elsewhere,,95,20,XX,site,,,,p",
    ),
    (
        "admin areas",
        _areas,
        "kind,country,admin1,geonameid,name,alternate_names,lat,lon,population,provenance",
        "admin1,US,KY,,Kentucky,,37.5,-85.3,,p",
        "admin3,US,KY,,Laurel County,,37.1,-84.1,,p",
    ),
]


@pytest.mark.parametrize(
    ("header", "good", "bad", "read"),
    [(h, g, b, r) for _, r, h, g, b in READERS],
    ids=[name for name, *_ in READERS],
)
def test_each_reader_names_the_true_line(header: str, good: str, bad: str, read: Reader) -> None:
    read(f"{header}\n{good}\n", "mine.csv")  # the good row alone is fine
    with pytest.raises(DataFileError) as err:
        read(_with_bad_row(header, good, bad), "mine.csv")
    assert (err.value.file, err.value.line) == ("mine.csv", 7)
    assert "mine.csv, line 7: " in str(err.value)


USER_FILES: list[tuple[str, Callable[[Path], object], str, str, str, str]] = [
    (
        "lexicon_file",
        lambda path: load_ontology([path]),
        "term,pos,type,mode,acled_event_type,acled_sub_event_type,strength,provenance",
        "pound,VERB,ASSAULT,,,,0.7,mine",
        "pound,VERB,SMASH,,,,0.7,mine",
        "expected a PLOVER type",
    ),
    (
        "actors_file",
        lambda path: load_actors([path]),
        "pattern,name,country,sector,role,provenance",
        "Valley Guard,Valley Guard,SYR,MIL,actor,mine",
        "Hill Guard,Hill Guard,SY,MIL,actor,mine",
        "expected an ISO 3166 alpha-3",
    ),
]


@pytest.mark.parametrize(
    ("load", "header", "good", "bad", "message"),
    [entry[1:] for entry in USER_FILES],
    ids=[entry[0] for entry in USER_FILES],
)
def test_user_event_files_name_the_true_line(
    tmp_path: Path, load: Callable[[Path], object], header: str, good: str, bad: str, message: str
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(f"{header}\n{good}\n", encoding="utf-8")
    load(path)  # the good row alone is fine
    path.write_text(_with_bad_row(header, good, bad), encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"mine\.csv, line 7: {message}"):
        load(path)


# --- through the command line ----------------------------------------------------------------


def _cli(
    *args: str, env: dict[str, str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("EVENTATLAS_")}
    return subprocess.run(
        [sys.executable, "-m", "eventatlas", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**base, **env},
        input=stdin,
        timeout=300,
    )


def _assert_clear_error(res: subprocess.CompletedProcess[str], *parts: str) -> None:
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith("eventatlas: error: ")
    for part in parts:
        assert part in res.stderr


@pytest.mark.parametrize("setting", ["actors_file", "lexicon_file"])
def test_missing_event_file_setting_exits_2(tmp_path: Path, setting: str) -> None:
    missing = tmp_path / "absent.csv"
    env = {"EVENTATLAS_" + setting.upper(): str(missing)}
    res = _cli("extract", "-", env=env, cwd=tmp_path, stdin='{"text": "Shelling hit Idlib."}\n')
    _assert_clear_error(res, str(missing), "does not exist", f"fix the {setting} setting")


def test_missing_outlets_file_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "absent.csv"
    article = tmp_path / "article.txt"
    article.write_text("Shelling hit Idlib on Sunday, residents said.\n", encoding="utf-8")
    db = str(tmp_path / "a.db")
    flag = _cli(
        "ingest", str(article), "--outlets-file", str(missing), "--db", db, env={}, cwd=tmp_path
    )
    _assert_clear_error(flag, str(missing), "does not exist", "fix the outlets_file setting")
    env = {"EVENTATLAS_OUTLETS_FILE": str(missing)}
    res = _cli("ingest", str(article), "--db", db, env=env, cwd=tmp_path)
    _assert_clear_error(res, str(missing), "does not exist")


def test_bad_row_in_a_settings_file_named_user_file_exits_2(tmp_path: Path) -> None:
    actors = tmp_path / "actors.csv"
    actors.write_text(
        "# my actors\n\npattern,name,country,sector,role,provenance\n\n# x\n"
        "Hill Guard,Hill Guard,SYR,MIL,boss,me\n",
        encoding="utf-8",
    )
    config = tmp_path / "eventatlas.toml"
    config.write_text(f'actors_file = "{actors}"\n', encoding="utf-8")
    res = _cli("extract", "-", env={"EVENTATLAS_CONFIG": str(config)}, cwd=tmp_path, stdin="")
    _assert_clear_error(res, f"{actors}, line 6: expected role actor, source or nothing")


# --- any well-formed CSV round-trips -------------------------------------------------------

_NAMES = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
_VALUES = st.text(
    st.characters(exclude_characters="\x00\ufeff", exclude_categories=["Cs"]), max_size=12
)
_GAP = st.lists(st.sampled_from(["", "   ", "# a comment", "  # indented, a comment"]), max_size=3)
Drawn = tuple[list[str], list[list[str]], list[list[str]], bool]


def _line(record: list[str], quote_all: bool) -> str:
    """One record as a CSV writer writes it (ending "\r\n", so a lone "\r" is quoted)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL) if quote_all else csv.writer(out)
    writer.writerow(record)
    return out.getvalue()


def _reads_as_gap(record: list[str]) -> bool:
    """A record a minimal writer leaves unquoted that reads as a comment or a blank line: such
    a record is only well-formed quoted."""
    line = _line(record, quote_all=False)
    return not line.strip() or line.lstrip().startswith("#")


@st.composite
def _tables(draw: st.DrawFn) -> Drawn:
    header = draw(st.lists(_NAMES, min_size=1, max_size=4, unique=True))
    width = len(header)
    quote_all = draw(st.booleans())
    record = st.lists(_VALUES, min_size=width, max_size=width)
    if not quote_all:
        record = record.filter(lambda r: not _reads_as_gap(r))
    rows = draw(st.lists(record, max_size=6))
    gaps = draw(st.lists(_GAP, min_size=len(rows) + 1, max_size=len(rows) + 1))
    return header, rows, gaps, quote_all


def _written(drawn: Drawn) -> tuple[str, list[int]]:
    """CSV text (comments and blank lines before each record) and each row's first line."""
    header, rows, gaps, quote_all = drawn
    text, starts = "", []
    for gap, record in zip(gaps, [header, *rows], strict=True):
        text += "".join(line + "\n" for line in gap)
        starts.append(text.count("\n") + 1)
        text += _line(record, quote_all)
    return text, starts[1:]


@settings(max_examples=200, deadline=None)
@given(_tables())
def test_any_well_formed_csv_round_trips(drawn: Drawn) -> None:
    header, rows, _, _ = drawn
    text, starts = _written(drawn)
    parsed = parse_csv(text, "t.csv", Schema(tuple(header), strip=False))
    assert parsed.columns == tuple(header)
    assert [dict(r.values) for r in parsed] == [dict(zip(header, r, strict=True)) for r in rows]
    assert [r.line for r in parsed] == starts
    lines = text.split("\n")  # lines without their ends, as a caller may pass them
    assert [r.line for r in parse_csv(lines, "t.csv", Schema(tuple(header), strip=False))] == starts
