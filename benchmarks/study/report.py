"""The study's report: tables (Markdown, reStructuredText, CSV) and figures,
rebuilt from whatever runs are saved."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from .stats import (
    FAMILIES,
    FULL_SIZE,
    adjust_by_table,
    check_one_commit,
    compare,
    confusion_difference,
    curve_size,
    dataset_order,
    environment_differences,
    summarise,
)


def caption(runs: list[dict], minority: dict[str, str], found: dict[str, int]) -> str:
    """What the table shows: which class "minority F1" is about, what ± and p are, and
    the commit(s) the runs were made at."""
    seeds = sorted({r["seed"] for r in runs})
    lines = [
        "Minority F1: the F1 score of the minority class (the mean over minority classes "
        "when there are several; for label sequences, over all label positions), on a "
        "stratified 30% test split; the minority class of each data set:"
    ]
    for dataset in sorted({r["dataset"] for r in runs}, key=dataset_order):
        lines.append(f"  {dataset}: {minority_of(dataset, minority)}")
    lines.append(
        f"Mean ± standard deviation over {len(seeds)} seed(s). p (F1): t-tests of "
        "the minority F1 against the baseline's with the same classifier family "
        f"(a +minirocket row against baseline+minirocket): {P_NOTE} tuned F1: the same "
        "method with its decision "
        f"threshold tuned on a validation split of its own training data. {TUNED_NOTE} "
        "fit s: mean fit time in seconds (with the tuning's extra fit where tuned); "
        "time / baseline: its ratio to that baseline's."
    )
    lines.append("Runs made at commit " + "; ".join(f"{c} ({n} runs)" for c, n in found.items()))
    differences = environment_differences(runs)
    if differences:
        lines.append(differences)
    return "\n".join(lines)


P_NOTE = (
    "Student's, paired on the seeds and unpaired (equal variances, as the paper's); "
    "corrected: Nadeau and Bengio's corrected resampled t-test (paired; the seeds are "
    "overlapping random splits, so the plain paired test overstates significance); "
    "Holm: the corrected p after Holm's correction across the tests of its table (the "
    "main table's, or one family of tests between methods). Conclusions are worded by "
    "the Holm column."
)

TUNED_NOTE = (
    "validation F1: the tuned threshold's F1 on that validation split, the only score "
    "a choice between variants may look at (the test split may not). "
    "The threshold is the one with the best minority F1 on a stratified 20% of the "
    "training split, for a model fitted (oversampler included) on the other 80%; "
    "classifiers are then refitted on the whole training split and keep that threshold "
    "(scikit-learn's TunedThresholdClassifierCV), novelty detectors keep their 80% fit "
    "(a critic's scale changes between trainings). n/a for label sequences: a label "
    "sequence is one decision per position, not one threshold."
)


def minority_of(dataset: str, minority: dict[str, str]) -> str:
    n = curve_size(dataset)
    if n is not None:
        return f"{minority['power']}; {n} minority training windows"
    return minority.get(dataset, "the rarest label")


def write_report(
    runs: list[dict],
    out: Path,
    method_order: list[str],
    minority: dict[str, str],
    *,
    allow_mixed_commits: bool = False,
) -> str:
    """Write the tables and figures of ``runs`` into ``out``; return the caption and the
    Markdown tables. Raises ValueError if the runs come from several commits, unless
    ``allow_mixed_commits``."""
    found = check_one_commit(runs, allow_mixed_commits)
    rows = summarise(runs, method_order)
    comparisons = compare(runs)
    adjust_by_table(rows, comparisons)
    lines = [
        "| data set | " + " | ".join(_COLUMNS) + " |",
        "|---" * (len(_COLUMNS) + 1) + "|",
    ]
    for row in rows:
        if "note" in row:
            lines.append(
                f"| {row['dataset']} | {row['method']} | n/a: {row['note']} |"
                + " |" * (len(_COLUMNS) - 2)
            )
            continue
        lines.append(f"| {row['dataset']} | " + " | ".join(_cells(row)) + " |")
    for (dataset, family), tests in _by_family(comparisons):
        lines += [
            "",
            f"{dataset}, tests {FAMILIES[family]} (A's metric against B's; p: {P_NOTE}):",
            "",
            "| " + " | ".join(_COMPARISON_COLUMNS) + " |",
            "|---" * len(_COMPARISON_COLUMNS) + "|",
        ]
        lines += ["| " + " | ".join(_comparison_cells(c)) + " |" for c in tests]
    training = [r for r in rows if "train_f1_real_mean" in r]
    if training:
        lines += ["", TRAINING_CAPTION, "", "| data set | " + " | ".join(TRAINING_COLUMNS) + " |"]
        lines.append("|---" * (len(TRAINING_COLUMNS) + 1) + "|")
        lines += [f"| {r['dataset']} | " + " | ".join(_training_cells(r)) + " |" for r in training]
    text = caption(runs, minority, found) + "\n\n" + "\n".join(lines)
    (out / "results.md").write_text(text.replace("\n  ", "\n- ") + "\n")
    _write_csv(rows, out / "results.csv")
    write_records(runs, out / "runs.csv")
    _write_rst(rows, comparisons, runs, out / "results.inc", minority, found)
    _write_confusion_difference(runs, out)
    _plot_bars(rows, out)
    _plot_tsne(out, {r["dataset"] for r in runs})
    _plot_learning_curve(rows, out)
    return text


def _by_family(comparisons) -> list[tuple[tuple[str, str], list[dict]]]:
    """The comparisons grouped by (data set, family), in the order of ``FAMILIES``."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for c in comparisons:
        groups.setdefault((c["dataset"], c["family"]), []).append(c)
    order = list(FAMILIES)
    return sorted(
        groups.items(), key=lambda item: (dataset_order(item[0][0]), order.index(item[0][1]))
    )


