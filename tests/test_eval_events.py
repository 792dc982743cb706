"""The accuracy gate for event extraction (floors only rise) and the scorer's own behaviour."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventatlas.errors import DataFileError
from eventatlas.eval.events import evaluate_events, load_gold
from eventatlas.settings import Settings

ACLED_DEV = Path(__file__).parent / "fixtures" / "events" / "acled_dev.jsonl"



@pytest.fixture(scope="module")
def res() -> Any:
    from eventatlas.pipeline import load_process_resources

    return load_process_resources(Settings())



def test_gsr_records_map_old_type_names(tmp_path: Path) -> None:
    path = tmp_path / "gsr.txt"
    records = [
        {"id": "d", "event": "DOCUMENT", "eventText": "x"},
        {"id": "1", "event": "FIGHT", "text": "Rebels fought troops.", "date": "2000-01-01",
         "source": [{"code": "SDN"}], "target": "none"},
        {"id": "2", "event": "DEMAND", "text": "Rebels demanded talks.", "date": "2000-01-01"},
    ]  # fmt: skip
    path.write_text(json.dumps(records), "utf-8")
    gold = load_gold(path)
    assert [g.type for g in gold] == ["ASSAULT", "REQUEST"]
    assert gold[0].actors == frozenset({"SDN"})
    assert gold[0].recipients == frozenset()


def test_unreadable_corpus_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x"}\n', "utf-8")
    with pytest.raises(DataFileError, match=r"bad\.jsonl"):
        load_gold(path)


# Floors: measured minus about 0.01 (see the README for the measured figures and the command).
# Measured: GSR type accuracy 0.571, macro-F1 0.533, actors F1 0.485, recipients F1 0.401;
# ACLED dev type accuracy 0.689, sub-type accuracy 0.756, weighted F1 0.778, actors F1 0.691.
# Measured 2026-12-04 (model trained on the real gold): GSR type accuracy 0.618, macro-F1 0.565,
# actors 0.691, recipients 0.523; ACLED dev type 0.744, sub-type accuracy 0.828, weighted F1
# 0.844, actors 0.731.
GSR_FLOORS = {"type_accuracy": 0.61, "type_macro_f1": 0.555, "actor_f1": 0.68,
              "recipient_f1": 0.51}  # fmt: skip
ACLED_FLOORS = {"type_accuracy": 0.73, "acled_accuracy": 0.82, "acled_weighted_f1": 0.83,
                "actor_f1": 0.72}  # fmt: skip


def test_accuracy_gate_on_plover_gsr(shared_data_dir: Path, res: Any) -> None:
    path = shared_data_dir / "events" / "plover" / "PLOVER_GSR_CAMEO.txt"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    report = evaluate_events(path, res)
    assert report.sentences == 322
    for name, floor in GSR_FLOORS.items():
        assert getattr(report, name) >= floor, (name, getattr(report, name))


def test_accuracy_gate_on_our_acled_dev_set(res: Any) -> None:
    report = evaluate_events(ACLED_DEV, res)
    for name, floor in ACLED_FLOORS.items():
        assert getattr(report, name) >= floor, (name, getattr(report, name))
