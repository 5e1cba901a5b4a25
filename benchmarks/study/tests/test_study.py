"""The study's statistics, report and bookkeeping (benchmarks/study/), without training:
the paper's own numbers for the t-tests, synthetic run records for the rest."""

import importlib.util
import json
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

from benchmarks.study.__main__ import main as study_main
from benchmarks.study.report import (
    read_records,
    write_records,
    write_report,
)
from benchmarks.study.runner import (
    METHOD_MODIFIERS,
    PROFILES,
    best_f1_threshold,
    make_method,
    parse_method,
    pending_jobs,
    run_path,
    split,
)
from benchmarks.study.stats import (
    adjust_by_table,
    check_one_commit,
    compare,
    corrected_t_test,
    holm,
    summarise,
    t_tests,
    variant_comparisons,
)

# The paper's Table 1 (medical data set), test F1 % of runs 0-4
TABLE_1 = {
    "baseline": [0.79, 1.77, 1.28, 1.29, 0.68],
    "seqgan": [2.02, 3.15, 2.06, 1.72, 1.79],
    "novelty_critic": [0.50, 0.50, 0.32, 0.50, 0.50],
    "novelty_reconstruction": [1.27, 1.14, 1.26, 1.00, 1.17],
}


def _runs(columns, commit="a" * 40, **extra):
    return [
        {
            "dataset": "medical",
            "method": method,
            "seed": seed,
            "f1": value / 100,
            "g_mean": 0.5,
            "pr_auc": 0.5,
            "fit_seconds": 1.0,
            "commit": commit,
            "dirty": False,
            **extra,
        }
        for method, values in columns.items()
        for seed, value in enumerate(values)
    ]


def test_unpaired_test_of_table_1_novelty_columns_gives_the_papers_p():
    """The paper's p = 2.8e-6 between its two novelty detectors is an unpaired Student
    t-test; the paired one on the same numbers is 6.5e-4."""
    row = next(
        c
        for c in compare(_runs(TABLE_1))
        if c["a"] == "novelty_critic f1" and c["b"] == "novelty_reconstruction f1"
    )
    assert f"{row['p_unpaired']:.1e}" == "2.8e-06"
    assert f"{row['p_paired']:.1e}" == "6.5e-04"


def test_summary_reports_paired_and_unpaired_tests_against_the_baseline():
    rows = {r["method"]: r for r in summarise(_runs(TABLE_1), list(TABLE_1))}
    assert "f1_p" not in rows["baseline"]
    assert rows["seqgan"]["f1_p"] == pytest.approx(0.00445, abs=1e-5)
    assert rows["seqgan"]["f1_p_unpaired"] == pytest.approx(0.0162, abs=1e-4)


def test_main_table_tests_each_row_against_the_baseline_of_its_classifier_family():
    """A MiniRocket row faces MiniRocket's baseline (against the Seq2Seq ensemble's it
    would test the classifier, not the sampler); a Seq2Seq setting such as
    +unweighted faces the default baseline, and a row whose family baseline did not
    run gets no test rather than one against another family."""
    columns = {
        "baseline": [1.0, 1.2, 1.1],
        "baseline+unweighted": [3.0, 3.3, 3.1],
        "baseline+minirocket": [5.0, 5.1, 5.3],
        "smote+minirocket": [5.0, 5.2, 5.2],
    }
    runs = _runs(columns)
    for r in runs:  # MiniRocket's rows take a quarter of the ensemble's time
        r["fit_seconds"] = 0.25 if r["method"].endswith("minirocket") else 1.0
    rows = {r["method"]: r for r in summarise(runs, list(columns))}
    mine, theirs = columns["smote+minirocket"], columns["baseline+minirocket"]
    expected = t_tests(dict(enumerate(mine)), dict(enumerate(theirs)))["p_paired"]
    assert rows["smote+minirocket"]["f1_p"] == pytest.approx(expected)
    assert rows["smote+minirocket"]["f1_p"] > 0.5  # against "baseline" it would be < 0.01
    assert rows["baseline+unweighted"]["f1_p"] < 0.01
    assert "f1_p" not in rows["baseline+minirocket"]
    assert rows["smote+minirocket"]["time_vs_baseline"] == pytest.approx(1.0)
    alone = {r["method"]: r for r in summarise(_runs({"smote+minirocket": mine}), [])}
    assert "f1_p" not in alone["smote+minirocket"]