def _p(value: float | None) -> str:
    return "" if value is None else f"{value:.2g}" if value < 0.001 else f"{value:.3f}"


def _cells(row: dict) -> list[str]:
    """The method's cells of the main table."""
    if "f1_tuned_mean" in row:
        tuned = _pct(row, "f1_tuned")
    else:
        tuned = "n/a" if row.get("tuned") else "not run"
    return [
        row["method"],
        _pct(row, "f1"),
        _p(row.get("f1_p")),
        _p(row.get("f1_p_unpaired")),
        _p(row.get("f1_p_corrected")),
        _p(row.get("f1_p_holm")),
        tuned,
        _pct(row, "f1_validation") if "f1_validation_mean" in row else "",
        _pct(row, "g_mean"),
        _pct(row, "pr_auc"),
        f"{row['fit_seconds']:.1f}",
        f"{row['time_vs_baseline']:.2f}",
    ]


def _comparison_cells(c: dict) -> list[str]:
    return [
        c["a"],
        c["b"],
        f"{100 * c['a_mean']:.2f}",
        f"{100 * c['b_mean']:.2f}",
        c["n_seeds"],
        _p(c["p_paired"]),
        _p(c["p_unpaired"]),
        _p(c.get("p_corrected")),
        _p(c.get("p_holm")),
    ]


_COMPARISON_COLUMNS = [
    "A",
    "B",
    "A %",
    "B %",
    "seeds A/B",
    "p paired",
    "p unpaired",
    "p corrected",
    "p Holm",
]


TRAINING_CAPTION = (
    "Training-set scores (the paper's sections 3.1 and 3.2): each oversampler's fitted "
    "ensemble predicts its own training data; recall on the real minority training "
    "sequences and on the synthetic ones, and the minority F1 of each beside the real "
    "majority training sequences (mean ± standard deviation over seeds). Where the runs "
    "measured them, how far the synthetic minority lies from the real one: the "
    "discriminative AUC (out-of-fold ROC AUC of gradient boosting on sequence summaries "
    "told to separate real from synthetic minority training sequences; 50% = "
    "indistinguishable) and the nearest-neighbour ratio (median distance from a "
    "synthetic sequence to its nearest real one over that between real ones; 0 = "
    "copies, about 0.5 = interpolations, above 1 = off the real sequences)."
)
TRAINING_COLUMNS = [
    "method",
    "recall real %",
    "recall synthetic %",
    "F1 real %",
    "F1 synthetic %",
    "discriminative AUC %",
    "NN ratio",
]


def _training_cells(row: dict) -> list[str]:
    cells = [row["method"]] + [
        _pct(row, f"train_{m}_{k}") for m in ("recall", "f1") for k in ("real", "synthetic")
    ]
    cells.append(_pct(row, "discriminative_auc") if "discriminative_auc_mean" in row else "")
    cells.append(
        f"{row['nn_ratio_mean']:.2f} ± {row['nn_ratio_std']:.2f}" if "nn_ratio_mean" in row else ""
    )
    return cells


