"""The study's runs: profiles, data sets, methods, and one resumable run each.

Each (data set, method, seed) run is saved as one JSON file under ``<out>/runs/``;
a run whose file exists is read back instead of trained again.
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from _flattened import FlattenedSampler
from _study_stats import evaluate
from imblearn.over_sampling import ADASYN, SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from joblib import Parallel, delayed
from sklearn.model_selection import train_test_split
from tqdm.auto import tqdm

import imblearn_seqgan as isg
from imblearn_seqgan.utils import check_sequences, encode_label_sequences

# --- profiles -----------------------------------------------------------------


@dataclass
class Profile:
    datasets: list[str]
    methods: list[str]
    seeds: int = 5
    n_estimators: int = 10
    # the paper's members: all minority + a disjoint 1/K of the majority (Appendix B)
    bagging: dict[str, Any] = field(default_factory=lambda: {"sampling_strategy": "partition"})
    classifier: dict[str, Any] = field(default_factory=dict)
    gan: dict[str, Any] = field(default_factory=dict)
    autoencoder: dict[str, Any] = field(default_factory=dict)
    power_windows: int | None = None
    review_limit: int | None = None


ALL_METHODS = [
    "baseline",
    "seqgan",
    "latent_adasyn",
    "smote",
    "adasyn",
    "random_over",
    "novelty_critic",
    "novelty_reconstruction",
]

PROFILES = {
    # the README's main job, about 2.5 minutes on two idle cores: the quick profile's Power
    # slice, where the methods differ (on Japanese Vowels every method reaches PR AUC 100%)
    "demo": Profile(
        datasets=["power"],
        methods=["baseline", "seqgan", "latent_adasyn", "random_over"],
        seeds=2,
        n_estimators=5,
        power_windows=4000,
    ),
    "quick": Profile(
        datasets=["japanese_vowels", "power", "power_seq2seq", "reviews_5", "reviews_1"],
        methods=ALL_METHODS,
        seeds=5,
        n_estimators=5,
        power_windows=4000,
        review_limit=2000,
    ),
    "full": Profile(
        datasets=["japanese_vowels", "power", "power_seq2seq", "reviews_5", "reviews_1"],
        methods=ALL_METHODS,
        seeds=5,
        n_estimators=10,
        power_windows=None,
        review_limit=None,
    ),
}


# --- data sets ----------------------------------------------------------------

# which class is the minority, for the report's caption
MINORITY = {
    "japanese_vowels": "class 1, the utterances of speaker 1 (5% of the sequences)",
    "power": "class 1, a voltage change above 1.65 V in the minute after the 20-minute "
    "window (about 2% of the windows)",
    "power_seq2seq": "label 1 at a position of the label sequence, a voltage change above "
    "1.65 V in that one of the 4 minutes after the window",
    "reviews_5": "class 1, the fresh (positive) reviews, made 5% of the reviews",
    "reviews_1": "class 1, the fresh (positive) reviews, made 1% of the reviews",
}


def load_dataset(name: str, profile: Profile, seed: int) -> tuple[Any, np.ndarray]:
    ds = isg.datasets
    if name == "japanese_vowels":
        return ds.load_japanese_vowels(random_state=seed)
    if name in ("power", "power_seq2seq"):
        task = "seq2one" if name == "power" else "seq2seq"
        return ds.load_household_power(
            task=task, max_samples=profile.power_windows, random_state=seed
        )
    if name.startswith("reviews_"):
        fraction = int(name.split("_")[1]) / 100
        return ds.load_movie_reviews(
            minority_fraction=fraction, max_reviews=profile.review_limit, random_state=seed
        )
    raise ValueError(f"unknown data set {name!r}")


def equal_lengths(X: Any) -> bool:
    lengths = check_sequences(X).lengths
    return bool((lengths == lengths[0]).all())


# --- methods ------------------------------------------------------------------


def three_per_minority_sample(y: np.ndarray) -> dict:
    """The paper's amount of synthetic data: 3 new samples per minority sample, the
    same for every oversampler so that they are compared at equal cost."""
    values, counts = np.unique(y, return_counts=True)
    majority = values[np.argmax(counts)]
    return {v: 4 * c for v, c in zip(values, counts, strict=True) if v != majority}


def make_method(name: str, profile: Profile, seed: int, label_sequences: bool) -> Any:
    bag = isg.BalancedSequenceBaggingClassifier(
        isg.Seq2SeqClassifier(random_state=seed, **profile.classifier),
        n_estimators=profile.n_estimators,
        random_state=seed,
        **profile.bagging,
    )
    if name == "baseline":
        return bag
    if name == "seqgan":
        gan = isg.SeqGANOverSampler(
            n_per_sample=3, label_sequences=label_sequences, random_state=seed, **profile.gan
        )
        return Pipeline([("gan", gan), ("bag", bag)])
    if name == "latent_adasyn":
        sampler = isg.LatentADASYN(
            sampling_strategy=three_per_minority_sample,
            label_sequences=label_sequences,
            random_state=seed,
            **profile.autoencoder,
        )
        return Pipeline([("adasyn", sampler), ("bag", bag)])
    flat = {"smote": SMOTE, "adasyn": ADASYN, "random_over": RandomOverSampler}
    if name in flat:
        sampler = flat[name](sampling_strategy=three_per_minority_sample, random_state=seed)
        return Pipeline([("sampler", FlattenedSampler(sampler)), ("bag", bag)])
    if name.startswith("novelty_"):
        score = name.split("_", 1)[1]
        return isg.GANNoveltyDetector(outlier_score=score, random_state=seed, **profile.gan)
    raise ValueError(f"unknown method {name!r}")


def applicable(method: str, X: Any, y: np.ndarray) -> str | None:
    """Why a method does not apply to a data set, or None."""
    if method in ("smote", "adasyn") and not equal_lengths(X):
        return "needs equal lengths (flattened, as the paper)"
    if method in ("smote", "adasyn") and y.ndim == 2:
        # neighbours are drawn within each distinct label sequence, and rare ones
        # have fewer members than k_neighbors
        return "per-class neighbours; rare label sequences are too small"
    if method.startswith("novelty_") and y.ndim == 2:
        return "sequence-level detector"
    return None


# --- one run ------------------------------------------------------------------


def run_path(out: Path, dataset: str, method: str, seed: int) -> Path:
    """Where the run of (data set, method, seed) is saved."""
    return out / "runs" / f"{dataset}__{method}__{seed}.json"


def run_one(dataset: str, method: str, seed: int, profile: Profile, out: Path) -> dict | None:
    path = run_path(out, dataset, method, seed)
    settings = {
        "n_estimators": profile.n_estimators,
        "bagging": profile.bagging,
        "power_windows": profile.power_windows,
        "review_limit": profile.review_limit,
    }
    if path.exists():
        record = json.loads(path.read_text())
        saved = record.get("settings", settings)
        if saved != settings:
            # resuming must not mix runs made at another scale into one table
            raise ValueError(
                f"{path} was run with {saved}, not {settings}: give these settings "
                "another --out folder."
            )
        return record
    X, y = load_dataset(dataset, profile, seed)
    y = np.asarray(y)
    reason = applicable(method, X, y)
    if reason is not None:
        record = {"dataset": dataset, "method": method, "seed": seed, "skipped": reason}
    else:
        if y.ndim == 2:
            # rare label sequences can occur once: stratify on majority vs the rest
            codes = encode_label_sequences(y)[0]
            stratify = codes != np.bincount(codes).argmax()
        else:
            stratify = y
        idx_train, idx_test = train_test_split(
            np.arange(len(y)), test_size=0.3, stratify=stratify, random_state=seed
        )
        seqs = check_sequences(X)
        X_train, X_test = seqs.take(idx_train), seqs.take(idx_test)
        model = make_method(method, profile, seed, label_sequences=y.ndim == 2)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            model.fit(X_train, y[idx_train])
        fit_seconds = time.perf_counter() - start
        record = {
            "dataset": dataset,
            "method": method,
            "seed": seed,
            "fit_seconds": fit_seconds,
            "n_train": len(idx_train),
            **evaluate(model, X_test, y[idx_test], method),
        }
        if method == "seqgan" and seed == 0:
            save_tsne_input(model, X_train, y[idx_train], out, dataset)
    record["settings"] = settings
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1))
    return record


def _run_with_threads(threads: int, *args) -> dict | None:
    torch.set_num_threads(threads)
    return run_one(*args)


def save_tsne_input(model: Any, X_train: Any, y_train: np.ndarray, out: Path, dataset: str):
    """Real and synthetic minority sequences for Figure 2, resampled to 20 steps."""
    X_res, y_res = model.named_steps["gan"].fit_resample(X_train, y_train)
    n_real = len(y_train)
    seqs = check_sequences(X_res)
    if y_res.ndim == 2:
        codes, _ = encode_label_sequences(y_res)
    else:
        codes = y_res
    values, counts = np.unique(codes[:n_real], return_counts=True)
    majority = values[np.argmax(counts)]
    minority = np.flatnonzero(codes != majority)
    fixed = np.stack([_resample(seqs.values[i, : seqs.lengths[i]], 20) for i in minority])
    np.savez_compressed(
        out / f"tsne_input_{dataset}.npz",
        features=fixed.reshape(len(fixed), -1),
        synthetic=minority >= n_real,
    )


def _resample(sequence: np.ndarray, n_steps: int) -> np.ndarray:
    old = np.linspace(0, 1, len(sequence))
    new = np.linspace(0, 1, n_steps)
    return np.stack([np.interp(new, old, sequence[:, j]) for j in range(sequence.shape[1])], 1)


def run_all(
    jobs: list[tuple[str, str, int]],
    profile: Profile,
    out: Path,
    *,
    threads: int,
    n_jobs: int,
    desc: str,
) -> None:
    """Run every (data set, method, seed) job, side by side through joblib (runs are
    independent and save their own file), with a progress bar over runs."""
    runs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_run_with_threads)(threads, d, m, s, profile, out) for d, m, s in jobs
    )
    for _ in tqdm(runs, total=len(jobs), desc=desc, unit="run"):
        pass


def load_runs(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((out / "runs").glob("*.json"))]
