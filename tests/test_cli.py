"""The command line end to end, in subprocesses, as a user runs it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, synthetic_article

EXAMPLES = ROOT / "examples"


def run(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVENTATLAS_CONFIG": ""}
    env.pop("EVENTATLAS_CONFIG")
    return subprocess.run(
        [sys.executable, "-m", "eventatlas", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
        input=stdin.decode() if stdin is not None else None,
    )


def export_articles(db: Path) -> list[dict[str, object]]:
    res = run("export", "--what", "articles", "--format", "jsonl", "--db", str(db))
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


def test_run_examples_then_export(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    res = run("run", str(EXAMPLES), "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "stored 5 new article(s)" in res.stdout
    arts = export_articles(db)
    assert len(arts) == 5
    for a in arts:
        assert set(a) >= {
            "id",
            "source",
            "url",
            "outlet",
            "title",
            "published",
            "published_source",
            "language",
            "text",
            "places",
        }
        assert a["language"] == "en"
        assert len(str(a["text"]).split()) > 150
    events = run("export", "--what", "events", "--format", "jsonl", "--db", str(db))
    assert events.returncode == 0, events.stderr
    records = [json.loads(line) for line in events.stdout.splitlines()]
    assert records
    texts = {a["id"]: a["text"] for a in arts}
    for e in records:
        for m in e["mentions"]:
            assert str(texts[m["article_id"]])[m["start"] : m["end"]] == m["quote"]
        assert e["date"]["precision"] in ("day", "week", "month", "year", "unknown")
        assert e["sources"]["articles"] <= len(e["mentions"])
        assert 1 <= e["sources"]["independent"] <= len(e["mentions"])
    assert any(len(e["mentions"]) > 1 for e in records)  # reports fused into events
    again = run("run", str(EXAMPLES), "--db", str(db))
    assert again.returncode == 0
    assert "stored 0 new article(s)" in again.stdout
    assert len(export_articles(db)) == 5
    csv_out = run("export", "--what", "events", "--format", "csv", "--db", str(db))
    assert csv_out.returncode == 0
    assert len(csv_out.stdout.splitlines()) > len(records)  # header + rows (quoted newlines)


def test_demo_golden(tmp_path: Path) -> None:
    """The demo corpus, cleaned: outlets and dates where the pages state them, no cruft."""
    db = tmp_path / "demo.db"
    assert run("ingest", str(EXAMPLES), "--db", str(db), "-q").returncode == 0
    by_file = {Path(str(a["source"])).name[:3]: a for a in export_articles(db)}
    golden = json.loads((ROOT / "tests" / "golden" / "examples_articles.json").read_text())
    for key, want in golden.items():
        got = by_file[key]
        for field in ("outlet", "published", "published_source"):
            assert got[field] == want[field], (key, field, got[field])
        text = str(got["text"])
        for cruft in want["absent"]:
            assert cruft not in text, (key, cruft)
        for kept in want["present"]:
            assert kept in text, (key, kept)


def test_csv_export_and_out_file(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    run("ingest", str(EXAMPLES), "--db", str(db), "-q")
    out = tmp_path / "a.csv"
    res = run("export", "--what", "articles", "--format", "csv", "--out", str(out), "--db", str(db))
    assert res.returncode == 0, res.stderr
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 5
    assert rows[0]["places"] == "[]"


def test_rejections_exit_1_and_rest_stored(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(synthetic_article(1))
    (tmp_path / "in" / "empty.txt").write_text("   \n")
    res = run(
        "ingest", str(tmp_path / "in"), str(tmp_path / "nope.txt"), "--db", str(tmp_path / "x.db")
    )
    assert res.returncode == 1
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("eventatlas: rejected")]
    assert len(lines) == 2
    assert any("empty.txt" in ln for ln in lines)
    assert any("nope.txt" in ln for ln in lines)
    assert len(export_articles(tmp_path / "x.db")) == 1


def test_bad_usage_exit_2(tmp_path: Path) -> None:
    assert run("ingest").returncode == 2
    assert run("export", "--what", "nothing").returncode == 2
    res = run("export", "--what", "articles", "--format", "geojson", "--db", str(tmp_path / "x.db"))
    assert res.returncode == 2
    assert "event formats" in res.stderr
    res = run("ingest", str(EXAMPLES), "--db", str(tmp_path / "no" / "such" / "x.db"))
    assert res.returncode == 2
    assert "does not exist" in res.stderr


def test_eval_rejects_a_split_its_stage_does_not_have() -> None:
    res = run("eval", "clean", "--corpus", str(EXAMPLES), "--split", "dev")
    assert res.returncode == 2
    assert "expected one of test, train, all" in res.stderr


def test_stdin(tmp_path: Path) -> None:
    res = run(
        "ingest", "-", "--db", str(tmp_path / "s.db"), "-q", stdin=synthetic_article(5).encode()
    )
    assert res.returncode == 0, res.stderr
    (a,) = export_articles(tmp_path / "s.db")
    assert a["source"] == "-"


def _count(db: Path) -> int:
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return int(con.execute("select count(*) from articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0


def test_kill_mid_ingest_then_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    total = 400
    for i in range(total):
        (folder / f"{i:04d}.txt").write_text(synthetic_article(1000 + i, paragraphs=8))
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "eventatlas", "ingest", str(folder), "--db", str(db), "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(db) < 20 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    at_kill = _count(db)
    assert 0 < at_kill < total, f"the kill must land mid-ingest (stored {at_kill} of {total})"
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("select id from articles")]
    sources = [r[0] for r in con.execute("select source from articles")]
    assert len(ids) == total == len(set(ids)) == len(set(sources))


def test_extract_one_line_per_input_and_bad_lines_named(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Gunmen attacked a checkpoint near Aleppo on Monday, "
                    "killing two soldiers, the army said.", "published": "2021-06-03"}),
        "{not json",
        json.dumps({"id": "c", "text": ""}),
        json.dumps({"id": "d", "text": "The weather was mild.", "outlet": "Reuters"}),
    ]  # fmt: skip
    res = run("extract", "-", stdin=("\n".join(lines) + "\n").encode())
    assert res.returncode == 1
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "line-2", "line-3", "d"]
    first = out[0]["events"][0]
    assert first["type"] == "ASSAULT"
    assert first["date"]["start"] == "2021-05-31"
    assert first["mentions"][0]["attributed_to"] is not None
    assert out[3]["events"] == []
    assert "rejected -:2" in res.stderr
    assert "rejected -:3" in res.stderr


def test_eval_split_defaults_per_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --split, clean scores its held-out pages and geo/fusion whole corpora."""
    from eventatlas.cli import eval as eval_cmd
    from eventatlas.cli.main import build_parser

    class Chosen(Exception):
        pass

    def pick(split: str, allowed: tuple[str, ...], stage: str) -> str:
        raise Chosen(split)  # stop once the split is chosen: there is no corpus at "x"

    monkeypatch.setattr(eval_cmd, "_pick_split", pick)
    args = build_parser().parse_args(["eval", "clean", "--corpus", "x"])
    assert args.split is None
    with pytest.raises(Chosen, match=r"^test$"):
        eval_cmd._eval_clean(args)
    args = build_parser().parse_args(["eval", "geo", "--corpus", "x", "--split", "train"])
    assert args.split == "train"  # accepted by the parser, refused by the geo stage:
    res = run("eval", "geo", "--corpus", str(EXAMPLES), "--split", "train")
    assert res.returncode == 2