def _rst_table(header: list[str], body: list[list[str]]) -> list[str]:
    # widths auto: columns as wide as their content, not spread over the page
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: auto", ""]
    for cells in [header, *body]:
        lines += [f"   * - {cells[0]}"] + [f"     - {c}".rstrip() for c in cells[1:]]
    return lines + [""]


_COLUMNS = [
    "method",
    "minority F1 %",
    "p (F1) paired",
    "p (F1) unpaired",
    "p (F1) corrected",
    "p (F1) Holm",
    "tuned F1 %",
    "validation F1 %",
    "G-mean %",
    "PR AUC %",
    "fit s",
    "time / baseline",
]


def _write_rst(
    rows: list[dict],
    comparisons: list[dict],
    runs: list[dict],
    path: Path,
    minority: dict[str, str],
    found: dict,
) -> None:
    """The tables of results.md and confusion_difference.md as reStructuredText,
    one section per data set, for the docs to include (``--publish``)."""
    nbsp = "\u00a0"  # no-break spaces: a narrow page must not wrap "10.36 ± 1.08"
    lines = [
        "Runs made at commit " + "; ".join(f"``{c}`` ({n} runs)" for c, n in found.items()) + ".",
        "",
    ]
    differences = environment_differences(runs)
    if differences:
        lines += [differences, ""]
    for dataset in sorted({r["dataset"] for r in rows}, key=dataset_order):
        group = [r for r in rows if r["dataset"] == dataset]
        seeds = max((r.get("n_seeds", 0) for r in group), default=0)
        n_train = {r.get("n_train") for r in runs if r["dataset"] == dataset} - {None}
        body, notes = [], []
        for row in group:
            if "note" in row:
                # below the table, not in it: a sentence in a column of numbers widens it
                notes.append(f"``{row['method']}`` does not apply here: {row['note']}.")
                continue
            body.append([c.replace(" ", nbsp) if "±" in c else c for c in _cells(row)])
        sizes = "/".join(map(str, sorted(n_train)))
        title = f"{dataset} ({seeds} seeds, {sizes} training sequences)"
        lines += [
            title,
            "~" * len(title),
            "",
            f"Minority F1: the F1 score of {minority_of(dataset, minority)}. "
            f"Mean ± standard deviation over {seeds} seeds; p (F1): t-tests against the "
            f"baseline with the same classifier family: {P_NOTE} tuned F1: the method with "
            "its decision threshold tuned on a "
            f"validation split of its own training data. {TUNED_NOTE} fit s: mean fit time; "
            "time / baseline: its ratio to that baseline's.",
            "",
        ] + _rst_table(_COLUMNS, body)
        if notes:
            lines += [" ".join(notes), ""]
        for (_, family), tests in _by_family(c for c in comparisons if c["dataset"] == dataset):
            lines += [
                f"Tests {FAMILIES[family]}; A's metric against B's, p as above, Holm "
                "across this table:",
                "",
            ] + _rst_table(_COMPARISON_COLUMNS, [_comparison_cells(c) for c in tests])
        training = [r for r in group if "train_f1_real_mean" in r]
        if training:
            lines += [TRAINING_CAPTION, ""] + _rst_table(
                TRAINING_COLUMNS,
                [[c.replace(" ", nbsp) for c in _training_cells(r)] for r in training],
            )
        diff, classes, both = confusion_difference(runs, dataset)
        if diff is not None:
            lines += [
                f"SeqGAN pipeline minus baseline, confusion matrices summed over seeds {both}"
                " (rows: true class, columns: predicted):",
                "",
            ]
            lines += _rst_table(
                ["true / predicted", *classes],
                [[c, *(f"{v:+d}" for v in r)] for c, r in zip(classes, diff, strict=True)],
            )
    path.write_text("\n".join(lines))


def _pct(row: dict, metric: str) -> str:
    return f"{100 * row[f'{metric}_mean']:.2f} ± {100 * row[f'{metric}_std']:.2f}"


# The per-run records published beside a table, one row per (data set, method, seed):
# every metric and the commit, so that every p-value of the table can be recomputed
# from them (``--records FILE``). Lists and dicts are JSON in their cell.
RECORD_COLUMNS = [
    "dataset",
    "method",
    "seed",
    "commit",
    "dirty",
    "environment",
    "f1",
    "f1_tuned",
    "f1_validation",
    "g_mean",
    "pr_auc",
    "fit_seconds",
    "n_train",
    "n_test",
    "n_train_minority",
    "train_recall_real",
    "train_recall_synthetic",
    "train_f1_real",
    "train_f1_synthetic",
    "discriminative_auc",
    "nn_ratio",
    "skipped",
    "confusion",
    "classes",
    "method_changes",
    "settings",
]


