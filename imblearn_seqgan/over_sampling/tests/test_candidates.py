"""The candidate filter: valid by a real-data classifier, then the least synthetic."""

import numpy as np

from imblearn_seqgan.over_sampling._candidates import choose_realistic_candidates


def _sequences(rng, n, level, length=8, noise=1.0):
    return level + noise * rng.normal(size=(n, length, 2))


def test_keeps_the_candidate_that_is_valid_and_looks_real():
    rng = np.random.default_rng(0)
    majority = _sequences(rng, 300, 0.0)
    minority = _sequences(rng, 100, 1.5)
    real = np.concatenate([majority, minority])
    target = np.r_[np.zeros(300, int), np.ones(100, int)]
    lengths = np.full(400, 8)
    n_groups = 60
    # per group: one realistic candidate, one like the majority (invalid), one that
    # exaggerates the minority's level (beyond its real members), one too smooth
    kinds = [
        _sequences(rng, n_groups, 1.5),
        _sequences(rng, n_groups, 0.0),
        _sequences(rng, n_groups, 6.0),
        _sequences(rng, n_groups, 1.5, noise=0.05),
    ]
    candidates = np.stack(kinds, axis=1).reshape(4 * n_groups, 8, 2)
    groups = np.repeat(np.arange(n_groups), 4)
    chosen, diagnostics = choose_realistic_candidates(
        real,
        lengths,
        target,
        candidates,
        np.full(len(candidates), 8),
        np.ones(len(candidates), int),
        groups,
        np.random.RandomState(0),
    )
    assert len(chosen) == n_groups
    np.testing.assert_array_equal(groups[chosen], np.arange(n_groups))
    kind = chosen % 4
    assert np.mean(kind == 0) > 0.8, np.bincount(kind, minlength=4)
    assert not np.any(kind == 1)  # never the majority-like one
    # the majority-like quarter is outside the band (the exaggerated one may score
    # like the real minority's most typical members: the discriminator rejects it)
    assert diagnostics["valid_share"] <= 0.76
    assert diagnostics["groups_without_valid"] < 0.1
