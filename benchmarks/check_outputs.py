"""Every estimator's outputs at fixed ``random_state``, saved and compared bit for bit.

A refactoring that claims to keep behaviour shows it with this script: save the
outputs at the commit before, compare at the commit after (from the repository root,
whose package is the one imported)::

    python -m benchmarks.check_outputs save /tmp/before.npz
    # ... change the code ...
    python -m benchmarks.check_outputs compare /tmp/before.npz

Each estimator is fitted on small seeded data with a small budget (the whole run
takes about a minute on one CPU thread), covering the code paths a refactoring of
the training loops can change: the GAN's cut last epoch, restarts after a
non-finite loss, early stopping and the loss-weight schedule; the over-sampler's
variants (codes towards neighbours, decoding a change, the realistic-candidate
filter, a ratio of new sequences per sequence) and LatentADASYN's; the classifier's
validation split, label sequences, ragged input and progress bar; the ensemble's
partition and in-member sampler. Saved per case: the resampled ``X``/``y`` (or the
predictions and scores), the learned index attributes and every numeric column of
the training history (``dur`` aside: fit times differ from run to run).

``compare`` prints one line per differing array and exits with status 1 when any
differs; a history cell that was missing (NaN) before and holds a number after is
listed apart (a filled gap is not a changed value) and does not fail the check. An
attribute renamed since the save (``RENAMED``) is compared under its new name.
Results are exact on the CPU only (CUDA kernels are not bit-reproducible).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import sys
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from imblearn_seqgan.classification import Seq2SeqClassifier  # noqa: E402
from imblearn_seqgan.datasets import make_imbalanced_sequences  # noqa: E402
from imblearn_seqgan.ensemble import BalancedSequenceBaggingClassifier  # noqa: E402
from imblearn_seqgan.novelty import GANNoveltyDetector  # noqa: E402
from imblearn_seqgan.over_sampling import (  # noqa: E402
    LatentADASYN,
    LossWeightSchedule,
    SeqGANOverSampler,
)
from imblearn_seqgan.utils import check_sequences  # noqa: E402

_GAN = dict(hidden_size=8, num_layers=1, device="cpu", random_state=0)
_CLASSIFIER = dict(hidden_size=8, max_epochs=3, batch_size=8, device="cpu", random_state=0)


def _data(**kwargs):
    options = dict(n_features=3, max_length=12, min_length=4, weights=[0.8], random_state=0)
    return make_imbalanced_sequences(60, **{**options, **kwargs})


def _array(value):
    """A comparable array: ragged lists become one NaN-padded float array."""
    if isinstance(value, list):
        longest = max(len(v) for v in value)
        out = np.full((len(value), longest, np.shape(value[0])[1]), np.nan)
        for i, v in enumerate(value):
            out[i, : len(v)] = v
        return out
    array = np.asarray(value)
    return array.astype(str) if array.dtype.kind == "O" else array


def _number(value):
    if value is None:
        return math.nan
    if isinstance(value, (bool, np.bool_)):
        return float(value)
    return float(value) if isinstance(value, (int, float, np.number)) else math.nan


def _history(history, prefix):
    """Every numeric column of an epoch history (and of its batches), ``dur`` aside."""
    out = {}
    if history is None:
        return out
    keys = sorted({k for row in history for k in row if k not in ("dur", "batches")})
    for key in keys:
        out[f"{prefix}history/{key}"] = np.array([_number(row.get(key)) for row in history])
    batch_keys = sorted(
        {k for row in history for batch in row.get("batches", []) for k in batch} - {"dur"}
    )
    for key in batch_keys:
        out[f"{prefix}history/batches/{key}"] = np.array(
            [_number(b.get(key)) for row in history for b in row.get("batches", [])]
        )
    return out


def _quietly(fn):
    # verbose runs print tables and bars: keep them out of the check's report
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return fn()


def _sampler_case(name, sampler, X, y, attributes):
    X_res, y_res = _quietly(lambda: sampler.fit_resample(X, y))
    out = {f"{name}/X_res": _array(X_res), f"{name}/y_res": _array(y_res)}
    for attribute in attributes:
        value = getattr(sampler, attribute)
        if isinstance(value, dict):
            for key, item in value.items():
                out[f"{name}/{attribute}/{key}"] = _array(item)
        else:
            out[f"{name}/{attribute}"] = _array(value)
    out.update(_history(sampler.history_, f"{name}/"))
    return out


def seqgan_cases():
    X, y = _data()
    X_pre, _ = _data(padding="pre")
    X_lab, y_lab = _data(label_sequence_length=4)
    out = {}
    # 12 minority sequences in batches of 4: epochs of 3 steps; 14 steps cut the
    # last epoch after its generator and critic steps (no decoder step)
    out.update(
        _sampler_case(
            "seqgan_cut_epoch",
            SeqGANOverSampler(max_steps=14, batch_size=4, **_GAN),
            X,
            y,
            ["sources_"],
        )
    )
    out.update(
        _sampler_case(
            "seqgan_verbose2",
            SeqGANOverSampler(max_steps=12, batch_size=4, verbose=2, **_GAN),
            X,
            y,
            ["sources_"],
        )
    )
    out.update(
        _sampler_case(
            "seqgan_label_sequences_exact",
            SeqGANOverSampler(
                max_steps=9,
                batch_size=8,
                label_sequences=True,
                penalty_estimate="exact",
                generator_penalty=True,
                gp_every=1,
                gradient_penalty="real",
                **_GAN,
            ),
            X_lab,
            y_lab,
            ["sources_", "label_classes_"],
        )
    )
    out.update(
        _sampler_case(
            "seqgan_schedule_stopping",
            SeqGANOverSampler(
                max_steps=60,
                max_epochs=12,
                batch_size=4,
                n_per_sample=2,
                n_iter_no_change=3,
                tol=0.5,
                loss_weight_schedule=LossWeightSchedule(window=6, min_decrease=0.5),
                **_GAN,
            ),
            X_pre,
            y,
            ["sources_"],
        )
    )
    # the variants: codes towards a neighbour, decoded as a change of the source, on
    # half as many sequences as the class has; the realistic-candidate filter, alone
    # and with neighbours in label-sequence mode (the redraws that keep groups)
    variant_attributes = ["sources_", "neighbors_", "interpolation_weights_"]
    out.update(
        _sampler_case(
            "seqgan_neighbours_change_ratio",
            SeqGANOverSampler(
                max_steps=9,
                batch_size=4,
                new_codes="neighbours",
                k_neighbors=3,
                decode="change",
                n_per_sample=0.5,
                **_GAN,
            ),
            X,
            y,
            variant_attributes,
        )
    )
    out.update(
        _sampler_case(
            "seqgan_realistic",
            SeqGANOverSampler(
                max_steps=9, batch_size=4, candidate_filter="realistic", n_candidates=3, **_GAN
            ),
            X,
            y,
            [*variant_attributes, "filter_diagnostics_"],
        )
    )
    out.update(
        _sampler_case(
            "seqgan_label_sequences_neighbours",
            SeqGANOverSampler(
                max_steps=9, batch_size=8, label_sequences=True, new_codes="neighbours", **_GAN
            ),
            X_lab,
            y_lab,
            [*variant_attributes, "label_classes_"],
        )
    )
    out.update(
        _sampler_case(
            "seqgan_label_sequences_realistic_neighbours",
            SeqGANOverSampler(
                max_steps=9,
                batch_size=8,
                label_sequences=True,
                new_codes="neighbours",
                decode="change",
                candidate_filter="realistic",
                n_candidates=2,
                **_GAN,
            ),
            X_lab,
            y_lab,
            [*variant_attributes, "filter_diagnostics_", "label_classes_"],
        )
    )
    return out


def restart_case():
    """The GAN's roll-back: a non-finite critic loss in the second epoch."""
    from imblearn_seqgan._nn import SequenceGAN

    class NaNOnce(SequenceGAN):
        def train_step_critic(self, batch, step):
            self.calls_ = getattr(self, "calls_", 0) + 1
            out = super().train_step_critic(batch, step)
            if self.calls_ == 2:
                out["critic_loss"] = float("nan")
            return out

    X, y = _data()
    seqs = check_sequences(X)
    gan = NaNOnce(max_steps=12, batch_size=8, hidden_size=8, num_layers=1, random_state=0)
    gan.fit(seqs.values, seqs.lengths)
    values, lengths, _, sources = gan.generate(seqs.values, seqs.lengths, rng=0)
    out = {
        "gan_restart/generated": values,
        "gan_restart/lengths": lengths,
        "gan_restart/sources": _array(sources),
        "gan_restart/n_steps_": np.array(gan.n_steps_),
    }
    out.update(_history(gan.history_, "gan_restart/"))
    return out


