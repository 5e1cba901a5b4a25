"""The study's runs: profiles, data sets, methods, and one resumable run each.

Each (data set, method, seed) run is saved as one JSON file under ``<out>/runs/``;
a run whose file exists is read back instead of trained again. Every run records
the commit it ran at, so that the report can refuse to mix code versions, and its
environment (versions, processor, threads), so that it can say where those differ.
"""

from __future__ import annotations

import functools
import json
import platform
import subprocess
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from imblearn.base import BaseSampler
from imblearn.pipeline import Pipeline
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, make_scorer, precision_recall_curve
from sklearn.model_selection import (
    StratifiedShuffleSplit,
    TunedThresholdClassifierCV,
    train_test_split,
)
from sklearn.preprocessing import StandardScaler
from tqdm.auto import tqdm

import imblearn_seqgan as isg
from imblearn_seqgan.metrics import discriminative_score, nearest_neighbour_ratio
from imblearn_seqgan.utils import check_sequences, encode_label_sequences, majority_mask

from .stats import FULL_SIZE, curve_size, evaluate

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
    # the loader's window stride (None: non-overlapping windows; 1: the paper's ~2M
    # overlapping ones) and feature columns (None: all seven)
    power_stride: int | None = None
    power_features: list[str] | None = None
    # every method also with its decision threshold tuned on a validation split of its
    # own training data (a second F1 column); costs one more fit per run
    tune_threshold: bool = False
    # the critic as the novelty guide recommends (docs/user_guide/novelty.rst): it needs
    # 2400 steps and a larger critic learning rate to rank at all
    novelty_critic: dict[str, Any] = field(
        default_factory=lambda: {"max_steps": 2400, "lr_critic": 2e-3}
    )
    # the profile whose runs of Power at full size ("power") this profile reports
    # beside its own, as its last point (the learning curve's): the same pipelines on
    # the whole training split, not trained a second time
    full_size_from: str | None = None

    def settings(self) -> dict[str, Any]:
        """What a run's numbers depend on besides the code: a folder's runs must agree."""
        return {
            "n_estimators": self.n_estimators,
            "bagging": self.bagging,
            "classifier": self.classifier,
            "gan": self.gan,
            "autoencoder": self.autoencoder,
            "power_windows": self.power_windows,
            "review_limit": self.review_limit,
            "power_stride": self.power_stride,
            "power_features": self.power_features,
            "tune_threshold": self.tune_threshold,
            "novelty_critic": self.novelty_critic,
        }


# The classifier the authors' public repository configures for Power
# (stephanieger/imbalanced-sequence-classification, utils/config.py, PowerConfig:
# HIDDEN_NEURONS 8, NUM_LAYERS 5, EPOCHS 100, BATCH_SIZE 256); the paper's text
# gives none of these.
AUTHORS_POWER_CLASSIFIER = {
    "hidden_size": 8,
    "num_layers": 5,
    "max_epochs": 100,
    "batch_size": 256,
}

ALL_METHODS = [
    "baseline",
    "baseline_authors",
    "seqgan",
    "latent_adasyn",
    "smote",
    "adasyn",
    "random_over",
    "augment",
    "aeon_esmote",
    "aeon_ohit",
    "novelty_critic",
    "novelty_reconstruction",
]
# the quick and full profiles' methods: the authors' classifier is their Power one;
# the augmentation and aeon's samplers came after those profiles were published
GENERAL_METHODS = [
    m for m in ALL_METHODS if m not in ("baseline_authors", "augment", "aeon_esmote", "aeon_ohit")
]

