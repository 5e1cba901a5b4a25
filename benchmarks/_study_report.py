"""The study's report: tables (Markdown, reStructuredText, CSV) and figures,
rebuilt from whatever runs are saved."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from _study_stats import confusion_difference, summarise


def caption(runs: list[dict], minority: dict[str, str]) -> str:
    """What the table shows: which class "minority F1" is about, and what ± and p are."""
    seeds = sorted({r["seed"] for r in runs})
    lines = [
        "Minority F1: the F1 score of the minority class (the mean over minority classes "
        "when there are several; for label sequences, over all label positions), on a "
        "stratified 30% test split; the minority class of each data set:"
    ]
    for dataset in sorted({r["dataset"] for r in runs}):
        lines.append(f"  {dataset}: {minority.get(dataset, 'the rarest label')}")
    lines.append(
        f"Mean ± standard deviation over {len(seeds)} seed(s); p (F1): paired t-test of the "
        "minority F1 against the baseline of the same seeds; fit s: mean fit time in "
        "seconds; time / baseline: its ratio to the baseline's."
    )
    return "\n".join(lines)


def write_report(
    runs: list[dict], out: Path, method_order: list[str], minority: dict[str, str]
) -> str:
    """Write the tables and figures of ``runs`` into ``out``; return the caption and the
    Markdown table."""
    rows = summarise(runs, method_order)
    lines = [
        "| data set | method | minority F1 % | p (F1) | G-mean % | PR AUC % | fit s "
        "| time / baseline |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "note" in row:
            lines.append(f"| {row['dataset']} | {row['method']} | n/a: {row['note']} | | | | | |")
            continue
        p = row.get("f1_p")
        lines.append(
            f"| {row['dataset']} | {row['method']} | {_pct(row, 'f1')} | "
            f"{'' if p is None else f'{p:.3f}'} | {_pct(row, 'g_mean')} | {_pct(row, 'pr_auc')} | "
            f"{row['fit_seconds']:.1f} | {row['time_vs_baseline']:.2f} |"
        )
    text = caption(runs, minority) + "\n\n" + "\n".join(lines)
    (out / "results.md").write_text(text.replace("\n  ", "\n- ") + "\n")
    _write_csv(rows, out / "results.csv")
    _write_rst(rows, runs, out / "results.inc", minority)
    _write_confusion_difference(runs, out)
    _plot_bars(rows, out)
    _plot_tsne(out)
    return text


_COLUMNS = [
    "method",
    "minority F1 %",
    "p (F1)",
    "G-mean %",
    "PR AUC %",
    "fit s",
    "time / baseline",
]


def _rst_table(header: list[str], body: list[list[str]]) -> list[str]:
    # widths auto: columns as wide as their content, not spread over the page
    lines = [".. list-table::", "   :header-rows: 1", "   :widths: auto", ""]
    for cells in [header, *body]:
        lines += [f"   * - {cells[0]}"] + [f"     - {c}".rstrip() for c in cells[1:]]
    return lines + [""]


def _write_rst(rows: list[dict], runs: list[dict], path: Path, minority: dict[str, str]) -> None:
    """The tables of results.md and confusion_difference.md as reStructuredText,
    one section per data set, for the docs to include (``--publish``)."""
    lines = []
    for dataset in sorted({r["dataset"] for r in rows}):
        group = [r for r in rows if r["dataset"] == dataset]
        seeds = max((r.get("n_seeds", 0) for r in group), default=0)
        n_train = {r.get("n_train") for r in runs if r["dataset"] == dataset} - {None}
        body, notes = [], []
        for row in group:
            if "note" in row:
                # below the table, not in it: a sentence in a column of numbers widens it
                notes.append(f"``{row['method']}`` does not apply here: {row['note']}.")
                continue
            p = row.get("f1_p")
            body.append(
                [
                    row["method"],
                    # no-break spaces: a narrow page must not wrap "10.36 ± 1.08"
                    _pct(row, "f1").replace(" ", "\u00a0"),
                    "" if p is None else f"{p:.3f}",
                    _pct(row, "g_mean").replace(" ", "\u00a0"),
                    _pct(row, "pr_auc").replace(" ", "\u00a0"),
                    f"{row['fit_seconds']:.1f}",
                    f"{row['time_vs_baseline']:.2f}",
                ]
            )
        sizes = "/".join(map(str, sorted(n_train)))
        title = f"{dataset} ({seeds} seeds, {sizes} training sequences)"
        lines += [
            title,
            "~" * len(title),
            "",
            f"Minority F1: the F1 score of {minority.get(dataset, 'the rarest label')}. "
            f"Mean ± standard deviation over {seeds} seeds; p (F1): paired t-test against "
            "the baseline of the same seeds; fit s: mean fit time; time / baseline: its "
            "ratio to the baseline's.",
            "",
        ] + _rst_table(_COLUMNS, body)
        if notes:
            lines += [" ".join(notes), ""]
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
    for dataset in sorted({r["dataset"] for r in runs}):
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

    rows = [r for r in rows if "note" not in r]
    datasets = sorted({r["dataset"] for r in rows})
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


def _plot_tsne(out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.manifold import TSNE

    for path in sorted(out.glob("tsne_input_*.npz")):
        data = np.load(path)
        features, synthetic = data["features"], data["synthetic"]
        embedded = TSNE(perplexity=min(30, len(features) - 1), random_state=0).fit_transform(
            features
        )
        fig, ax = plt.subplots(figsize=(5, 5))
        ax.scatter(*embedded[synthetic].T, s=8, alpha=0.5, label="synthetic minority")
        ax.scatter(*embedded[~synthetic].T, s=12, label="real minority")
        ax.legend()
        ax.set_title(path.stem.removeprefix("tsne_input_"))
        fig.savefig(out / f"{path.stem.replace('tsne_input', 'tsne')}.png", dpi=120)
        plt.close(fig)


# --- command line -------------------------------------------------------------