def test_oversamplers_pr_auc_is_tested_against_the_baselines():
    """PR AUC does not depend on a threshold, so the baseline's PR AUC is also the
    tuned baseline's: each oversampler's is tested against it."""
    runs = _runs({"baseline": [1, 2, 3], "seqgan": [1, 2, 3], "smote": [1, 2, 3]})
    level = {"baseline": 0.10, "seqgan": 0.08, "smote": 0.11}
    for r in runs:
        r["pr_auc"] = level[r["method"]] + r["seed"] / 100
    tested = {(c["a"], c["b"]): c for c in compare(runs)}
    assert tested[("seqgan pr_auc", "baseline pr_auc")]["a_mean"] == pytest.approx(0.09)
    assert tested[("smote pr_auc", "baseline pr_auc")]["b_mean"] == pytest.approx(0.11)


def test_every_oversampler_and_the_authors_baseline_face_the_tuned_baseline():
    """An oversampler counts only if it beats a tuned threshold: each one's tuned F1
    is tested against the tuned baseline's, whichever of them ran."""
    methods = ["baseline", "baseline_authors", "adasyn", "latent_adasyn"]
    runs = _runs({m: [1, 2, 3] for m in methods})
    for r in runs:
        r["f1_tuned"] = 0.2 + methods.index(r["method"]) / 100 + r["seed"] / 1000
    tested = {(c["a"], c["b"]): c for c in compare(runs)}
    for method in methods[1:]:
        row = tested[(f"{method} f1_tuned", "baseline f1_tuned")]
        assert row["a_mean"] - row["b_mean"] == pytest.approx(methods.index(method) / 100)
    assert ("seqgan f1_tuned", "baseline f1_tuned") not in tested


def test_report_refuses_runs_of_two_commits(tmp_path):
    runs = _runs({"baseline": [1, 2]}) + _runs({"seqgan": [3, 4]}, commit="b" * 40)
    with pytest.raises(ValueError, match="different commits.*--allow-mixed-commits"):
        write_report(runs, tmp_path, ["baseline", "seqgan"], {})
    assert not (tmp_path / "results.md").exists()
    # runs without a recorded commit (older runs) are not mixed in either
    with pytest.raises(ValueError, match="unknown: 2 runs"):
        check_one_commit(_runs({"baseline": [1, 2]}) + [{"seed": 0}, {"seed": 1}])
    found = check_one_commit(runs, allow_mixed=True)
    assert found == {"a" * 40: 2, "b" * 40: 2}


def test_report_names_the_commit_and_tuned_column(tmp_path):
    runs = _runs(TABLE_1, f1_tuned=0.02)
    text = write_report(runs, tmp_path, list(TABLE_1), {})
    assert f"Runs made at commit {'a' * 40} (20 runs)" in text
    # no training and test sizes recorded: no corrected test, so no Holm either
    assert "| medical | seqgan | 2.15 ± 0.58 | 0.004 | 0.016 |  |  | 2.00 ± 0.00 |" in text
    assert "| novelty_critic f1 | novelty_reconstruction f1 |" in text
    assert f"``{'a' * 40}`` (20 runs)" in (tmp_path / "results.inc").read_text()


def test_best_f1_threshold_separates_when_it_can():
    y = np.array([0, 0, 0, 1, 1])
    assert best_f1_threshold(y, np.array([0.1, 0.2, 0.3, 0.8, 0.9])) == 0.8


def test_learning_curve_split_keeps_n_minority_and_the_ratio():
    y = np.r_[np.zeros(980, int), np.ones(20, int)]
    train, test = split("power_min10", y, seed=0)
    full_train, full_test = split("power", y, seed=0)
    np.testing.assert_array_equal(test, full_test)  # one test split for every point
    assert set(train) <= set(full_train)
    assert y[train].sum() == 10 and len(train) == 10 + round(10 * 686 / 14)
    with pytest.raises(
        ValueError,
        match="needs 15 minority training windows; the training split holds 14",
    ):
        split("power_min15", y, seed=0)