PROFILES = {
    # the README's main job, a few minutes on two cores: the quick profile's Power slice
    # (on Japanese Vowels every method reaches PR AUC 100%), the baseline against SeqGAN
    # and SMOTE, each also with its threshold tuned, the column the study's verdict is
    # about; two methods fewer than before pay for the tuning's extra fit
    "demo": Profile(
        datasets=["power"],
        methods=["baseline", "seqgan", "smote"],
        seeds=2,
        n_estimators=5,
        power_windows=4000,
        tune_threshold=True,
    ),
    "quick": Profile(
        datasets=["japanese_vowels", "power", "power_seq2seq", "reviews_5", "reviews_1"],
        methods=GENERAL_METHODS,
        seeds=5,
        n_estimators=5,
        power_windows=4000,
        review_limit=2000,
    ),
    "full": Profile(
        datasets=["japanese_vowels", "power", "power_seq2seq", "reviews_5", "reviews_1"],
        methods=GENERAL_METHODS,
        seeds=5,
        n_estimators=10,
        power_windows=None,
        review_limit=None,
    ),
    # Power at full size as the paper's section 3.3 runs it: every non-overlapping window
    # (103,762; 2,039 minority, about 1,430 to train on per seed), 10 members, 5 seeds,
    # every method also threshold-tuned. --power-stride 1 gives the paper's ~2M windows.
    "paper": Profile(
        datasets=["power"],
        methods=ALL_METHODS,
        seeds=5,
        n_estimators=10,
        tune_threshold=True,
    ),
    # the learning curve: Power with 50 ... 1,000 minority training windows (the
    # majority subsampled at the data's own ratio), tested on the full 30% test split;
    # its last point, the whole training split (about 1,430 minority windows), is the
    # paper profile's runs of these methods
    "curve": Profile(
        datasets=[f"power_min{n}" for n in (50, 150, 500, 1000)],
        methods=["baseline", "smote", "seqgan"],
        seeds=5,
        n_estimators=10,
        full_size_from="paper",
    ),
    # the learning curve's 1,000-window point with a tuned column: where the
    # oversamplers' variants and the classifier's class weighting are compared
    # (name them with modifiers, see METHOD_MODIFIERS, e.g. "seqgan+unweighted")
    "variants": Profile(
        datasets=["power_min1000"],
        methods=[
            *(m for m in GENERAL_METHODS if not m.startswith("novelty_")),
            *(f"{m}+unweighted" for m in GENERAL_METHODS if not m.startswith("novelty_")),
        ],
        seeds=5,
        n_estimators=10,
        tune_threshold=True,
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
    "crop": "class 1, the UCR archive's Crop class 5 against the other 23 land-cover "
    "classes (4.2% of the 24,000 series of 46 steps)",
}

# Crop's minority: class 5, the hardest for MiniRocket of the 24 one-against-the-rest
# tasks on the archive's own train/test split (PR AUC 0.38; most classes are above
# 0.9 and leave an oversampler no room), chosen before any oversampler ran on it
CROP_MINORITY_CLASS = 5


def load_dataset(name: str, profile: Profile, seed: int) -> tuple[Any, np.ndarray]:
    ds = isg.datasets
    if name == "japanese_vowels":
        return ds.load_japanese_vowels(random_state=seed)
    if name in ("power", "power_seq2seq") or curve_size(name) is not None:
        task = "seq2seq" if name == "power_seq2seq" else "seq2one"
        return ds.load_household_power(
            task=task,
            max_samples=profile.power_windows,
            stride=profile.power_stride,
            features=profile.power_features,
            random_state=seed,
        )
    if name == "crop":
        return ds.load_crop(minority_class=CROP_MINORITY_CLASS, random_state=seed)
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


def new_per_minority_sample(y: np.ndarray, k: int = 3) -> dict:
    """``k`` new samples per minority sample (a ``sampling_strategy``): the paper's
    amount is 3, the same for every oversampler so that they are compared at equal
    cost; the ``+ratio`` modifiers change ``k``."""
    values, counts = np.unique(y, return_counts=True)
    majority = majority_mask(y)[1]
    return {v: (k + 1) * c for v, c in zip(values, counts, strict=True) if v != majority}


def three_per_minority_sample(y: np.ndarray) -> dict:
    """The paper's amount of synthetic data: 3 new samples per minority sample."""
    return new_per_minority_sample(y, 3)


# the library's interpolating and augmenting samplers (SMOTE and ADASYN give
# imbalanced-learn's results on flattened windows at equal lengths, as the paper runs
# them)
LIBRARY_SAMPLERS = {
    "smote": "SequenceSMOTE",
    "adasyn": "SequenceADASYN",
    "random_over": "SequenceRandomOverSampler",
    "augment": "SequenceAugmenter",
}


class KeepResampled(BaseSampler):
    """Run a sampler and keep what it returned (``X_res_``, ``y_res_``; the first
    ``n_real_`` are the real sequences, the rest synthetic), so that the fitted
    pipeline can be scored on its own training data, real against synthetic (the
    paper's sections 3.1 and 3.2) and drawn by t-SNE, without training the sampler
    again."""

    _sampling_type = "over-sampling"
    _parameter_constraints: dict = {"sampler": [object]}

    def __init__(self, sampler=None):
        self.sampler = sampler

    def fit_resample(self, X, y, **params):
        # BaseSampler.fit_resample would validate X as 2-D and reject sequences;
        # the wrapped sampler validates them
        return self._fit_resample(X, y)

    def _fit_resample(self, X, y):
        self.sampler_ = clone(self.sampler)
        y = np.asarray(y)
        if y.ndim == 2 and isinstance(self.sampler_, isg.over_sampling.SequenceRandomOverSampler):
            # as the study has always run it on label sequences: each distinct label
            # sequence a class of its own (the sampler's label-sequence mode pools
            # every minority label sequence instead)
            codes, patterns = encode_label_sequences(y)
            self.X_res_, codes_res = self.sampler_.fit_resample(X, codes)
            self.y_res_ = patterns[codes_res]
        else:
            self.X_res_, self.y_res_ = self.sampler_.fit_resample(X, y)
        self.n_real_ = len(y)
        return self.X_res_, self.y_res_


# What a method name's "+modifier" parts change: "seqgan+unweighted" is SeqGAN with
# the classifier's class_weight=None. "classifier": Seq2SeqClassifier parameters;
# "sampler": the oversampler's (the base method must be one).
METHOD_MODIFIERS: dict[str, dict[str, Any]] = {
    # the classifier's loss without class weights: with "balanced" (the default) the
    # minority's total weight is fixed, so over-sampling cannot move the threshold
    "unweighted": {"classifier": {"class_weight": None}},
    # the generators' variants (SeqGANOverSampler's and LatentADASYN's parameters)
    "neighbours": {"sampler": {"new_codes": "neighbours"}},
    "change": {"sampler": {"decode": "change"}},
    "filter": {"sampler": {"candidate_filter": "realistic"}},
    # standardised input (SequenceStandardScaler first, before any sampler): Power's
    # raw features (a voltage near 240) leave a member hardly fitting its own training
    # windows, and the oversamplers were judged against that classifier
    "scaled": {"input": {"scale": isg.preprocessing.SequenceStandardScaler}},
    # fewer passes of each member (the default is 40): scaled input can overfit a
    # small minority by 40 (choose the number on the validation F1, not the test)
    "epochs10": {"classifier": {"max_epochs": 10}},
    "epochs20": {"classifier": {"max_epochs": 20}},
    # the amount of synthetic data: new samples per minority sample (3 without it);
    # SeqGAN's n_per_sample, every other sampler's sampling_strategy
    "ratio1": {"sampler": {"n_per_sample": 1}},
    "ratio10": {"sampler": {"n_per_sample": 10}},
    # LatentADASYN's codes from real neighbours with an autoencoder on every class and
    # a light class term (DeepSMOTE-like; 0.1 kept the minority's pattern where 1 lost
    # it, see the LatentADASYN guide), SMOTE's even allocation
    "allclasses": {
        "sampler": {
            "autoencoder_classes": "all",
            "class_separation": 0.1,
            "interpolation": "smote",
        }
    },
    # another classifier family instead of the Seq2Seq ensemble: MiniRocket features
    # and a logistic regression (aeon; what time-series users pick today)
    "minirocket": {"family": "minirocket"},
}


def parse_method(name: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The base method of ``name`` and the classifier and sampler parameters its
    ``+modifier`` parts set."""
    base, *modifiers = name.split("+")
    classifier: dict[str, Any] = {}
    sampler: dict[str, Any] = {}
    family = "seq2seq"
    for modifier in modifiers:
        if modifier not in METHOD_MODIFIERS:
            raise ValueError(
                f"unknown modifier {modifier!r} in method {name!r}; known: "
                f"{', '.join(sorted(METHOD_MODIFIERS))}"
            )
        classifier.update(METHOD_MODIFIERS[modifier].get("classifier", {}))
        sampler.update(METHOD_MODIFIERS[modifier].get("sampler", {}))
        family = METHOD_MODIFIERS[modifier].get("family", family)
    if base not in ALL_METHODS:
        raise ValueError(f"unknown method {base!r}; known: {', '.join(ALL_METHODS)}")
    if base.startswith("novelty_") and modifiers:
        raise ValueError(f"method {name!r}: a novelty detector takes no modifier")
    if base in ("baseline", "baseline_authors") and sampler:
        raise ValueError(f"method {name!r}: {base} has no oversampler to modify")
    if family != "seq2seq" and (classifier or base == "baseline_authors"):
        raise ValueError(f"method {name!r}: the {family} family has no Seq2Seq settings")
    return base, classifier, sampler, family


def input_steps(name: str) -> list[tuple[str, Any]]:
    """The steps that a method's modifiers put before everything else (``+scaled``),
    fresh instances in the pipeline's (name, step) form."""
    _, *modifiers = name.split("+")
    return [
        (step, make())
        for modifier in modifiers
        for step, make in METHOD_MODIFIERS[modifier].get("input", {}).items()
    ]


def minirocket_classifier(seed: int) -> Pipeline:
    """MiniRocket features and a logistic regression with balanced class weights, on
    the library's layout (``ToChannelsFirst``: aeon reads (n, channels, timepoints))."""
    from aeon.transformations.collection.convolution_based import MiniRocket

    return Pipeline(
        [
            ("to_aeon", isg.preprocessing.ToChannelsFirst()),
            ("rocket", MiniRocket(random_state=seed)),
            ("scale", StandardScaler()),
            ("logistic", LogisticRegression(class_weight="balanced", max_iter=1000)),
        ]
    )


def make_method(name: str, profile: Profile, seed: int, label_sequences: bool) -> Any:
    full_name = name
    name, classifier_changes, sampler_changes, family = parse_method(name)
    classifier = dict(profile.classifier)
    classifier.update(classifier_changes)
    if name == "baseline_authors":
        classifier.update(AUTHORS_POWER_CLASSIFIER)
    if family == "minirocket":
        bag = minirocket_classifier(seed)
    else:
        bag = isg.BalancedSequenceBaggingClassifier(
            isg.Seq2SeqClassifier(random_state=seed, **classifier),
            n_estimators=profile.n_estimators,
            random_state=seed,
            **profile.bagging,
        )
    head = input_steps(full_name)
    if name in ("baseline", "baseline_authors"):
        return Pipeline([*head, ("bag", bag)]) if head else bag
    sampler_changes = dict(sampler_changes)
    per_sample = sampler_changes.pop("n_per_sample", 3)
    # a module-level function in a partial, so that joblib's processes can pickle it
    k_per_minority_sample = (
        three_per_minority_sample
        if per_sample == 3
        else functools.partial(new_per_minority_sample, k=per_sample)
    )
    sampler_class = {
        "seqgan": isg.SeqGANOverSampler,
        "latent_adasyn": isg.LatentADASYN,
        **{m: getattr(isg.over_sampling, c) for m, c in LIBRARY_SAMPLERS.items()},
    }.get(name)
    unknown = (
        sorted(set(sampler_changes) - set(sampler_class._get_param_names()))
        if sampler_class
        else []
    )
    if unknown:
        raise ValueError(
            f"method {full_name!r}: {sampler_class.__name__} has no parameter "
            f"{', '.join(unknown)}, which its modifiers set"
        )
    if name == "seqgan":
        sampler = isg.SeqGANOverSampler(
            label_sequences=label_sequences,
            random_state=seed,
            **{**profile.gan, **sampler_changes, "n_per_sample": per_sample},
        )
    elif name == "latent_adasyn":
        sampler = isg.LatentADASYN(
            sampling_strategy=k_per_minority_sample,
            label_sequences=label_sequences,
            random_state=seed,
            **{**profile.autoencoder, **sampler_changes},
        )
    elif name in LIBRARY_SAMPLERS:
        sampler = sampler_class(
            sampling_strategy=k_per_minority_sample,
            # SMOTE/ADASYN on label sequences pool every minority label sequence;
            # random over-sampling keeps each one a class (see KeepResampled)
            label_sequences=label_sequences and name != "random_over",
            random_state=seed,
            **sampler_changes,
        )
    elif name.startswith("aeon_"):
        from .aeon_samplers import AeonSampler

        sampler = AeonSampler(
            name.removeprefix("aeon_"),
            sampling_strategy=k_per_minority_sample,
            random_state=seed,
            **sampler_changes,
        )
    elif name.startswith("novelty_"):
        score = name.split("_", 1)[1]
        gan = {**profile.gan, **(profile.novelty_critic if score == "critic" else {})}
        return isg.GANNoveltyDetector(outlier_score=score, random_state=seed, **gan)
    else:
        raise ValueError(f"unknown method {name!r}")
    return Pipeline([*head, ("sampler", KeepResampled(sampler)), ("bag", bag)])


def applicable(method: str, X: Any, y: np.ndarray, dataset: str) -> str | None:
    """Why a method does not apply to a data set, or None."""
    method, _, _, family = parse_method(method)
    if method == "baseline_authors" and not (dataset == "power" or curve_size(dataset)):
        return "the authors' repository configures this classifier for Power's seq2one task"
    if family == "minirocket" and (y.ndim == 2 or not equal_lengths(X)):
        return "MiniRocket needs equal lengths and one label per sequence"
    if method.startswith("aeon_") and (
        check_sequences(X).n_features != 1 or not equal_lengths(X) or y.ndim == 2
    ):
        return "aeon's samplers take one channel, equal lengths and one label per sequence"
    if method.startswith("novelty_") and y.ndim == 2:
        return "sequence-level detector"
    return None


# --- one run ------------------------------------------------------------------


def provenance() -> dict[str, Any]:
    """The commit the code runs at, and whether tracked files differ from it."""
    root = Path(__file__).resolve().parents[2]

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "HEAD") or "unknown (not a git checkout)"
    return {"commit": commit, "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def environment() -> dict[str, Any]:
    """What besides the commit can change a run's numbers, saved with the run: the
    library versions, the processor and the torch threads (two threads sum in another
    order than one; training amplifies the last bits into different models), the
    denormal flush. Called in the process that trains, after its threads are set."""
    import imblearn
    import sklearn

    from imblearn_seqgan._nn._utils import FLUSH_DENORMALS

    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "imbalanced-learn": imblearn.__version__,
        "processor": _processor_name(),
        # the SIMD kernels torch dispatches to (a virtual machine's processor name can
        # be generic while this differs)
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
        "torch_threads": torch.get_num_threads(),
        "flush_denormals": FLUSH_DENORMALS,
    }


def _processor_name() -> str:
    # platform.processor() is only the architecture on Linux ("x86_64"); the model
    # name, which decides the SIMD kernels torch picks, is in /proc/cpuinfo
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def run_path(out: Path, dataset: str, method: str, seed: int) -> Path:
    """Where the run of (data set, method, seed) is saved."""
    return out / "runs" / f"{dataset}__{method}__{seed}.json"


def saved_run(path: Path, settings: dict) -> dict | None:
    """The run saved at ``path``, None if there is none; an error if it was made
    with other settings (resuming must not mix runs of another scale in one table)."""
    if not path.exists():
        return None
    record = json.loads(path.read_text())
    saved = record.get("settings", settings)
    if saved != settings:
        raise ValueError(
            f"{path} was run with {saved}, not {settings}: give these settings "
            "another --out folder."
        )
    return record


def pending_jobs(
    out: Path, jobs: list[tuple[str, str, int]], profile: Profile
) -> list[tuple[str, str, int]]:
    """The jobs of ``jobs`` not saved in ``out`` yet, in the order to start them.

    Seed by seed (so a stopped batch leaves whole seeds to publish), and within a
    seed the costliest method first: side by side through joblib, a long run started
    last keeps one core busy alone at the end, which on a 2-core machine costs up to
    one run's time per batch. The cost is the mean ``fit_seconds`` of the method's
    saved runs on that data set; a method with none yet is taken as the costliest
    (new rows are usually the expensive variants). A saved run of ``jobs`` made with
    other settings than ``profile``'s is refused here, before any training."""
    for job in jobs:
        saved_run(run_path(out, *job), profile.settings())
    saved = load_runs(out) if (out / "runs").is_dir() else []
    cost: dict[tuple[str, str], list[float]] = {}
    for r in saved:
        if "fit_seconds" in r:  # a skipped run has none
            cost.setdefault((r["dataset"], r["method"]), []).append(r["fit_seconds"])
    todo = [job for job in jobs if not run_path(out, *job).exists()]
    order = {job: i for i, job in enumerate(todo)}

    def key(job: tuple[str, str, int]) -> tuple:
        seconds = cost.get(job[:2])
        expected = float(np.mean(seconds)) if seconds else float("inf")
        return (job[2], -expected, order[job])

    return sorted(todo, key=key)


def split(dataset: str, y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Training and test indices: a stratified 70/30 split; a learning-curve data set
    keeps n minority training windows and the majority at the training split's own
    ratio (the test split stays whole, the same for every point of the curve)."""
    # rare label sequences can occur once: stratify on majority vs the rest
    stratify = ~majority_mask(y)[0] if y.ndim == 2 else y
    idx_train, idx_test = train_test_split(
        np.arange(len(y)), test_size=0.3, stratify=stratify, random_state=seed
    )
    n_minority = curve_size(dataset)
    if n_minority is not None:
        is_minority = ~majority_mask(stratify)[0][idx_train]
        pool = int(is_minority.sum())
        if n_minority > pool:
            raise ValueError(
                f"{dataset} needs {n_minority} minority training windows; the training "
                f"split holds {pool}: drop that point, or overlap windows (--power-stride)."
            )
        n_majority = round(n_minority * (~is_minority).sum() / pool)
        rng = np.random.default_rng(seed)
        idx_train = np.sort(
            np.concatenate(
                [
                    rng.choice(idx_train[is_minority], n_minority, replace=False),
                    rng.choice(idx_train[~is_minority], n_majority, replace=False),
                ]
            )
        )
    return idx_train, idx_test


def best_f1_threshold(y_true: np.ndarray, score: np.ndarray) -> float:
    """The score threshold with the highest minority F1 on (y_true, score)."""
    precision, recall, thresholds = precision_recall_curve(y_true, score)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return float(thresholds[np.argmax(f1[:-1])])


def fit_tuned(model: Any, X: Any, y: np.ndarray, method: str, seed: int) -> tuple[Any, Any]:
    """The model fitted on (X, y), and a predictor with its threshold tuned on a
    stratified 20% validation part of (X, y), or None where a threshold does not apply.

    Classifiers: scikit-learn's TunedThresholdClassifierCV fits the whole pipeline
    (oversampler inside, so synthetic data never reaches the validation part) on 80%,
    chooses the probability threshold with the best minority F1 on the other 20%, and
    refits on all of (X, y) (``refit=True``): the refitted model is the untuned one,
    so the tuned column costs one fit on 80% more. Novelty detectors: the threshold
    on the outlier score is chosen the same way, but applied to the detector fitted on
    the 80%: a critic's scale changes from one training to the next, so a threshold
    does not carry over to a refit."""
    values, counts = np.unique(y, return_counts=True)
    minority = values[values != values[np.argmax(counts)]]
    if y.ndim == 2 or len(minority) != 1:
        # label sequences: one decision per position and label, not one threshold
        model.fit(X, y)
        return model, None
    holdout = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=seed)
    if not method.startswith("novelty_"):
        tuned = TunedThresholdClassifierCV(
            model,
            scoring=make_scorer(f1_score, pos_label=minority[0]),
            cv=holdout,
            refit=True,
            random_state=seed,
        ).fit(X, y)
        return tuned.estimator_, tuned
    model.fit(X, y)
    part, validation = next(holdout.split(np.zeros(len(y)), y))
    seqs = check_sequences(X)
    detector = clone(model).fit(seqs.take(part), y[part])
    novelty = -detector.score_samples(seqs.take(validation))
    threshold = best_f1_threshold(y[validation] == minority[0], novelty)
    return model, ThresholdedNovelty(detector, threshold, minority[0], values)


@dataclass
class ThresholdedNovelty:
    """A fitted novelty detector that predicts the minority where its novelty score
    (minus ``score_samples``) reaches ``threshold``."""

    detector: Any
    threshold: float
    minority: Any
    classes: np.ndarray

    def predict(self, X: Any) -> np.ndarray:
        majority = self.classes[self.classes != self.minority][0]
        return np.where(-self.detector.score_samples(X) >= self.threshold, self.minority, majority)


def training_scores(model: Any, y_train: np.ndarray) -> dict[str, float]:
    """The fitted pipeline scored on its own training data, real minority against
    synthetic (the paper's sections 3.1 and 3.2): minority recall on each, and the
    minority F1 of each beside the real majority."""
    kept = model.named_steps["sampler"]
    n_real = kept.n_real_
    majority = majority_mask(y_train)[1]
    # the steps after the sampler: X_res_ has already been through any before it
    predicted = model[list(model.named_steps).index("sampler") + 1 :].predict(kept.X_res_)
    is_minority = kept.y_res_ != majority
    real, synthetic = np.arange(len(is_minority)) < n_real, np.arange(len(is_minority)) >= n_real
    found = predicted != majority
    scores = {}
    for name, positives in (("real", real & is_minority), ("synthetic", synthetic & is_minority)):
        rows = positives | (real & ~is_minority)
        scores[f"train_recall_{name}"] = float(found[positives].mean()) if positives.any() else 0.0
        scores[f"train_f1_{name}"] = float(f1_score(positives[rows], found[rows], zero_division=0))
    return scores


def _real_and_synthetic_minority(model: Any, y_train: np.ndarray) -> tuple[Any, Any]:
    """The real minority training sequences and the synthetic ones the fitted
    pipeline's sampler made (one-label data: the minority is every non-majority class)."""
    kept = model.named_steps["sampler"]
    seqs = check_sequences(kept.X_res_)
    is_real = np.arange(len(kept.y_res_)) < kept.n_real_
    minority = np.r_[minority_mask(y_train), np.ones(len(kept.y_res_) - kept.n_real_, bool)]
    return seqs.take(np.flatnonzero(is_real & minority)), seqs.take(np.flatnonzero(~is_real))


def fidelity_scores(model: Any, y_train: np.ndarray, seed: int) -> dict[str, float]:
    """How far the synthetic minority is from the real one (issue: why generated
    sequences do or do not pay): the out-of-fold ROC AUC of a classifier told to
    separate them (0.5: indistinguishable) and the nearest-neighbour distance ratio
    (synthetic-to-nearest-real against real-to-nearest-real)."""
    real, synthetic = _real_and_synthetic_minority(model, y_train)
    if len(synthetic) < 5:
        return {}
    start = time.perf_counter()
    scores = {
        "discriminative_auc": discriminative_score(real, synthetic, random_state=seed),
        "nn_ratio": nearest_neighbour_ratio(real, synthetic),
    }
    scores["fidelity_seconds"] = time.perf_counter() - start
    return scores


def save_synthetic(model: Any, y_train: np.ndarray, path: Path) -> None:
    """The run's real and synthetic minority training sequences (float32, padded), beside
    its record, so that a measure thought of later needs no retraining (not published:
    megabytes per run)."""
    real, synthetic = _real_and_synthetic_minority(model, y_train)
    folder = path.parent.parent / "synthetic"
    folder.mkdir(parents=True, exist_ok=True)
    real_seqs, synthetic_seqs = check_sequences(real), check_sequences(synthetic)
    np.savez_compressed(
        folder / f"{path.stem}.npz",
        real=real_seqs.values.astype(np.float32),
        real_lengths=real_seqs.lengths,
        synthetic=synthetic_seqs.values.astype(np.float32),
        synthetic_lengths=synthetic_seqs.lengths,
    )


def run_one(
    dataset: str, method: str, seed: int, profile: Profile, out: Path, origin: dict
) -> dict | None:
    path = run_path(out, dataset, method, seed)
    settings = profile.settings()
    record = saved_run(path, settings)
    if record is not None:
        return record
    X, y = load_dataset(dataset, profile, seed)
    y = np.asarray(y)
    reason = applicable(method, X, y, dataset)
    if reason is not None:
        record = {"dataset": dataset, "method": method, "seed": seed, "skipped": reason}
    else:
        idx_train, idx_test = split(dataset, y, seed)
        seqs = check_sequences(X)
        X_train, X_test = seqs.take(idx_train), seqs.take(idx_test)
        y_train = y[idx_train]
        model = make_method(method, profile, seed, label_sequences=y.ndim == 2)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            if profile.tune_threshold:
                model, tuned = fit_tuned(model, X_train, y_train, method, seed)
            else:
                model, tuned = model.fit(X_train, y_train), None
        fit_seconds = time.perf_counter() - start
        _, classifier_changes, sampler_changes, family = parse_method(method)
        record = {
            "dataset": dataset,
            "method": method,
            "seed": seed,
            # what the method's "+modifier" parts changed from the profile's settings
            "method_changes": {
                "classifier": classifier_changes,
                "sampler": sampler_changes,
                "family": family,
                # steps before everything else (+scaled: ["scale"])
                "input": [step for step, _ in input_steps(method)],
            },
            "fit_seconds": fit_seconds,
            "n_train": len(idx_train),
            "n_test": len(idx_test),
            "n_train_minority": int(np.sum(minority_mask(y_train))),
            **evaluate(model, X_test, y[idx_test], method),
        }
        if profile.tune_threshold:
            record["f1_tuned"] = None if tuned is None else tuned_f1(tuned, X_test, y[idx_test])
            # the F1 the chosen threshold reached on the validation split: what a choice
            # between methods or variants may look at, where the test split may not
            record["f1_validation"] = (
                float(tuned.best_score_) if hasattr(tuned, "best_score_") else None
            )
        resampled = isinstance(model, Pipeline) and "sampler" in model.named_steps
        if resampled and y.ndim == 1:
            record.update(training_scores(model, y_train))
            record.update(fidelity_scores(model, y_train, seed))
            save_synthetic(model, y_train, run_path(out, dataset, method, seed))
        if method == "seqgan" and seed == 0:
            save_tsne_input(model, y_train, out, dataset)
    record.update(settings=settings, environment=environment(), **origin)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1))
    return record


def minority_mask(y: np.ndarray) -> np.ndarray:
    """Whether each sample (each label sequence) is not of the majority."""
    return ~majority_mask(y)[0]


def tuned_f1(tuned: Any, X_test: Any, y_test: np.ndarray) -> float:
    majority = majority_mask(y_test)[1]
    minority = [v for v in np.unique(y_test) if v != majority]
    return float(f1_score(y_test, tuned.predict(X_test), labels=minority, average="macro"))


def _run_with_threads(threads: int, *args) -> dict | None:
    torch.set_num_threads(threads)
    return run_one(*args)


def save_tsne_input(model: Any, y_train: np.ndarray, out: Path, dataset: str):
    """Real and synthetic minority training sequences of seed 0 for Figure 2 and
    Appendix C.1, resampled to 20 steps: what the fitted pipeline's sampler returned,
    so the GAN is not trained again."""
    kept = model.named_steps["sampler"]
    n_real = kept.n_real_
    seqs = check_sequences(kept.X_res_)
    y_res = kept.y_res_
    codes = encode_label_sequences(y_res)[0] if y_res.ndim == 2 else y_res
    values, counts = np.unique(codes[:n_real], return_counts=True)
    minority = np.flatnonzero(codes != values[np.argmax(counts)])
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
    origin: dict,
    threads: int,
    n_jobs: int,
    desc: str,
) -> None:
    """Run every (data set, method, seed) job, side by side through joblib (runs are
    independent and save their own file), with a progress bar over runs."""
    # batch_size=1: joblib's automatic batching grows batches after quick tasks and
    # could then queue two runs of many minutes on one worker while the other idles
    runs = Parallel(n_jobs=n_jobs, batch_size=1, return_as="generator_unordered")(
        delayed(_run_with_threads)(threads, d, m, s, profile, out, origin) for d, m, s in jobs
    )
    with tqdm(runs, total=len(jobs), desc=desc, unit="run") as bar:
        # tqdm redraws only when a run ends, minutes apart: keep the elapsed time moving
        # (every second in a terminal, every 30 s into a log)
        stop = threading.Event()
        interval = 1.0 if sys.stderr.isatty() else 30.0
        threading.Thread(target=_redraw, args=(bar, stop, interval), daemon=True).start()
        try:
            for _ in bar:
                pass
        finally:
            stop.set()


def _redraw(bar: Any, stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        bar.refresh()


def load_runs(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((out / "runs").glob("*.json"))]


def full_size_runs(folder: Path, profile: Profile, methods: list[str]) -> list[dict]:
    """The runs of ``methods`` on Power at full size saved in ``folder`` (another
    profile's), for ``profile``'s report: an error where they were made with other
    settings than ``profile``'s, threshold tuning aside (it adds a column, and the
    untuned model is the one refitted on the whole training split)."""
    runs = [r for r in load_runs(folder) if r["dataset"] == FULL_SIZE and r["method"] in methods]
    own = {k: v for k, v in profile.settings().items() if k != "tune_threshold"}
    for r in runs:
        theirs = {k: v for k, v in r.get("settings", {}).items() if k != "tune_threshold"}
        if theirs != own:
            path = run_path(folder, FULL_SIZE, r["method"], r["seed"])
            raise ValueError(
                f"{path} was run with {theirs}, this profile with {own}: it cannot be "
                "the full-size point of the same curve."
            )
    return runs