def write_records(runs: list[dict], path: Path) -> None:
    """The runs as ``runs.csv`` (see ``RECORD_COLUMNS``)."""
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, RECORD_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for r in sorted(runs, key=lambda r: (r["dataset"], r["method"], r["seed"])):
            writer.writerow(
                {
                    k: json.dumps(v) if isinstance(v, (list, dict, bool)) or v is None else v
                    for k, v in r.items()
                }
            )


def read_records(path: Path) -> list[dict]:
    """The runs of a ``runs.csv`` written by :func:`write_records`."""
    runs = []
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            run = {}
            for key, text in row.items():
                if text == "":
                    continue
                if key in ("dataset", "method", "commit", "skipped"):
                    run[key] = text
                else:
                    run[key] = json.loads(text)
            runs.append(run)
    return runs


def _write_csv(rows: list[dict], path: Path) -> None:
    keys = sorted({k for r in rows for k in r})
    with path.open("w") as fh:
        fh.write(",".join(keys) + "\n")
        for r in rows:
            fh.write(",".join(str(r.get(k, "")) for k in keys) + "\n")


def _write_confusion_difference(runs: list[dict], out: Path) -> None:
    """Table 2 of the paper: the GAN's confusion matrix minus the baseline's, summed
    over the seeds both ran."""
    lines = []
    for dataset in sorted({r["dataset"] for r in runs}, key=dataset_order):
        diff, classes, seeds = confusion_difference(runs, dataset)
        if diff is None:
            continue
        lines += [
            f"### {dataset} (seeds {seeds})",
            "",
            "| true \\ predicted | " + " | ".join(classes) + " |",
            "|---" * (len(classes) + 1) + "|",
        ]
        lines += [
            f"| {c} | " + " | ".join(f"{v:+d}" for v in row) + " |"
            for c, row in zip(classes, diff, strict=True)
        ]
        lines.append("")
    (out / "confusion_difference.md").write_text(
        "SeqGAN pipeline minus baseline, confusion matrices summed over seeds.\n\n"
        + "\n".join(lines)
    )


def _plot_bars(rows: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # the learning curve's data sets have their own figure
    rows = [r for r in rows if "note" not in r and curve_size(r["dataset"]) is None]
    datasets = sorted({r["dataset"] for r in rows}, key=dataset_order)
    if not datasets:
        return
    # at most three panels a row, so that each stays readable on a page
    ncols = min(3, len(datasets))
    nrows = -(-len(datasets) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4 * ncols, 4 * nrows), squeeze=False)
    for ax, dataset in zip(axes.flat, datasets, strict=False):
        group = [r for r in rows if r["dataset"] == dataset]
        means = [100 * r["f1_mean"] for r in group]
        # the table's standard deviation over seeds, not a confidence interval: with two
        # or three seeds a t-interval is wider than the whole scale and says nothing
        stds = [100 * r["f1_std"] for r in group]
        ax.bar(range(len(group)), means, yerr=stds, capsize=3, color="tab:blue")
        ax.set_xticks(range(len(group)), [r["method"] for r in group], rotation=60, ha="right")
        ax.set_title(f"{dataset} ({max(r['n_seeds'] for r in group)} seeds)")
        ax.set_ylabel("minority F1 (%), mean ± std")
        top = max(m + s for m, s in zip(means, stds, strict=True))
        ax.set_ylim(0, min(100, 1.15 * top + 1))  # small F1s stay readable
    for ax in axes.flat[len(datasets) :]:
        ax.set_visible(False)
    fig.tight_layout()
    fig.savefig(out / "f1_bars.png", dpi=120)
    plt.close(fig)