def test_t_tests_without_spread_give_no_p_value_and_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # a constant, non-zero difference has no variance: no t statistic, no p-value
        assert t_tests({0: 0.1, 1: 0.2}, {0: 0.2, 1: 0.3})["p_paired"] is None
        # both samples constant and apart: the pooled test cannot be made either
        assert t_tests({0: 0.1, 1: 0.1}, {0: 0.3, 1: 0.3})["p_unpaired"] is None
        # one constant sample is fine for the pooled test
        p = t_tests({0: 0.02, 1: 0.03, 2: 0.025}, {0: 0.02, 1: 0.02, 2: 0.02})["p_unpaired"]
        assert 0 < p < 1
        assert t_tests({0: 0.5, 1: 0.5}, {0: 0.5, 1: 0.5}) == {"p_paired": 1.0, "p_unpaired": 1.0}


def test_report_redraws_the_tsne_only_when_its_input_changed(tmp_path):
    """The t-SNE input (seed 0's real and synthetic minority) is saved once per study;
    a report rebuilt as the study resumes keeps the figure instead of embedding again."""
    rng = np.random.default_rng(0)
    data = tmp_path / "tsne_input_medical.npz"
    np.savez_compressed(data, features=rng.normal(size=(12, 4)), synthetic=np.arange(12) >= 6)
    # a data set of the folder that this report leaves out (a partly run curve point)
    np.savez_compressed(
        tmp_path / "tsne_input_other.npz", features=np.zeros((12, 4)), synthetic=np.arange(12) >= 6
    )
    runs = _runs({"baseline": [1, 2]})
    write_report(runs, tmp_path, ["baseline"], {})
    assert not (tmp_path / "tsne_other.png").exists()
    figure = tmp_path / "tsne_medical.png"
    drawn = figure.stat().st_mtime_ns
    write_report(runs, tmp_path, ["baseline"], {})
    assert figure.stat().st_mtime_ns == drawn
    np.savez_compressed(data, features=rng.normal(size=(12, 4)), synthetic=np.arange(12) >= 6)
    later = drawn + 10**9
    os.utime(data, ns=(later, later))
    write_report(runs, tmp_path, ["baseline"], {})
    assert figure.stat().st_mtime_ns > drawn


def test_learning_curve_points_are_reported_in_their_numeric_order():
    runs = [
        {**r, "dataset": f"power_min{n}"}
        for n in (500, 50, 150)
        for r in _runs({"baseline": [1, 2], "seqgan": [2, 3]})
    ]
    rows = summarise(runs, ["baseline", "seqgan"])
    assert [r["dataset"] for r in rows[::2]] == ["power_min50", "power_min150", "power_min500"]
    # SeqGAN's PR AUC against the baseline's, point by point
    assert [c["dataset"] for c in compare(runs)] == ["power_min50", "power_min150", "power_min500"]


def test_curve_reports_the_paper_runs_at_full_size_as_its_last_point(tmp_path, capsys):
    """The learning curve's last point is Power's whole training split: the paper
    profile's runs of the same pipelines, read from their folder, not trained twice."""
    from benchmarks.study import __main__ as study
    from benchmarks.study.runner import PROFILES

    curve, paper = tmp_path / "curve", tmp_path / "paper"
    settings = PROFILES["curve"].settings()

    def save(folder, dataset, n_minority, **changed):
        (folder / "runs").mkdir(parents=True, exist_ok=True)
        for r in _runs(
            {"baseline": [10, 11], "seqgan": [12, 14]},
            n_train_minority=n_minority,
            settings={**settings, **changed},
        ):
            name = f"{dataset}__{r['method']}__{r['seed']}.json"
            (folder / "runs" / name).write_text(json.dumps({**r, "dataset": dataset}))

    save(curve, "power_min50", 50)
    save(curve, "power_min150", 150)
    command = ["--profile", "curve", "--curve-points", "50", "150", "--report-only"]
    command += ["--out", str(curve), "--full-size-runs", str(paper)]
    study.main(command)
    assert "holds no runs of Power at full size" in capsys.readouterr().err
    # the paper profile's runs tune a threshold too: that adds a column, nothing else
    save(paper, "power", 1427, tune_threshold=True)
    study.main(command)
    report = capsys.readouterr().out
    # after the curve's points, as its last one
    assert report.index("| power_min150 | seqgan |") < report.index(
        "| power | seqgan | 13.00 ± 1.41 |"
    )
    assert (curve / "learning_curve.png").exists()
    # runs made with other settings are not the same curve's point
    save(paper, "power", 1427, tune_threshold=True, n_estimators=3)
    with pytest.raises(SystemExit):
        study.main(command)
    assert "cannot be the full-size point of the same curve" in capsys.readouterr().err


