"""The study's statistics: the metrics of one run, and their summary over seeds
(mean, standard deviation; Student t-tests against the baseline and between two
methods, paired on the seeds and unpaired as the paper ran them; the corrected
resampled t-test of Nadeau and Bengio, and Holm's correction across a table's tests).

Five seeds are five random train/test splits of one data set: their training sets
overlap, so the seeds' scores are correlated and a plain paired t-test overstates
significance. Nadeau and Bengio (2003, "Inference for the generalization error",
Machine Learning 52) correct the variance of the mean difference by
``1/k + n_test/n_train`` instead of ``1/k``; it is the test the page words its
conclusions by, after Holm's step-down correction across the tests of each table
(each data set's section). Both are a few lines, written here: scipy has neither."""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
from imblearn.metrics import geometric_mean_score
from scipy import stats
from sklearn.metrics import average_precision_score, confusion_matrix, f1_score


def minority_labels(y: np.ndarray) -> tuple[np.ndarray, Any]:
    """Class labels and the majority class; for label sequences, over all positions
    (the paper scores its seq2seq task label by label)."""
    values, counts = np.unique(y, return_counts=True)
    return values, values[np.argmax(counts)]


def evaluate(model: Any, X_test: Any, y_test: np.ndarray, method: str) -> dict[str, Any]:
    classes, majority = minority_labels(y_test)
    if method.startswith("novelty_"):
        is_outlier = model.predict(X_test) == -1
        minority = [c for c in classes if c != majority]
        y_pred = np.where(is_outlier, minority[0], majority)
        minority_score = -model.score_samples(X_test)
        y_true_min = (y_test != majority).astype(int)
        pr_auc = average_precision_score(y_true_min, minority_score)
    else:
        y_pred = model.predict(X_test)
        proba = model.predict_proba(X_test)
        if y_test.ndim == 2:
            # label sequences: every label position is scored (the paper's seq2seq task)
            proba = np.stack(
                [p[:, list(model.classes_[j]).index(majority)] for j, p in enumerate(proba)],
                axis=1,
            )
            pr_auc = average_precision_score((y_test != majority).ravel(), 1 - proba.ravel())
        else:
            majority_col = list(model.classes_).index(majority)
            pr_auc = average_precision_score(y_test != majority, 1 - proba[:, majority_col])
    y_true, y_hat = np.ravel(y_test), np.ravel(y_pred)
    minority = [c for c in np.unique(y_true) if c != majority]
    f1 = f1_score(y_true, y_hat, labels=minority, average="macro", zero_division=0)
    return {
        "f1": float(f1),
        "g_mean": float(geometric_mean_score(y_true, y_hat, average="multiclass")),
        "pr_auc": float(pr_auc),
        "confusion": confusion_matrix(y_true, y_hat, labels=list(classes)).tolist(),
        "classes": [str(c) for c in classes],
    }


METRICS = ("f1", "f1_tuned", "g_mean", "pr_auc")


def corrected_t_test(
    a: dict[int, float], b: dict[int, float], test_train_ratio: float | None
) -> float | None:
    """Nadeau and Bengio's corrected resampled t-test of ``a`` against ``b`` (seed ->
    value), paired on the seeds both ran: two-sided p of ``mean(d) / sqrt((1/k +
    n_test/n_train) var(d))`` with ``k - 1`` degrees of freedom. None where it cannot
    be made (fewer than two seeds, no ratio, a constant non-zero difference); 1.0 for
    identical values."""
    common = sorted(set(a) & set(b))
    if len(common) < 2 or test_train_ratio is None:
        return None
    d = np.array([a[s] - b[s] for s in common])
    if not np.any(d != 0):
        return 1.0
    if _constant(d):
        return None
    k = len(d)
    t = d.mean() / np.sqrt((1 / k + test_train_ratio) * d.var(ddof=1))
    return float(2 * stats.t.sf(abs(t), k - 1))