def _plot_tsne(out: Path, datasets: set[str], tsne_seeds: int = 5) -> None:
    """One figure per data set: the real and synthetic minority of training seed 0,
    embedded by t-SNE with 5 random seeds, one panel each, as the paper's Appendix
    C.1 does (t-SNE embeddings vary from run to run)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.manifold import TSNE

    for dataset in sorted(datasets):
        path = out / f"tsne_input_{dataset}.npz"
        figure = out / f"tsne_{dataset}.png"
        if not path.exists():
            continue
        if figure.exists() and figure.stat().st_mtime >= path.stat().st_mtime:
            # its input is seed 0's, saved once: a report rebuilt as a study resumes
            # would spend minutes on the same five embeddings
            continue
        data = np.load(path)
        features, synthetic = data["features"], data["synthetic"]
        fig, axes = plt.subplots(1, tsne_seeds, figsize=(3.2 * tsne_seeds, 3.6))
        for tsne_seed, ax in enumerate(axes):
            # a random start, as in the paper's day: the default PCA start gives the
            # same embedding whatever the seed
            embedded = TSNE(
                perplexity=min(30, len(features) - 1), init="random", random_state=tsne_seed
            ).fit_transform(features)
            # both semi-transparent, the real ones on top: neither hides the other
            ax.scatter(*embedded[synthetic].T, s=6, alpha=0.3, label="synthetic minority")
            ax.scatter(*embedded[~synthetic].T, s=8, alpha=0.6, label="real minority")
            ax.set_title(f"t-SNE seed {tsne_seed}")
            ax.set_xticks([])
            ax.set_yticks([])
        # the legend below the panels, where it hides no point
        handles, labels = axes[0].get_legend_handles_labels()
        legend = fig.legend(handles, labels, loc="lower center", ncol=2, markerscale=2)
        for handle in legend.legend_handles:
            handle.set_alpha(1)
        # the runner saves the t-SNE input of SeqGAN's runs only (save_tsne_input)
        fig.suptitle(
            f"{dataset}: SeqGANOverSampler's synthetic minority against the real minority "
            "(training sequences of seed 0)"
        )
        fig.tight_layout(rect=(0, 0.08, 1, 1))
        fig.savefig(figure, dpi=100)
        plt.close(fig)


def _plot_learning_curve(rows: list[dict], out: Path) -> None:
    """Minority F1 and PR AUC against the number of minority training windows, one
    line per method, error bars one standard deviation over the seeds; Power at full
    size, where reported beside the curve's points, is its last point."""
    points = [r for r in rows if "note" not in r and curve_size(r["dataset"]) is not None]
    if not points:
        return
    full = [r for r in rows if "note" not in r and r["dataset"] == FULL_SIZE]
    rows = points + full

    def x(row: dict) -> int:
        return curve_size(row["dataset"]) or round(row["n_train_minority"])

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    methods = list(dict.fromkeys(r["method"] for r in rows))
    for ax, metric, label in zip(
        axes, ("f1", "pr_auc"), ("minority F1 (%)", "PR AUC (%)"), strict=True
    ):
        for method in methods:
            group = sorted((r for r in rows if r["method"] == method), key=x)
            line = ax.errorbar(
                [x(r) for r in group],
                [100 * r[f"{metric}_mean"] for r in group],
                yerr=[100 * r[f"{metric}_std"] for r in group],
                marker="o",
                capsize=3,
                label=method,
            )
            tuned = [r for r in group if "f1_tuned_mean" in r]
            if metric == "f1" and tuned:
                # where the runs tuned a threshold (the full-size point): an oversampler
                # pays only above its baseline's tuned F1
                ax.errorbar(
                    [x(r) for r in tuned],
                    [100 * r["f1_tuned_mean"] for r in tuned],
                    yerr=[100 * r["f1_tuned_std"] for r in tuned],
                    marker="D",
                    markerfacecolor="none",
                    linestyle="none",
                    capsize=3,
                    color=line[0].get_color(),
                    label=f"{method}, threshold tuned",
                )
        ax.set_xscale("log")
        # the curve's points as plain numbers, not powers of ten
        sizes = sorted({x(r) for r in points})
        labels = [f"{n:,}" for n in sizes]
        if full:
            sizes.append(x(full[0]))
            labels.append(f"{sizes[-1]:,}\n(all)")
        # small enough that 1,000 and the full size's 1,427 do not overlap on a log axis
        ax.set_xticks(sizes, labels, fontsize=8)
        ax.minorticks_off()
        ax.set_xlabel("minority training windows")
        ax.set_ylabel(f"{label}, mean ± std")
    axes[0].legend(fontsize=8)
    seeds = max(r["n_seeds"] for r in rows)
    fig.suptitle(f"Power: learning curve ({seeds} seeds; error bars: standard deviation)")
    fig.tight_layout()
    fig.savefig(out / "learning_curve.png", dpi=120)
    plt.close(fig)