def test_compare_folders_pairs_a_variant_with_the_first_folders_runs(tmp_path, capsys):
    """A settings variant saved in its own --out folder is tested seed by seed against
    the runs of another folder, and the settings that differ are named."""
    from benchmarks.study import compare_folders

    for folder, values, steps in (("long", [3, 4, 6], 3000), ("short", [1, 2, 3], None)):
        (tmp_path / folder / "runs").mkdir(parents=True)
        for r in _runs({"seqgan": values}, n_train=700, n_test=300):
            r["settings"] = {"gan": {"max_steps": steps} if steps else {}}
            path = tmp_path / folder / "runs" / f"{r['dataset']}__seqgan__{r['seed']}.json"
            path.write_text(json.dumps(r))
    args = [str(tmp_path / "long"), str(tmp_path / "short"), "--dataset", "medical"]
    compare_folders.main([*args, "--method", "seqgan", "--metrics", "f1"])
    out = capsys.readouterr().out
    assert "settings differ: gan: A {'max_steps': 3000} | B {}" in out
    p = t_tests({0: 3, 1: 4, 2: 6}, {0: 1, 1: 2, 2: 3})
    corrected = corrected_t_test({0: 3, 1: 4, 2: 6}, {0: 1, 1: 2, 2: 3}, 300 / 700)
    assert corrected > p["p_paired"]
    assert (
        f"f1: 4.33 ± 1.53 | 2.00 ± 1.00 | {p['p_paired']:.2g} | {p['p_unpaired']:.2g} | "
        f"{corrected:.2g}"
    ) in out
    with pytest.raises(SystemExit, match="no run of 'smote' on 'medical'"):
        compare_folders.main([*args, "--method", "smote"])


def test_corrected_resampled_t_test_is_nadeau_and_bengios():
    a = {0: 0.19, 1: 0.20, 2: 0.17, 3: 0.21, 4: 0.18}
    b = {0: 0.17, 1: 0.19, 2: 0.16, 3: 0.18, 4: 0.18}
    d = np.array([a[s] - b[s] for s in a])
    ratio = 0.3 / 0.7
    t = d.mean() / np.sqrt((1 / 5 + ratio) * d.var(ddof=1))
    from scipy import stats

    assert corrected_t_test(a, b, ratio) == pytest.approx(2 * stats.t.sf(t, 4))
    # always more conservative than the plain paired test
    assert corrected_t_test(a, b, ratio) > t_tests(a, b)["p_paired"]
    assert corrected_t_test(a, a, ratio) == 1.0
    assert corrected_t_test(a, b, None) is None
    assert corrected_t_test({0: 1.0}, {0: 0.0}, ratio) is None


def test_corrected_p_from_a_published_paired_p_matches_the_test_on_the_runs():
    from benchmarks.study.recorrect import corrected_from_paired

    a = {0: 0.19, 1: 0.20, 2: 0.17, 3: 0.21, 4: 0.18}
    b = {0: 0.17, 1: 0.19, 2: 0.16, 3: 0.18, 4: 0.18}
    ratio = 0.3 / 0.7
    paired = t_tests(a, b)["p_paired"]
    assert corrected_from_paired(paired, 5, ratio) == pytest.approx(corrected_t_test(a, b, ratio))


def test_holm_adjusts_a_family_and_skips_missing_tests():
    assert holm([0.01, None, 0.04, 0.03]) == pytest.approx([0.03, None, 0.06, 0.06])
    assert holm([0.5, 0.9]) == [1.0, 1.0]
    assert holm([None]) == [None]