def holm(pvalues: list[float | None]) -> list[float | None]:
    """Holm's step-down adjustment of a family of p-values (None stays None and does
    not count): the i-th smallest of m is multiplied by m - i + 1, then made
    non-decreasing and capped at 1."""
    present = [(p, i) for i, p in enumerate(pvalues) if p is not None]
    adjusted: list[float | None] = [None] * len(pvalues)
    running = 0.0
    m = len(present)
    for rank, (p, i) in enumerate(sorted(present)):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted


def test_train_ratio(runs: list[dict]) -> float | None:
    """n_test / n_train of a data set's runs (the mean over them): the test split's
    size, recorded, or the confusion matrix's total for one label per sequence."""
    ratios = []
    for r in runs:
        n_test = r.get("n_test")
        if n_test is None and r.get("confusion") and not r.get("label_sequences"):
            n_test = int(np.sum(r["confusion"]))
        if n_test and r.get("n_train"):
            ratios.append(n_test / r["n_train"])
    return float(np.mean(ratios)) if ratios else None


def t_tests(a: dict[int, float], b: dict[int, float]) -> dict[str, float | None]:
    """Two Student t-tests of the values ``a`` against ``b`` (seed -> value): paired on
    the seeds both ran (``scipy.stats.ttest_rel``), and unpaired with equal variances
    (``scipy.stats.ttest_ind``, what the paper's p-values are: its Table 1's two novelty
    columns give its p = 2.8e-6 only this way). 1.0 where the values are the same; None
    where a test cannot be made: fewer than two seeds, or values that differ without any
    spread (a constant difference has no variance, so no t statistic)."""
    common = sorted(set(a) & set(b))
    paired = unpaired = None
    if len(common) > 1:
        x, y = np.array([a[s] for s in common]), np.array([b[s] for s in common])
        if not np.any(x != y):
            paired = 1.0
        elif not _constant(x - y):
            paired = float(stats.ttest_rel(x, y).pvalue)
    if len(a) > 1 and len(b) > 1:
        x, y = np.array(list(a.values())), np.array(list(b.values()))
        if _constant(np.concatenate([x, y])):
            unpaired = 1.0
        elif not (_constant(x) and _constant(y)):
            # One sample without spread is fine for the pooled variance, but scipy warns
            # about that sample's moments ("catastrophic cancellation") all the same.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Precision loss", RuntimeWarning)
                unpaired = float(stats.ttest_ind(x, y, equal_var=True).pvalue)
    return {"p_paired": paired, "p_unpaired": unpaired}


def _constant(values: np.ndarray) -> bool:
    """No spread beyond float rounding (where scipy's t-tests lose all precision)."""
    return bool(np.ptp(values) <= 1e-12 * max(1.0, float(np.max(np.abs(values)))))


# "power_min<n>": the Power task whose training split keeps n minority windows (a
# point of the learning curve, whose last point is Power at full size, "power")
CURVE_DATASET = re.compile(r"power_min(\d+)$")
FULL_SIZE = "power"


def curve_size(dataset: str) -> int | None:
    """The number of minority training windows of a learning-curve data set, or None."""
    match = CURVE_DATASET.match(dataset)
    return int(match[1]) if match else None


def dataset_order(name: str) -> list:
    """Sort key of data set names with numbers in them by value: power_min50 before
    power_min150 (the learning curve's points in their order) and before Power at full
    size, the curve's last point; reviews_1 before reviews_5."""
    if curve_size(name) is not None:
        return ["power", 0, curve_size(name)]
    if name == FULL_SIZE:
        return ["power", 1]
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def by_seed(group: list[dict], metric: str) -> dict[int, float]:
    """seed -> ``metric`` of the runs in ``group`` that have it (the input of ``t_tests``)."""
    return {r["seed"]: r[metric] for r in group if r.get(metric) is not None}


