"""The packaged sentence models of the event stage and how an extractor name picks one."""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from eventatlas.errors import DataFileError, MissingDependencyError
from eventatlas.events.classify import context_vector, load_classifier
from eventatlas.events.extract import MODEL_FILES, load_event_resources
from eventatlas.settings import Settings


@pytest.mark.parametrize("name", sorted(MODEL_FILES))
def test_each_packaged_model_loads_with_its_tuned_constants(name: str) -> None:
    model = load_classifier(packaged=MODEL_FILES[name])
    assert 0.0 < model.constant("detect_threshold") < 1.0
    assert model.constant("extra_event_min") > 0.0
    assert model.encoder == ("static" if name == "patterns" else "minilm")
    assert model.event_head.dense is not None
    prediction = model.predict(["l:airstrike", "trig:ASSAULT"], None)
    assert 0.0 <= prediction.event <= 1.0
    assert abs(sum(prediction.types.values()) - 1.0) < 1e-6


def test_a_model_without_its_constants_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    raw = json.loads(resources.files("eventatlas.data").joinpath("event_model.json").read_text())
    raw["constants"].pop("detect_threshold")
    path.write_text(json.dumps(raw), "utf-8")
    with pytest.raises(DataFileError, match="detect_threshold"):
        load_classifier(path).constant("detect_threshold")
    path.write_text("{}", "utf-8")
    with pytest.raises(DataFileError, match="retrain"):
        load_classifier(path)


def test_context_vector_puts_the_previous_sentence_beside() -> None:
    vectors = np.eye(3, dtype=np.float32)
    assert context_vector(vectors, 0).tolist() == [1, 0, 0, 0, 0, 0]
    assert context_vector(vectors, 2).tolist() == [0, 0, 1, 0, 1, 0]


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="torch is installed")
def test_the_minilm_extractor_without_torch_says_what_to_install() -> None:
    with pytest.raises(MissingDependencyError, match=r"eventatlas\[minilm\]"):
        load_event_resources(Settings(extractor="minilm"))