def latent_adasyn_cases():
    X, y = _data()
    X_lab, y_lab = _data(label_sequence_length=4)
    attributes = ["sources_", "neighbors_", "interpolation_weights_", "density_ratio_"]
    out = _sampler_case(
        "latent_adasyn",
        LatentADASYN(hidden_size=8, max_epochs=6, k_neighbors=3, random_state=0),
        X,
        y,
        attributes,
    )
    out.update(
        _sampler_case(
            "latent_adasyn_label_sequences",
            LatentADASYN(
                hidden_size=8,
                max_epochs=30,
                n_iter_no_change=2,
                k_neighbors=3,
                label_sequences=True,
                random_state=0,
            ),
            X_lab,
            y_lab,
            attributes,
        )
    )
    # every variant at once: an autoencoder on all classes with a class head, SMOTE's
    # allocation, decoding the change, the realistic filter and a ratio per sequence
    variants = LatentADASYN(
        hidden_size=8,
        max_epochs=6,
        k_neighbors=3,
        n_per_sample=0.5,
        interpolation="smote",
        decode="change",
        candidate_filter="realistic",
        n_candidates=3,
        autoencoder_classes="all",
        class_separation=0.1,
        random_state=0,
    )
    out.update(
        _sampler_case(
            "latent_adasyn_variants",
            variants,
            X,
            y,
            [*attributes, "filter_diagnostics_"],
        )
    )
    return out