def summarise(runs: list[dict], method_order: list[str]) -> list[dict]:
    """One row per (data set, method): mean and standard deviation over seeds, the
    t-tests against the baseline (``<metric>_p`` paired on the seeds,
    ``<metric>_p_unpaired``), fit times, and the training-set scores."""
    rows = []
    by_key = _by_key(runs)
    ratios = {d: test_train_ratio([r for r in runs if r["dataset"] == d]) for d, _ in by_key}
    order = {method: i for i, method in enumerate(method_order)}
    for (dataset, method), group in sorted(
        by_key.items(),
        key=lambda item: (dataset_order(item[0][0]), order.get(item[0][1], len(order))),
    ):
        if "skipped" in group[0]:
            rows.append({"dataset": dataset, "method": method, "note": group[0]["skipped"]})
            continue
        reference = main_baseline(method)
        base = {r["seed"]: r for r in by_key.get((dataset, reference), [])}
        # tuned: whether the runs tuned a threshold (f1_tuned None: it does not apply)
        tuned = any("f1_tuned" in r for r in group)
        row = {"dataset": dataset, "method": method, "n_seeds": len(group), "tuned": tuned}
        train_metrics = sorted(
            {
                k
                for r in group
                for k in r
                if k.startswith("train_")
                or k in ("discriminative_auc", "nn_ratio", "f1_validation")
            }
        )
        for metric in (*METRICS, *train_metrics):
            values = np.array(list(by_seed(group, metric).values()))
            if not len(values):
                continue
            row[f"{metric}_mean"], row[f"{metric}_std"] = (
                values.mean(),
                values.std(ddof=1) if len(values) > 1 else 0.0,
            )
            if method != reference and base and metric in METRICS:
                mine, theirs = by_seed(group, metric), by_seed(list(base.values()), metric)
                tests = t_tests(mine, theirs)
                row[f"{metric}_p"], row[f"{metric}_p_unpaired"] = tests.values()
                row[f"{metric}_p_corrected"] = corrected_t_test(mine, theirs, ratios[dataset])
        n_minority = [r["n_train_minority"] for r in group if "n_train_minority" in r]
        if n_minority:
            row["n_train_minority"] = float(np.mean(n_minority))
        base_time = np.mean([r["fit_seconds"] for r in base.values()]) if base else np.nan
        row["fit_seconds"] = float(np.mean([r["fit_seconds"] for r in group]))
        row["time_vs_baseline"] = row["fit_seconds"] / base_time if base else np.nan
        rows.append(row)
    return rows


def main_baseline(method: str) -> str:
    """The row the main table tests ``method`` against: the baseline with the same
    classifier family and input (``smote+minirocket`` against ``baseline+minirocket``,
    ``smote+scaled`` against ``baseline+scaled``; testing them against the plain
    ensemble would compare classifiers or inputs, not samplers). Settings
    of the Seq2Seq classifier (``+unweighted``) keep the plain ``baseline``: what they
    change against the default is what the class-weight table asks."""
    from .runner import METHOD_MODIFIERS  # the runner knows what a modifier sets

    _, *mods = method.split("+")
    same_classifier = ("family", "input")  # what the baseline must share to compare samplers
    return "+".join(
        ["baseline", *(m for m in mods if set(same_classifier) & set(METHOD_MODIFIERS.get(m, {})))]
    )


def adjust_by_table(rows: list[dict], comparisons: list[dict]) -> None:
    """Holm's correction of the corrected t-tests of each table: per data set, the main
    table's minority F1 against the baseline (``f1_p_holm``), and each family of tests
    between methods (``p_holm``; see ``FAMILIES``)."""
    tables: dict[tuple, list] = {}
    for r in rows:
        tables.setdefault((r["dataset"], "main"), []).append((r, "f1_p_corrected", "f1_p_holm"))
    for c in comparisons:
        tables.setdefault((c["dataset"], c["family"]), []).append((c, "p_corrected", "p_holm"))
    for family in tables.values():
        adjusted = holm([item.get(key) for item, key, _ in family])
        for (item, _, target), value in zip(family, adjusted, strict=True):
            item[target] = value


def _by_key(runs: list[dict]) -> dict[tuple[str, str], list[dict]]:
    by_key: dict[tuple[str, str], list[dict]] = {}
    for r in runs:
        by_key.setdefault((r["dataset"], r["method"]), []).append(r)
    return by_key