def test_report_corrects_and_adjusts_with_the_recorded_split_sizes(tmp_path):
    runs = _runs(TABLE_1, f1_tuned=0.02, n_train=700, n_test=300)
    rows = summarise(runs, list(TABLE_1))
    comparisons = compare(runs)
    adjust_by_table(rows, comparisons)
    seqgan = next(r for r in rows if r["method"] == "seqgan")
    assert seqgan["f1_p"] < seqgan["f1_p_corrected"] <= seqgan["f1_p_holm"]
    main = holm([r.get("f1_p_corrected") for r in rows])
    assert [r.get("f1_p_holm") for r in rows] == main
    paper = [c for c in comparisons if c["family"] == "paper"]
    assert [c["p_holm"] for c in paper] == holm([c["p_corrected"] for c in paper])


def test_published_records_rebuild_the_same_report(tmp_path):
    runs = _runs(
        TABLE_1,
        f1_tuned=0.02,
        n_train=700,
        n_test=300,
        confusion=[[1, 2], [3, 4]],
        classes=["0", "1"],
    )
    runs[0]["method_changes"] = {"classifier": {"class_weight": None}}
    write_records(runs, tmp_path / "runs.csv")
    back = read_records(tmp_path / "runs.csv")
    assert back[0].keys() >= {"dataset", "method", "seed", "commit", "f1", "confusion"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    original = write_report(runs, tmp_path / "a", list(TABLE_1), {})
    again = write_report(back, tmp_path / "b", list(TABLE_1), {})
    assert again == original


def test_variants_face_the_baseline_smote_and_their_plain_method():
    pairs = variant_comparisons(["seqgan+change+unweighted", "augment+minirocket"])
    sides = {(a, b) for a, _, b, _, _ in pairs}
    assert ("seqgan+change+unweighted", "baseline+unweighted") in sides
    assert ("seqgan+change+unweighted", "smote+unweighted") in sides
    assert ("seqgan+change+unweighted", "seqgan+unweighted") in sides
    assert ("seqgan+change+unweighted", "seqgan+change") in sides
    assert ("augment+minirocket", "smote+minirocket") in sides
    assert {m for _, m, _, _, _ in pairs} == {"f1_tuned", "pr_auc"}
    families = {(b, family) for _, _, b, _, family in pairs}
    assert ("smote+unweighted", "smote") in families
    assert ("seqgan+unweighted", "variant") in families
    assert ("seqgan+change", "classifier") in families
    assert parse_method("seqgan+change+unweighted") == (
        "seqgan",
        {"class_weight": None},
        {"decode": "change"},
        "seq2seq",
    )
    with pytest.raises(ValueError, match="unknown modifier 'bogus'"):
        parse_method("seqgan+bogus")
    with pytest.raises(ValueError, match="no oversampler to modify"):
        parse_method("baseline+change")


@pytest.mark.parametrize("modifier", sorted(METHOD_MODIFIERS))
def test_every_modifier_builds_a_seqgan_method(modifier):
    """Each "+modifier" reaches a buildable method (``seqgan+ratio1`` once passed
    ``n_per_sample`` twice and failed only when the study ran it)."""
    if METHOD_MODIFIERS[modifier].get("family") == "minirocket":
        pytest.importorskip("aeon", reason="MiniRocket's rows need aeon")
    if modifier == "allclasses":  # LatentADASYN's parameters
        with pytest.raises(ValueError, match="SeqGANOverSampler has no parameter autoenc"):
            make_method("seqgan+allclasses", PROFILES["variants"], 0, False)
        pipeline = make_method("latent_adasyn+allclasses", PROFILES["variants"], 0, False)
        assert pipeline.named_steps["sampler"].sampler.autoencoder_classes == "all"
        return
    pipeline = make_method(f"seqgan+{modifier}", PROFILES["variants"], 0, False)
    assert list(pipeline.named_steps)[-2:] == ["sampler", "bag"]
    sampler = pipeline.named_steps["sampler"].sampler
    expected = METHOD_MODIFIERS[modifier].get("sampler", {}).get("n_per_sample", 3)
    assert sampler.n_per_sample == expected


@pytest.mark.parametrize("base", ["smote", "adasyn", "random_over", "augment", "latent_adasyn"])
@pytest.mark.parametrize(("modifier", "k"), [("", 3), ("+ratio1", 1), ("+ratio10", 10)])
def test_ratio_modifiers_set_every_samplers_amount(base, modifier, k):
    pipeline = make_method(base + modifier, PROFILES["variants"], 0, False)
    strategy = pipeline.named_steps["sampler"].sampler.sampling_strategy
    y = np.array([0] * 50 + [1] * 5 + [2] * 2)
    assert strategy(y) == {1: 5 * (k + 1), 2: 2 * (k + 1)}


def test_pending_jobs_skip_saved_runs_and_start_each_seeds_costliest_first(tmp_path):
    (tmp_path / "runs").mkdir()
    profile = PROFILES["quick"]
    saved = {("power", "baseline", 0): 100.0, ("power", "seqgan", 0): 900.0}
    for (dataset, method, seed), seconds in saved.items():
        record = {
            "dataset": dataset,
            "method": method,
            "seed": seed,
            "fit_seconds": seconds,
            "settings": profile.settings(),
        }
        run_path(tmp_path, dataset, method, seed).write_text(json.dumps(record))
    methods = ["baseline", "smote", "seqgan"]
    jobs = [("power", m, s) for s in range(2) for m in methods]

    todo = pending_jobs(tmp_path, jobs, profile)

    # seed 0's saved runs are gone; smote has no saved run, so it counts as the
    # costliest; then seqgan (900 s) before baseline (100 s); seed 1 only after seed 0
    assert todo == [
        ("power", "smote", 0),
        ("power", "smote", 1),
        ("power", "seqgan", 1),
        ("power", "baseline", 1),
    ]
    assert pending_jobs(tmp_path / "elsewhere", jobs[:2], profile) == jobs[:2]
    # a saved run of another scale is refused before anything trains
    with pytest.raises(ValueError, match="another --out folder"):
        pending_jobs(tmp_path, jobs, PROFILES["variants"])


def test_runs_record_their_environment_and_the_report_names_differences(tmp_path):
    # the environment is what besides the commit can change the numbers: two runs of
    # one commit on other threads or another processor may differ in the last digits
    from benchmarks.study.runner import environment

    env = environment()
    assert env["torch_threads"] >= 1 and env["torch"] and env["processor"]
    json.dumps(env)  # saved in the run's JSON file and in runs.csv

    runs = _runs({"baseline": [1, 2], "seqgan": [3, 4]}, environment=env)
    text = write_report(runs, _folder(tmp_path, "same"), ["baseline", "seqgan"], {})
    assert "environments differ" not in text  # one environment: the caption is unchanged

    runs[-1] = {**runs[-1], "environment": {**env, "torch_threads": 99}}
    text = write_report(runs, _folder(tmp_path, "two"), ["baseline", "seqgan"], {})
    named = text.split("torch_threads: ")[1].split(";")[0].split(".")[0]
    assert sorted(named.split(", ")) == sorted([f"{env['torch_threads']} (3 runs)", "99 (1 runs)"])
    assert "environments differ" in (tmp_path / "two" / "results.inc").read_text()
    written = tmp_path / "runs.csv"
    write_records(runs, written)
    assert read_records(written)[-1]["environment"]["torch_threads"] == 99

    # older runs recorded none: said, not taken for agreement
    del runs[0]["environment"]
    text = write_report(runs, _folder(tmp_path, "old"), ["baseline", "seqgan"], {})
    assert "1 runs recorded no environment" in text


def _folder(root, name):
    (root / name).mkdir()
    return root / name


def test_scaled_modifier_standardises_the_input_before_sampler_and_baseline(tmp_path):
    from benchmarks.study.runner import training_scores
    from benchmarks.study.stats import main_baseline
    from imblearn_seqgan.preprocessing import SequenceStandardScaler

    baseline = make_method("baseline+scaled", PROFILES["variants"], 0, False)
    assert list(baseline.named_steps) == ["scale", "bag"]
    assert isinstance(baseline.named_steps["scale"], SequenceStandardScaler)
    assert not hasattr(make_method("baseline", PROFILES["variants"], 0, False), "named_steps")
    smote = make_method("smote+scaled+epochs10", PROFILES["variants"], 0, False)
    assert list(smote.named_steps) == ["scale", "sampler", "bag"]
    assert smote.named_steps["bag"].estimator.max_epochs == 10
    # a sampler with scaled input is tested against the baseline with scaled input;
    # the classifier's settings keep the plain baseline (the class-weight table's way)
    assert main_baseline("seqgan+scaled") == "baseline+scaled"
    assert main_baseline("seqgan+scaled+unweighted") == "baseline+scaled"
    pairs = {(a, b) for a, _, b, _, _ in variant_comparisons(["seqgan+scaled"])}
    assert {("seqgan+scaled", "smote+scaled"), ("seqgan+scaled", "seqgan")} <= pairs

    # the training scores predict the resampled data with the steps after the sampler
    # (scaling it again would score other windows than the members learned)
    rng = np.random.RandomState(0)
    X = rng.normal(240, 5, size=(60, 6, 2))
    y = np.array([0] * 48 + [1] * 12)
    smote.set_params(bag__n_estimators=2, bag__estimator__max_epochs=1)
    smote.fit(X, y)
    kept = smote.named_steps["sampler"]
    assert np.abs(np.nanmean(kept.X_res_)) < 1  # the sampler saw standardised windows
    scores = training_scores(smote, y)
    expected = smote.named_steps["bag"].predict(kept.X_res_)[: kept.n_real_][y == 1]
    assert scores["train_recall_real"] == pytest.approx(np.mean(expected == 1))


PUBLISHED = sorted(
    (Path(__file__).resolve().parents[3] / "docs" / "_static" / "study").glob("*/runs.csv")
)


# the study's command line draws figures, so it refuses to start without matplotlib
needs_matplotlib = pytest.mark.skipif(
    importlib.util.find_spec("matplotlib") is None,
    reason='needs matplotlib: pip install -e ".[study]" (see README.md, Install)',
)


@needs_matplotlib
@pytest.mark.parametrize("records", PUBLISHED, ids=[p.parent.name for p in PUBLISHED])
def test_each_published_table_is_rebuilt_by_the_documented_command(records, tmp_path, capsys):
    """The study page's promise: ``python -m benchmarks.study --records <folder>/runs.csv
    --out DIR``, no other option, rebuilds the table the page includes, every p-value."""
    study_main(["--records", str(records), "--out", str(tmp_path)])
    rebuilt = (tmp_path / "results.inc").read_text()
    assert rebuilt == (records.parent / "results.inc").read_text()


@needs_matplotlib
def test_records_that_hold_nothing_asked_for_are_an_error(tmp_path, capsys):
    runs = _runs(TABLE_1, n_train=700, n_test=300)
    write_records(runs, tmp_path / "runs.csv")
    with pytest.raises(SystemExit) as stop:
        study_main(
            ["--records", str(tmp_path / "runs.csv"), "--methods", "nope", "--out", str(tmp_path)]
        )
    assert stop.value.code == 1
    message = capsys.readouterr().err
    assert "holds no runs" in message and "nope" in message


@needs_matplotlib
def test_publish_puts_exactly_the_reported_runs_files_beside_the_table(tmp_path, monkeypatch):
    """Each published table comes with its per-run files: ``--publish`` copies the files
    of the runs it reported, and no other (another method's, or an older publication's)."""
    import benchmarks.study.__main__ as study_cli

    monkeypatch.setattr(study_cli, "ROOT", tmp_path)
    monkeypatch.setattr(study_cli, "DOCS", tmp_path / "docs")
    out = tmp_path / "mytable"
    (out / "runs").mkdir(parents=True)
    for run in _runs(TABLE_1, n_train=700, n_test=300):
        path = run_path(out, run["dataset"], run["method"], run["seed"])
        path.write_text(json.dumps(run))
    stale = tmp_path / "docs" / "mytable" / "runs" / "medical__gone__0.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    study_main(
        ["--report-only", "--publish", "--out", str(out), "--datasets", "medical"]
        + ["--methods", "baseline", "seqgan"]
    )
    target = tmp_path / "docs" / "mytable"
    published = sorted(p.name for p in (target / "runs").iterdir())
    assert published == sorted(
        f"medical__{m}__{s}.json" for m in ("baseline", "seqgan") for s in range(5)
    )
    assert (target / "runs.csv").exists() and (target / "results.inc").exists()
    rows = read_records(target / "runs.csv")
    assert sorted({r["method"] for r in rows}) == ["baseline", "seqgan"]
