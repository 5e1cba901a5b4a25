"""How SeqGANOverSampler makes its sequences once the GAN is trained: new codes of
the training sequences (noisy, or towards a neighbour's code), decoded chunk by
chunk, and, in label-sequence mode, kept in their source's group. Torch-free: the
GAN's own methods do the tensor work."""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import NearestNeighbors

from ..utils._random import draw_seed

# generated sequences per call of the GAN: memory stays near one chunk of output
_CHUNK_SIZE = 8192


def code_neighbours(gan, seqs, train, labels, target, k_neighbors):
    """For each training sequence, its nearest training sequences of the same class
    in the code space.

    Parameters
    ----------
    gan : SequenceGAN
        The trained GAN; neighbours are found on its codes averaged over their steps.
    seqs : Sequences
        The input sequences.
    train : ndarray of int
        Indices (in the input) of the GAN's training sequences.
    labels : ndarray or None
        The training sequences' step labels (label-sequence mode).
    target : ndarray of shape (n_sequences,)
        The classes ``sampling_strategy`` refers to.
    k_neighbors : int
        Neighbours per sequence; a class with fewer other sequences gives all of them.

    Returns
    -------
    neighbours : ndarray of object, shape (len(train),)
        Per training sequence (in ``train``'s order), the indices in the input of
        its neighbours.
    """
    pooled = gan.pooled_codes(seqs.values[train], seqs.lengths[train], labels)
    neighbours = np.empty(len(train), dtype=object)
    for cls in np.unique(target[train]):
        rows = np.flatnonzero(target[train] == cls)
        if len(rows) < 2:
            # a single sequence has no partner: it is interpolated with itself
            neighbours[rows[0]] = train[rows]
            continue
        k = min(k_neighbors, len(rows) - 1)
        found = NearestNeighbors(n_neighbors=k + 1).fit(pooled[rows])
        nearest = found.kneighbors(pooled[rows], return_distance=False)
        for row, near in zip(rows, nearest, strict=True):
            # the nearest of a code is itself (or a twin): drop the row itself
            near = near[rows[near] != row][:k]
            neighbours[row] = train[rows[near]]
    return neighbours


def label_sequence_chunks(generation, sources, step_labels, target, label_classes):
    """The chunks of label-sequence mode: each synthetic sequence's decoded label
    sequence stays in its source's group (see :func:`keep_groups`)."""
    for part, values, lengths, new_labels in generation(sources):
        keep_groups(generation, part, values, new_labels, step_labels, target)
        yield values, lengths, label_classes[new_labels]


def keep_groups(generation, sources, new_values, new_labels, step_labels, target):
    """Redraw the noise of synthetic sequences whose decoded label sequence fell
    into the other group (e.g. a minority source decoded to the majority's label
    sequence), so the sampler's ``sampling_strategy_`` counts hold.

    Up to five redraws; a sequence still in the wrong group then takes its source's
    label sequence (its values stay the decoded ones). ``new_values`` and
    ``new_labels`` are changed in place.
    """
    if not (target == 0).any():
        return
    majority = step_labels[np.flatnonzero(target == 0)[0]]

    def wrong(rows):
        in_minority = (new_labels[rows] != majority).any(axis=1).astype(np.int64)
        return in_minority != target[sources[rows]]

    rows = np.arange(len(sources))
    bad = rows[wrong(rows)]
    for _ in range(5):
        if len(bad) == 0:
            return
        values, redrawn = generation.once(sources[bad])
        new_values[bad, : values.shape[1]] = values
        new_labels[bad] = redrawn
        bad = bad[wrong(bad)]
    new_labels[bad] = step_labels[sources[bad]]


class Generation:
    """New sequences from the trained GAN, decoded from new codes of the training
    sequences: noisy codes (each call draws its noise seed from ``rng``), or codes
    interpolated towards a neighbour (``neighbours``: per training sequence, the
    indices in the input of its neighbours; partners and weights drawn from ``rng``
    by :meth:`plan`, or afresh for a redraw)."""

    def __init__(self, gan, seqs, train, labels, rng, neighbours=None, decode="sequence"):
        self.gan, self.seqs, self.train, self.labels, self.rng = gan, seqs, train, labels, rng
        self.neighbours, self.decode = neighbours, decode
        self._plan = None

    def plan(self, sources):
        """Draw every synthetic sequence's partner and weight (neighbours only)."""
        if self.neighbours is not None:
            self._plan = self._draw(sources)

    def planned(self):
        """The planned partners (indices in the input) and weights."""
        return self._plan

    def _draw(self, sources):
        position = np.searchsorted(self.train, sources)
        partners = np.array([self.rng.choice(self.neighbours[p]) for p in position], dtype=np.intp)
        return partners, self.rng.uniform(size=len(sources))

    def once(self, sources, partners=None, weights=None):
        """Generate from ``sources`` (indices into the input) in one call; with
        neighbours and no partners given, new partners and weights are drawn.

        Returns
        -------
        values : ndarray of shape (len(sources), length, n_features)
        labels : int ndarray of shape (len(sources), L) or None
        """
        extra = {"decode": self.decode}
        if self.neighbours is not None:
            if partners is None:
                partners, weights = self._draw(sources)
            # the GAN knows its training sequences by position
            extra.update(partners=np.searchsorted(self.train, partners), weights=weights)
        else:
            extra["rng"] = draw_seed(self.rng)
        values, _, labels, _ = self.gan.generate(
            self.seqs.values[self.train],
            self.seqs.lengths[self.train],
            self.labels,
            sources=np.searchsorted(self.train, sources),
            dtype=self.seqs.dtype,
            **extra,
        )
        return values, labels

    def __call__(self, sources):
        """Yield ``(part, values, lengths, labels)`` chunk by chunk (the planned
        partners and weights, when planned, in order)."""
        for start in range(0, len(sources), _CHUNK_SIZE):
            part = sources[start : start + _CHUNK_SIZE]
            values, labels = self.once(part, *self._planned_slice(start, len(part)))
            yield part, values, self.seqs.lengths[part], labels

    def all(self, sources):
        """Every new sequence at once, padded to the longest source, and their
        decoded labels (None with one label per sequence)."""
        values = np.zeros(
            (len(sources), int(self.seqs.lengths[sources].max()), self.seqs.n_features),
            dtype=self.seqs.dtype,
        )
        labels = None
        if self.labels is not None:
            labels = np.zeros((len(sources), self.labels.shape[1]), dtype=np.int64)
        start = 0
        for part, chunk, _, chunk_labels in self(sources):
            values[start : start + len(part), : chunk.shape[1]] = chunk
            if labels is not None:
                labels[start : start + len(part)] = chunk_labels
            start += len(part)
        return values, labels

    def _planned_slice(self, start, size):
        if self._plan is None:
            return None, None
        partners, weights = self._plan
        return partners[start : start + size], weights[start : start + size]