# Tests between two methods, beside those against the baseline: (method A, metric of A,
# method B, metric of B). The oversamplers against each other and against the baseline
# with a tuned threshold (an oversampler that does not beat a tuned threshold only
# moves the operating point), the two baselines against each other, and the two
# novelty scores against each other. A row runs only where both sides ran.
_RESAMPLED = ["seqgan", "smote", "adasyn", "random_over", "latent_adasyn"]
COMPARISONS = [
    ("seqgan", "f1", "smote", "f1"),
    ("seqgan", "f1_tuned", "smote", "f1_tuned"),
    ("seqgan", "pr_auc", "smote", "pr_auc"),
    ("seqgan", "f1", "baseline", "f1_tuned"),
    ("smote", "f1", "baseline", "f1_tuned"),
    *[(method, "f1_tuned", "baseline", "f1_tuned") for method in _RESAMPLED],
    # PR AUC does not depend on a threshold: the baseline's is that of the tuned one
    *[(method, "pr_auc", "baseline", "pr_auc") for method in _RESAMPLED],
    ("baseline_authors", "f1_tuned", "baseline", "f1_tuned"),
    ("baseline_authors", "pr_auc", "baseline", "pr_auc"),
    ("seqgan", "f1", "baseline_authors", "f1"),
    ("seqgan", "f1_tuned", "baseline_authors", "f1_tuned"),
    ("novelty_critic", "f1", "novelty_reconstruction", "f1"),
    ("novelty_critic", "pr_auc", "novelty_reconstruction", "pr_auc"),
]


# Each comparison belongs to a family, tested and Holm-corrected as one table: the
# question it answers. A table that mixes every question would need a correction so
# strict that five seeds could show nothing; one table per question is what a reader
# can check.
FAMILIES = {
    "baseline": "against the baseline with the same classifier (tuned F1, PR AUC)",
    "smote": "against SMOTE with the same classifier, the bar a generator must clear "
    "(tuned F1, PR AUC)",
    "variant": "each variant against the same method without it (tuned F1, PR AUC)",
    "classifier": "the classifier's setting: the same method with the default "
    "classifier (tuned F1, PR AUC)",
    "paper": "between methods, as the paper profile's table pairs them (SeqGAN against "
    "SMOTE; an untuned F1 against the tuned baseline's)",
}


def variant_comparisons(methods: list[str]) -> list[tuple[str, str, str, str, str]]:
    """The tests a method needs, on the tuned F1 and the PR AUC, each with its family:
    against the baseline with the same classifier (its modifiers that are not the
    sampler's), against SMOTE with that classifier (the bar a generator must clear),
    against the same method without its sampler modifiers (does the variant change
    anything) and without its classifier modifiers (does the classifier's setting)."""
    from .runner import METHOD_MODIFIERS  # the runner knows what a modifier sets

    def strip(name: str, keep) -> str:
        base, *mods = name.split("+")
        return "+".join([base, *(m for m in mods if keep(METHOD_MODIFIERS.get(m, {})))])

    tests = []
    for method in methods:
        base, *mods = method.split("+")
        if base.startswith("novelty_") or base == "baseline_authors":
            continue
        classifier_mods = [m for m in mods if "sampler" not in METHOD_MODIFIERS.get(m, {})]
        others = []
        if base != "baseline":
            others.append(("+".join(["baseline", *classifier_mods]), "baseline"))
            if base != "smote" or len(classifier_mods) != len(mods):
                others.append(("+".join(["smote", *classifier_mods]), "smote"))
        without_sampler = strip(method, lambda mod: "sampler" not in mod)
        without_classifier = strip(method, lambda mod: "sampler" in mod)
        if without_sampler != method:
            others.append((without_sampler, "variant"))
        if without_classifier != method:
            others.append((without_classifier, "classifier"))
        for other, family in dict.fromkeys(others):
            for metric in ("f1_tuned", "pr_auc"):
                tests.append((method, metric, other, metric, family))
    return tests