def novelty_cases():
    X, y = _data()
    out = {}
    for score in ("reconstruction", "critic"):
        for with_y in (True, False):
            name = f"novelty_{score}_{'y' if with_y else 'no_y'}"
            detector = GANNoveltyDetector(
                outlier_score=score, max_steps=12, batch_size=16, **_GAN
            ).fit(X, y if with_y else None)
            out[f"{name}/score_samples"] = detector.score_samples(X)
            out[f"{name}/predict"] = detector.predict(X)
            out[f"{name}/offset_"] = np.array(detector.offset_)
            out[f"{name}/critic_center_"] = np.array(detector.critic_center_)
            out.update(_history(detector.history_, f"{name}/"))
    return out


def _classifier_case(name, clf, X_fit, y_fit, X_test):
    _quietly(lambda: clf.fit(X_fit, y_fit))
    proba = clf.predict_proba(X_test)
    out = {f"{name}/predict": _array(clf.predict(X_test))}
    if isinstance(proba, list):
        out.update({f"{name}/predict_proba/{i}": p for i, p in enumerate(proba)})
    else:
        out[f"{name}/predict_proba"] = proba
    out.update(_history(getattr(clf, "history_", None), f"{name}/"))
    return out


def classifier_cases():
    X, y = _data()
    X_lab, y_lab = _data(label_sequence_length=3)
    X_list, y_list = _data(return_list=True)
    out = _classifier_case("seq2one", Seq2SeqClassifier(**_CLASSIFIER), X, y, X)
    out.update(
        _classifier_case(
            "seq2one_split_dropout",
            Seq2SeqClassifier(
                **{**_CLASSIFIER, "max_epochs": 4},
                train_split=0.25,
                dropout=0.2,
                num_layers=2,
                bidirectional=True,
            ),
            X,
            y,
            X,
        )
    )
    out.update(
        _classifier_case(
            "seq2one_verbose2_ragged",
            Seq2SeqClassifier(**_CLASSIFIER, verbose=2),
            X_list,
            y_list,
            X_list,
        )
    )
    out.update(
        _classifier_case(
            "seq2one_adadelta_auto_batch",
            Seq2SeqClassifier(
                **{**_CLASSIFIER, "batch_size": "auto"}, optimizer="adadelta", class_weight=None
            ),
            X,
            np.where(y == 1, "fault", "normal"),
            X,
        )
    )
    out.update(_classifier_case("seq2seq", Seq2SeqClassifier(**_CLASSIFIER), X_lab, y_lab, X_lab))
    return out


def _bagging_case(name, bag, X, y):
    out = _classifier_case(name, bag, X, y, X)
    for i, idx in enumerate(bag.estimators_samples_):
        out[f"{name}/estimators_samples_/{i}"] = idx
    for i, member in enumerate(bag.estimators_):
        member = member[-1] if hasattr(member, "steps") else member
        out.update(_history(member.history_, f"{name}/member{i}/"))
    return out


