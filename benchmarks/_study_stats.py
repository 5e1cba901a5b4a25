"""The study's statistics: the metrics of one run, and their summary over seeds
(mean, standard deviation, paired t-test against the baseline)."""

from __future__ import annotations

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


def summarise(runs: list[dict], method_order: list[str]) -> list[dict]:
    """One row per (data set, method): mean and standard deviation over seeds, the
    paired t-test p-value against the baseline of the same seeds, and fit times."""
    rows = []
    by_key: dict[tuple[str, str], list[dict]] = {}
    for r in runs:
        by_key.setdefault((r["dataset"], r["method"]), []).append(r)
    order = {method: i for i, method in enumerate(method_order)}
    for (dataset, method), group in sorted(
        by_key.items(), key=lambda item: (item[0][0], order.get(item[0][1], len(order)))
    ):
        if "skipped" in group[0]:
            rows.append({"dataset": dataset, "method": method, "note": group[0]["skipped"]})
            continue
        base = {r["seed"]: r for r in by_key.get((dataset, "baseline"), [])}
        row = {"dataset": dataset, "method": method, "n_seeds": len(group)}
        for metric in ("f1", "g_mean", "pr_auc"):
            values = np.array([r[metric] for r in group])
            row[f"{metric}_mean"], row[f"{metric}_std"] = (
                values.mean(),
                values.std(ddof=1) if len(values) > 1 else 0.0,
            )
            paired = [(r[metric], base[r["seed"]][metric]) for r in group if r["seed"] in base]
            if method != "baseline" and len(paired) > 1:
                a, b = np.array(paired).T
                row[f"{metric}_p"] = float(stats.ttest_rel(a, b).pvalue) if np.any(a != b) else 1.0
        base_time = np.mean([r["fit_seconds"] for r in base.values()]) if base else np.nan
        row["fit_seconds"] = float(np.mean([r["fit_seconds"] for r in group]))
        row["time_vs_baseline"] = row["fit_seconds"] / base_time if base else np.nan
        rows.append(row)
    return rows


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