def compare(runs: list[dict], comparisons=None) -> list[dict]:
    """One row per data set and comparison whose both sides ran: the means and the
    paired, unpaired and corrected t-test p-values of A's metric against B's, and its
    family (see ``FAMILIES``). By default the tests :func:`variant_comparisons` gives
    the runs' methods, then the fixed ``COMPARISONS`` not among them."""
    by_key = _by_key(runs)
    if comparisons is None:
        comparisons = variant_comparisons(sorted({r["method"] for r in runs}))
        seen = {c[:4] for c in comparisons}
        comparisons += [(*c, "paper") for c in COMPARISONS if c not in seen]
    rows = []
    for dataset in sorted({r["dataset"] for r in runs}, key=dataset_order):
        ratio = test_train_ratio([r for r in runs if r["dataset"] == dataset])
        for method_a, metric_a, method_b, metric_b, *family in comparisons:
            a = by_seed(by_key.get((dataset, method_a), []), metric_a)
            b = by_seed(by_key.get((dataset, method_b), []), metric_b)
            if not a or not b:
                continue
            rows.append(
                {
                    "dataset": dataset,
                    "family": family[0] if family else "paper",
                    "a": f"{method_a} {metric_a}",
                    "b": f"{method_b} {metric_b}",
                    "a_mean": float(np.mean(list(a.values()))),
                    "b_mean": float(np.mean(list(b.values()))),
                    "n_seeds": f"{len(a)}/{len(b)}",
                    **t_tests(a, b),
                    "p_corrected": corrected_t_test(a, b, ratio),
                }
            )
    return rows


def commits(runs: list[dict]) -> dict[str, int]:
    """How many runs each commit made ("unknown" for runs that did not record one)."""
    counts: dict[str, int] = {}
    for r in runs:
        key = r.get("commit", "unknown") + (" (uncommitted changes)" if r.get("dirty") else "")
        counts[key] = counts.get(key, 0) + 1
    return counts


def check_one_commit(runs: list[dict], allow_mixed: bool = False) -> dict[str, int]:
    """The commits of ``runs``; an error naming them when there are several, unless
    ``allow_mixed``: one table must not mix numbers of different code."""
    found = commits(runs)
    if len({key.split(" ")[0] for key in found}) > 1 and not allow_mixed:
        listed = "; ".join(f"{key}: {n} runs" for key, n in sorted(found.items()))
        raise ValueError(
            f"the runs were made at different commits ({listed}). Rerun them at one "
            "commit in another --out folder, or pass --allow-mixed-commits if the "
            "changes between these commits cannot change the numbers (the report then "
            "lists every commit)."
        )
    return found


def environment_differences(runs: list[dict]) -> str | None:
    """A sentence naming what differs between the runs' recorded environments (library
    versions, CPU, torch threads, ...) with how many runs had each value, or None when
    they agree. Same commit, different environment can still mean different numbers:
    two torch threads sum in another order than one, and training amplifies the last
    bits; the report says so instead of refusing (the code is the same)."""
    recorded = [r["environment"] for r in runs if isinstance(r.get("environment"), dict)]
    keys = sorted({k for env in recorded for k in env})
    parts = []
    for key in keys:
        counts: dict[str, int] = {}
        for env in recorded:
            value = str(env.get(key, "not recorded"))
            counts[value] = counts.get(value, 0) + 1
        if len(counts) > 1:
            listed = ", ".join(f"{v} ({n} runs)" for v, n in sorted(counts.items()))
            parts.append(f"{key}: {listed}")
    unrecorded = len(runs) - len(recorded)
    if recorded and unrecorded:
        parts.append(f"{unrecorded} runs recorded no environment")
    if not parts:
        return None
    return "The runs' environments differ, which can change numbers at one commit: " + (
        "; ".join(parts) + "."
    )


def confusion_difference(runs: list[dict], dataset: str):
    """SeqGAN's confusion matrix minus the baseline's, summed over the seeds both
    ran: (difference, class names, seeds), or (None, None, []) without such seeds."""
    by_method: dict[str, dict[int, dict]] = {"baseline": {}, "seqgan": {}}
    for r in runs:
        if r["dataset"] == dataset and r["method"] in by_method and "confusion" in r:
            by_method[r["method"]][r["seed"]] = r
    base, gan = by_method["baseline"], by_method["seqgan"]
    seeds = sorted(set(base) & set(gan))
    if not seeds:
        return None, None, []
    diff = sum(np.array(gan[s]["confusion"]) - np.array(base[s]["confusion"]) for s in seeds)
    return diff, base[seeds[0]]["classes"], seeds