def bagging_cases():
    X, y = _data()
    X_lab, y_lab = _data(label_sequence_length=3)
    member = Seq2SeqClassifier(**{**_CLASSIFIER, "random_state": None})
    out = _bagging_case(
        "bagging",
        BalancedSequenceBaggingClassifier(member, n_estimators=3, random_state=0),
        X,
        y,
    )
    out.update(
        _bagging_case(
            "bagging_label_sequences_partition",
            BalancedSequenceBaggingClassifier(
                member, n_estimators=3, sampling_strategy="partition", random_state=0
            ),
            X_lab,
            y_lab,
        )
    )
    out.update(
        _bagging_case(
            "bagging_sampler",
            BalancedSequenceBaggingClassifier(
                member,
                n_estimators=2,
                sampling_strategy=0.5,
                sampler=SeqGANOverSampler(max_steps=6, batch_size=8, **_GAN),
                random_state=0,
            ),
            X,
            y,
        )
    )
    return out


CASES = (
    seqgan_cases,
    restart_case,
    latent_adasyn_cases,
    novelty_cases,
    classifier_cases,
    bagging_cases,
)


def outputs() -> dict:
    """Every case's arrays, by ``case/name``."""
    import torch

    torch.set_num_threads(1)
    # the cases train the GAN for a few steps on purpose
    warnings.filterwarnings("ignore", ".*trains the GAN for fewer than", UserWarning)
    out = {}
    for case in CASES:
        out.update(case())
    return out


# attributes renamed (or split) since a save: old name -> (the new names, how the old
# array is made from their arrays)
RENAMED = {
    # SeqGANOverSampler: one name with LatentADASYN for the neighbour interpolated towards
    "partners_": (("neighbors_",), lambda neighbors: neighbors),
    # LatentADASYN: its (base, neighbour) columns under the names SeqGANOverSampler uses
    "source_indices_": (("sources_", "neighbors_"), lambda s, n: np.stack([s, n], axis=1)),
}


def _under_old_names(before: dict, after: dict) -> dict:
    """``after`` with the attributes renamed since ``before`` was saved under their
    old names, so that both hold the same keys; prints each renaming."""
    after = dict(after)
    for key in sorted(before):
        case, _, name = key.rpartition("/")
        if key in after or name not in RENAMED:
            continue
        new_names, combine = RENAMED[name]
        new_keys = [f"{case}/{new}" for new in new_names]
        if all(k in after for k in new_keys):
            after[key] = combine(*(after[k] for k in new_keys))
            for k in new_keys:
                if k not in before:
                    del after[k]
            print(f"RENAMED {key} -> {', '.join(new_keys)}")
    return after


def compare(before: dict, after: dict) -> int:
    """Print the differences; return the number of arrays that differ."""
    failed = 0
    for key in sorted(set(before) | set(after)):
        if key not in after or key not in before:
            where = "after" if key not in after else "before"
            print(f"MISSING {where}: {key}")
            failed += 1
            continue
        a, b = before[key], after[key]
        if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
            print(f"DIFFERS {key}: {a.dtype}{a.shape} before, {b.dtype}{b.shape} after")
            failed += 1
            continue
        if a.dtype.kind in "fc":
            gaps = np.isnan(a) & ~np.isnan(b)
            same = np.array_equal(np.where(gaps, 0, a), np.where(gaps, 0, b), equal_nan=True)
            if same and gaps.any():
                print(f"FILLED  {key}: {int(gaps.sum())} missing cell(s) now {b[gaps].tolist()}")
                continue
        else:
            same = np.array_equal(a, b)
        if not same:
            diff = np.flatnonzero(np.asarray(a != b).ravel())
            print(f"DIFFERS {key}: {len(diff)} of {a.size} entries, first at flat index {diff[0]}")
            failed += 1
    return failed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.check_outputs", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("path", help="the .npz file to write (save) or to read (compare)")
    args = parser.parse_args(argv)
    current = outputs()
    if args.action == "save":
        np.savez_compressed(args.path, **current)
        print(f"saved {len(current)} arrays to {args.path}")
        return 0
    with np.load(args.path) as saved:
        before = {key: saved[key] for key in saved.files}
    current = _under_old_names(before, current)
    failed = compare(before, current)
    print(
        f"{len(current)} arrays: {len(current) - failed} array-equal, {failed} differ"
        if failed
        else f"all {len(current)} arrays array-equal with {args.path}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
