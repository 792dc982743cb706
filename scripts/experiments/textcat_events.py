"""Experiment: spaCy ``textcat`` event detection and coding on the real event gold.

Usage::

    .venv/bin/python scripts/experiments/textcat_events.py \
        [--gold training/events_gold] [--synth training/events_synth/synth.jsonl] \
        [--out training/events_models/textcat_results.json] [--variants shared_frozen ...]

Three tasks, each a spaCy ``textcat`` (exclusive classes) added to the pipeline of
``eventatlas.nlp.load.load_nlp`` (en_core_web_sm):

* ``detect``: EVENT vs NOT_EVENT over every sentence; the EVENT threshold is chosen on dev as the
  highest-recall threshold with dev precision >= 0.85, else the max-F1 threshold.
* ``acled``: the ACLED "event type / sub-event type" of the sentence's first ACLED-coded gold
  event (NONE for event sentences without one), over gold event sentences.
* ``plover``: the PLOVER type of the first gold event, over gold event sentences.

Variants (the textcat's ``model``):

* ``shared_frozen``: ``spacy.TextCatReduce.v1`` (mean + max pooling) over a
  ``spacy.Tok2VecListener.v1`` to en_core_web_sm's ``tok2vec``. Every sourced component is
  excluded from the update and ``tok2vec`` annotates (``nlp.update(exclude=..., annotates=
  ["tok2vec"])``, what ``[training] frozen_components`` + ``annotating_components`` do in
  ``spacy train``), so the listener reads ``doc.tensor`` and the shared tok2vec, tagger, parser
  and NER keep their weights (checked: a hash of their bytes before and after).
* ``shared_frozen_bow``: ``spacy.TextCatEnsemble.v2`` of the same frozen listener and a
  ``spacy.TextCatBOW.v3`` unigram model.
* ``own_ensemble``: spaCy's default ``textcat`` model (``TextCatEnsemble.v2`` with its own small
  tok2vec, width 64, depth 2, plus the BOW model); independent of the shared tok2vec.

Each model is trained on the gold train split, and again on train + the synthetic sentences of
``--synth`` (never used for evaluation); epochs are early-stopped on dev (the best dev epoch is
kept), the test split is scored once with the final model. Speed: sentences per second of
``nlp.pipe`` over the first ``--speed-n`` train sentences of the pool, bare en_core_web_sm versus
the same pipeline plus the variant's three textcats (and plus detection only), median of
``--speed-reps`` interleaved runs. No model weights are written; only the results JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from sklearn.metrics import average_precision_score, f1_score
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from eventatlas.eval.events_gold import GoldEventSentence, load_event_gold
from eventatlas.nlp.load import load_nlp

NONE = "NONE"
EVENT, NOT_EVENT = "EVENT", "NOT_EVENT"
TASKS = ("detect", "acled", "plover")
VARIANTS = ("shared_frozen", "shared_frozen_bow", "own_ensemble")
MIN_PRECISION = 0.85
PR_THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
Row = dict[str, Any]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=Path("training/events_gold"))
    parser.add_argument("--synth", type=Path, default=Path("training/events_synth/synth.jsonl"))
    parser.add_argument(
        "--out", type=Path, default=Path("training/events_models/textcat_results.json")
    )
    parser.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-epochs", type=int, default=40)
    parser.add_argument("--patience", type=int, default=6, help="epochs without a dev gain")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="per model")
    parser.add_argument(
        "--learn-rate", type=float, default=None, help="Adam; default: the pipeline's (0.001)"
    )
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--speed-n", type=int, default=2000)
    parser.add_argument("--speed-reps", type=int, default=3)
    parser.add_argument("--no-synth", action="store_true", help="skip the train+synth runs")
    args = parser.parse_args()

    gold = {s: [_gold_row(x) for x in load_event_gold(args.gold, s)] for s in ("train", "dev")}
    test_rows = [_gold_row(x) for x in load_event_gold(args.gold, "test")]
    synth = _synth_rows(args.synth) if args.synth.is_file() and not args.no_synth else []
    train_sets = {"train": gold["train"]}
    if synth:
        train_sets["train+synth"] = gold["train"] + synth
    speed_texts = _speed_texts(args.gold / "pool.jsonl", args.speed_n)
    gold_texts = {r["text"] for r in gold["dev"] + test_rows}
    results: dict[str, Any] = {
        "script": "scripts/experiments/textcat_events.py",
        "argv": sys.argv[1:],
        "git_head": _git_head(),
        "spacy": spacy.__version__,
        "pipeline": "",
        "seed": args.seed,
        "settings": {k: v for k, v in vars(args).items() if k not in ("gold", "synth", "out")},
        "data": {
            "gold": str(args.gold),
            "gold_annotations": _annotation_state(args.gold / "annotations"),
            "counts": {s: _counts(rows) for s, rows in (*gold.items(), ("test", test_rows))},
            "synth": {
                "path": str(args.synth) if synth else None,
                "sha256": _sha256(args.synth) if synth else None,
                **_counts(synth),
                "texts_equal_to_a_dev_or_test_sentence": sum(
                    r["text"] in gold_texts for r in synth
                ),
            },
            "train_examples": {
                name: {
                    "detect": len(rows),
                    "acled": sum(r["event"] for r in rows),
                    "plover": sum(r["event"] for r in rows),
                }
                for name, rows in train_sets.items()
            },
        },
        "threshold_rule": (
            f"detect: the highest-recall threshold (0.01 steps) with dev precision >= "
            f"{MIN_PRECISION}, else the max dev F1 threshold"
        ),
        "metrics_note": (
            "acled: accuracy and support-weighted F1 over gold event sentences (gold label of "
            "the first ACLED-coded event, NONE if none); plover: accuracy and macro-F1 over the "
            "PLOVER types present in the gold of that split (first gold event)"
        ),
        "variants": {},
    }
    for variant in args.variants:
        out: dict[str, Any] = {"model": _model_config(variant, 0) or "spaCy default textcat"}
        for set_name, rows in train_sets.items():
            trained: dict[str, Any] = {}
            runs: dict[str, Any] = {}
            for task in TASKS:
                nlp, info = _train(variant, task, rows, gold["dev"], args)
                info["test"] = _evaluate(nlp, task, test_rows, info.get("threshold"))
                runs[task] = info
                trained[task] = nlp
                results["pipeline"] = f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}"
                _log(f"{variant} [{set_name}] {task}: dev {info['dev']} test {info['test']}")
            if set_name == "train":
                out["speed"] = _speed(trained, speed_texts, gold["dev"], args.speed_reps)
                _log(f"{variant} speed: {out['speed']}")
            out[set_name] = runs
            del trained
        results["variants"][variant] = out
        _write(args.out, results)
    _write(args.out, results)
    _log(f"wrote {args.out}")


# --- data -----------------------------------------------------------------------------------


def _gold_row(s: GoldEventSentence) -> Row:
    event = bool(s.event and s.events)
    return {
        "text": s.text,
        "event": event,
        "plover": s.events[0].type if event else None,
        "acled": next((e.acled for e in s.events if e.acled), NONE) if event else None,
    }


def _synth_rows(path: Path) -> list[Row]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        events = r.get("events") or []
        event = bool(r.get("event")) and bool(events)
        acled = NONE
        for e in events:
            a = e.get("acled")
            if isinstance(a, dict) and a.get("event_type") and a.get("sub_event_type"):
                acled = f"{a['event_type']} / {a['sub_event_type']}"
                break
        out.append({
            "text": r["text"],
            "event": event,
            "plover": str(events[0]["type"]) if event else None,
            "acled": acled if event else None,
        })  # fmt: skip
    return out


def _speed_texts(pool: Path, n: int) -> list[str]:
    out = []
    with pool.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["split"] == "train":
                out.append(row["text"])
                if len(out) == n:
                    break
    return out


def _counts(rows: Sequence[Row]) -> dict[str, int]:
    ev = [r for r in rows if r["event"]]
    return {
        "sentences": len(rows),
        "event": len(ev),
        "not_event": len(rows) - len(ev),
        "acled_coded": sum(r["acled"] != NONE for r in ev),
        "acled_classes": len({r["acled"] for r in ev}),
        "plover_classes": len({r["plover"] for r in ev}),
    }


def _annotation_state(folder: Path) -> dict[str, Any]:
    """Which annotation files were read (the gold folder may change under other work)."""
    files = sorted(folder.glob("*/*.jsonl"))
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(folder).as_posix().encode() + b"\0" + f.read_bytes())
    return {
        "annotators": sorted({f.parent.name for f in files}),
        "files": len(files),
        "sha256": h.hexdigest(),
    }


def _git_head() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True)
    except OSError:
        return None
    return out.stdout.strip() or None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _task_rows(task: str, rows: Sequence[Row]) -> list[Row]:
    return list(rows) if task == "detect" else [r for r in rows if r["event"]]


def _label(task: str, row: Row) -> str:
    if task == "detect":
        return EVENT if row["event"] else NOT_EVENT
    return str(row[task])


# --- models ---------------------------------------------------------------------------------


def _model_config(variant: str, width: int) -> dict[str, Any] | None:
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": width, "upstream": "tok2vec"}
    if variant == "shared_frozen":
        return {
            "@architectures": "spacy.TextCatReduce.v1",
            "exclusive_classes": True,
            "use_reduce_first": False,
            "use_reduce_last": False,
            "use_reduce_max": True,
            "use_reduce_mean": True,
            "tok2vec": listener,
        }
    if variant == "shared_frozen_bow":
        return {
            "@architectures": "spacy.TextCatEnsemble.v2",
            "tok2vec": listener,
            "linear_model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": True,
                "length": 262144,
                "ngram_size": 1,
                "no_output_layer": False,
            },
        }
    return None  # own_ensemble: spaCy's default single-label textcat model


def _frozen_hash(nlp: Any) -> str:
    h = hashlib.sha256()
    for name in ("tok2vec", "tagger", "parser", "ner"):
        if name in nlp.pipe_names:
            h.update(nlp.get_pipe(name).model.to_bytes())
    return h.hexdigest()[:16]


def _train(
    variant: str, task: str, rows: Sequence[Row], dev: Sequence[Row], args: argparse.Namespace
) -> tuple[Any, dict[str, Any]]:
    fix_random_seed(args.seed)
    rng = random.Random(args.seed)
    nlp = load_nlp()
    frozen = list(nlp.pipe_names)
    width = nlp.get_pipe("tok2vec").model.get_dim("nO")
    model = _model_config(variant, width)
    shared = variant.startswith("shared")
    name = f"textcat_{task}"
    tc = nlp.add_pipe("textcat", name=name, config={"model": model} if model else {})
    train = _task_rows(task, rows)
    labels = sorted({_label(task, r) for r in train})
    for label in labels:
        tc.add_label(label)
    examples = [
        Example.from_dict(
            nlp.make_doc(r["text"]), {"cats": {k: float(k == _label(task, r)) for k in labels}}
        )
        for r in train
    ]
    annotates = ["tok2vec"] if shared else []
    if shared:  # the listener reads doc.tensor: annotate the initialization sample
        t2v = nlp.get_pipe("tok2vec")
        for eg in examples[:64]:
            t2v(eg.predicted)
    tc.initialize(lambda: examples[:64], nlp=nlp)
    optimizer = nlp.create_optimizer()
    if args.learn_rate is not None:
        optimizer.learn_rate = args.learn_rate
    before = _frozen_hash(nlp)
    best, best_epoch, best_bytes, history = -1.0, -1, tc.model.to_bytes(), []
    t0 = time.perf_counter()
    epochs = 0
    for epoch in range(args.max_epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=args.batch_size):
            nlp.update(
                batch, sgd=optimizer, drop=args.dropout, exclude=frozen, annotates=annotates,
                losses=losses,
            )  # fmt: skip
        epochs = epoch + 1
        score = _dev_objective(nlp, task, dev)
        history.append({"epoch": epochs, "loss": round(losses.get(name, 0.0), 3), "dev": score})
        if score > best:
            best, best_epoch, best_bytes = score, epochs, tc.model.to_bytes()
        if epochs - best_epoch >= args.patience or time.perf_counter() - t0 > args.max_seconds:
            break
    seconds = time.perf_counter() - t0
    tc.model.from_bytes(best_bytes)
    info: dict[str, Any] = {
        "labels": len(labels),
        "train_examples": len(examples),
        "epochs_run": epochs,
        "best_epoch": best_epoch,
        "dev_objective": "average precision"
        if task == "detect"
        else ("weighted F1" if task == "acled" else "macro-F1"),
        "history": history,
        "train_seconds": round(seconds, 1),
        "frozen_unchanged": _frozen_hash(nlp) == before,
    }
    if task == "detect":
        scores, gold = _detect_scores(nlp, dev)
        threshold, rule = _choose_threshold(scores, gold)
        info["threshold"], info["threshold_rule_used"] = float(threshold), rule
        info["dev_pr_curve"] = [_prf(scores, gold, t) for t in PR_THRESHOLDS]
    info["dev"] = _evaluate(nlp, task, dev, info.get("threshold"))
    return nlp, info


def _predict(nlp: Any, task: str, texts: Sequence[str]) -> list[dict[str, float]]:
    """The textcat of ``task`` on ``texts`` (the shared tok2vec first when the model listens)."""
    tc = nlp.get_pipe(f"textcat_{task}")
    with nlp.select_pipes(enable=["tok2vec"]):
        docs = list(nlp.pipe(texts, batch_size=256))
    return [dict(d.cats) for d in tc.pipe(docs, batch_size=256)]


def _detect_scores(nlp: Any, rows: Sequence[Row]) -> tuple[np.ndarray, np.ndarray]:
    cats = _predict(nlp, "detect", [r["text"] for r in rows])
    return np.array([c[EVENT] for c in cats]), np.array([r["event"] for r in rows], dtype=bool)


def _dev_objective(nlp: Any, task: str, dev: Sequence[Row]) -> float:
    if task == "detect":
        scores, gold = _detect_scores(nlp, dev)
        return round(float(average_precision_score(gold, scores)), 4)
    m = _evaluate(nlp, task, dev, None)
    return float(m["weighted_f1"] if task == "acled" else m["macro_f1"])


def _prf(scores: np.ndarray, gold: np.ndarray, t: float) -> dict[str, float]:
    pred = scores >= t
    tp = int((pred & gold).sum())
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int(gold.sum()), 1)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"threshold": round(t, 2), "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(f, 3)}  # fmt: skip


def _choose_threshold(scores: np.ndarray, gold: np.ndarray) -> tuple[float, str]:
    grid = [round(t, 2) for t in np.arange(0.01, 1.0, 0.01)]
    points = [(t, _prf(scores, gold, t)) for t in grid]
    ok = [(m["recall"], m["precision"], t) for t, m in points if m["precision"] >= MIN_PRECISION]
    if ok:
        return max(ok)[2], f"highest recall with dev precision >= {MIN_PRECISION}"
    return max((m["f1"], t) for t, m in points)[1], "max dev F1 (no threshold reaches precision)"


def _evaluate(nlp: Any, task: str, rows: Sequence[Row], threshold: float | None) -> dict[str, Any]:
    if task == "detect":
        scores, gold = _detect_scores(nlp, rows)
        m: dict[str, Any] = _prf(scores, gold, threshold if threshold is not None else 0.5)
        m["average_precision"] = round(float(average_precision_score(gold, scores)), 3)
        m["n"] = len(rows)
        return m
    sub = _task_rows(task, rows)
    cats = _predict(nlp, task, [r["text"] for r in sub])
    pred = [max(c, key=c.__getitem__) for c in cats]
    gold_labels = [_label(task, r) for r in sub]
    acc = sum(p == g for p, g in zip(pred, gold_labels, strict=True)) / max(len(sub), 1)
    out: dict[str, Any] = {"n": len(sub), "accuracy": round(acc, 3)}
    if task == "acled":
        out["weighted_f1"] = round(
            float(f1_score(gold_labels, pred, average="weighted", zero_division=0)), 3
        )
    else:
        out["macro_f1"] = round(
            float(
                f1_score(
                    gold_labels, pred, labels=sorted(set(gold_labels)), average="macro",
                    zero_division=0,
                )
            ),
            3,
        )  # fmt: skip
    return out


# --- speed ----------------------------------------------------------------------------------


def _time(fn: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of ``fn()``."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def _speed(
    trained: dict[str, Any], texts: Sequence[str], dev: Sequence[Row], reps: int
) -> dict[str, Any]:
    """Sentences/s of bare en_core_web_sm vs the same pipeline plus textcats.

    The machine is shared, so the ratios use this process's CPU time (``time.process_time``,
    all its threads), median of ``reps`` interleaved runs; wall-clock ratios are kept beside them.
    ``marginal``: the textcats alone on the already-parsed docs, against the bare parse.
    """
    bare = load_nlp()
    full = load_nlp()
    detect_only = load_nlp()
    for task, nlp in trained.items():
        full.add_pipe(f"textcat_{task}", source=nlp)
    detect_only.add_pipe("textcat_detect", source=trained["detect"])
    # the sourced textcats inside the full pipeline give the scores they gave in evaluation
    ref, _ = _detect_scores(trained["detect"], dev)
    got = np.array([d.cats[EVENT] for d in full.pipe([r["text"] for r in dev])])
    for nlp in (bare, full, detect_only):
        list(nlp.pipe(texts[:200]))  # warm-up
    parsed = list(bare.pipe(texts))
    textcats = [full.get_pipe(f"textcat_{t}") for t in trained]

    def run_textcats() -> None:
        for tc in textcats:
            for _ in tc.pipe(parsed):
                pass

    keys = ("bare", "full", "detect_only", "textcats_only")
    wall: dict[str, list[float]] = {k: [] for k in keys}
    cpu: dict[str, list[float]] = {k: [] for k in keys}
    for _ in range(reps):
        for key, fn in (
            ("bare", lambda: list(bare.pipe(texts))),
            ("full", lambda: list(full.pipe(texts))),
            ("detect_only", lambda: list(detect_only.pipe(texts))),
            ("textcats_only", run_textcats),
        ):
            w, c = _time(fn)
            wall[key].append(w)
            cpu[key].append(c)
    med_w = {k: statistics.median(v) for k, v in wall.items()}
    med_c = {k: statistics.median(v) for k, v in cpu.items()}
    n = len(texts)
    return {
        "sentences": n,
        "reps": reps,
        "cpu_sents_per_s": {k: round(n / v, 1) for k, v in med_c.items()},
        "wall_sents_per_s": {k: round(n / v, 1) for k, v in med_w.items()},
        "ratio_full_vs_bare_cpu": round(med_c["bare"] / med_c["full"], 3),
        "ratio_detect_only_vs_bare_cpu": round(med_c["bare"] / med_c["detect_only"], 3),
        "ratio_marginal_cpu": round(med_c["bare"] / (med_c["bare"] + med_c["textcats_only"]), 3),
        "ratio_full_vs_bare_wall": round(med_w["bare"] / med_w["full"], 3),
        "full_pipeline": list(full.pipe_names),
        "max_abs_diff_vs_eval_scores": float(np.max(np.abs(ref - got))),
    }


def _write(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n", "utf-8")


def _log(msg: str) -> None:
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


if __name__ == "__main__":
    main()
