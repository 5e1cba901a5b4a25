"""ADASYN in the latent space of an LSTM autoencoder (paper section 2.1, App. A.1).

The autoencoder is trained on the sequences of the classes to over-sample; every
sequence is encoded to one latent code (the encoder's final hidden state); ADASYN
(He et al., 2008) runs on the codes; only the synthetic codes are decoded, each
to the length of the real sequence it was made from.
"""

from __future__ import annotations

import numbers
import time
import warnings
from typing import Any

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from imblearn.utils._validation import ArraysTransformer
from sklearn.base import _fit_context
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import label_binarize
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets
from skorch.history import History

from .._nn import (
    SequenceDecoder,
    SequenceEncoder,
    iter_batches,
    length_mask,
    masked_mse,
    resolve_device,
    seeded,
    to_tensor,
    trains_on_cuda,
)
from ..utils import (
    check_label_sequences,
    encode_label_sequences,
    validate_sequences,
)

__all__ = ["LatentADASYN"]


def _neighbors_without_self(
    nn: NearestNeighbors, queries: np.ndarray, query_indices: np.ndarray, k: int
) -> np.ndarray:
    """The ``k`` nearest neighbours of each query among the fitted points, excluding
    the query itself.

    Asking for ``k + 1`` and dropping the first column (imbalanced-learn's way) drops
    the wrong point when codes are duplicated and the duplicate comes first; drop the
    query's own index wherever it appears instead (or the farthest when it does not).
    """
    idx = nn.kneighbors(queries, n_neighbors=k + 1, return_distance=False)
    is_self = idx == query_indices[:, None]
    is_self[~is_self.any(axis=1), -1] = True
    return idx[~is_self].reshape(len(queries), k)


def _allocate(weights: np.ndarray, n_total: int) -> np.ndarray:
    """Integer counts proportional to ``weights`` that sum exactly to ``n_total``.

    Largest-remainder rounding: ADASYN's ``rint(g_i)`` (He et al., imbalanced-learn)
    can miss the target by a few samples, which would break ``sampling_strategy``.
    """
    exact = weights / weights.sum() * n_total
    counts = np.floor(exact).astype(np.int64)
    remainder = int(n_total - counts.sum())
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:remainder]] += 1
    return counts


def adasyn_plan(
    codes: np.ndarray,
    groups: np.ndarray,
    targets: dict[Any, int],
    k_neighbors: int,
    random_state: np.random.RandomState,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """ADASYN's plan (He et al., 2008) on points ``codes``: who is interpolated with whom.

    Parameters
    ----------
    codes : ndarray of shape (n_samples, n_dims)
        The points (latent codes of all samples).
    groups : ndarray of shape (n_samples,)
        The class of each sample as ADASYN sees it: a new point is interpolated
        between two samples of one group, and the "majority" of ADASYN's ratio is
        every sample of another group (one-vs-rest, as imbalanced-learn).
    targets : dict
        ``group -> number of samples to generate``.
    k_neighbors : int
        K of ADASYN, used for both neighbourhoods.
    random_state : RandomState

    Returns
    -------
    base : ndarray of int, shape (n_new,)
        Index of the sample each new point is made from (``x_i``).
    neighbor : ndarray of int, shape (n_new,)
        Index of the same-group neighbour it moves towards (``x_j``).
    weight : ndarray of float, shape (n_new,)
        The single interpolation weight ``w ~ U[0, 1)``: the new point is
        ``x_i + w (x_j - x_i)``.
    ratio : ndarray of float, shape (n_samples,)
        ADASYN's ``r_i``: the share of other-group samples among each sample's
        ``k_neighbors`` nearest neighbours (NaN for groups not over-sampled).
    """
    ratio = np.full(len(codes), np.nan)
    all_nn = NearestNeighbors().fit(codes)
    base_parts, neighbor_parts, weight_parts = [], [], []
    for group, n_new in targets.items():
        if n_new == 0:
            continue
        members = np.flatnonzero(groups == group)
        # Step 2 of ADASYN: r_i = share of other-group samples among the K neighbours.
        nns = _neighbors_without_self(all_nn, codes[members], members, k_neighbors)
        r = (groups[nns] != group).mean(axis=1)
        ratio[members] = r
        if r.sum() == 0:
            warnings.warn(
                f"No sample of {_describe_group(group)} has a sample of another class "
                f"among its {k_neighbors} nearest neighbours in the latent space; "
                "ADASYN's density ratio is undefined, so synthetic samples are spread "
                "evenly over the class (as SMOTE would).",
                UserWarning,
                stacklevel=4,
            )
            r = np.ones_like(r)
        # Steps 3-4: g_i proportional to r_i, rounded to sum exactly to n_new.
        counts = _allocate(r, n_new)
        # Step 5: each new point moves from x_i towards one of its K same-group
        # neighbours, chosen uniformly, by one weight w ~ U[0, 1).
        group_nn = NearestNeighbors().fit(codes[members])
        same = _neighbors_without_self(
            group_nn, codes[members], np.arange(len(members)), k_neighbors
        )
        rows = np.repeat(np.arange(len(members)), counts)
        pick = random_state.randint(k_neighbors, size=len(rows))
        base_parts.append(members[rows])
        neighbor_parts.append(members[same[rows, pick]])
        weight_parts.append(random_state.uniform(size=len(rows)))
    if not base_parts:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, np.zeros(0), ratio
    return (
        np.concatenate(base_parts),
        np.concatenate(neighbor_parts),
        np.concatenate(weight_parts),
        ratio,
    )


def _describe_group(group: Any) -> str:
    return f"class {_label(group)!r}"


def _label(value: Any) -> Any:
    """numpy scalars print as ``np.int64(1)``: show the plain value in messages."""
    return value.item() if isinstance(value, np.generic) else value


def interpolate_labels(
    y_base: np.ndarray, y_neighbor: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """Valid label sequences for ``y_i + w (y_j - y_i)`` (paper, App. A.1).

    At each step the fractional label is replaced by the nearer of its two ends:
    ``y_j[t]`` when ``w > 0.5``, else ``y_i[t]``. For 0/1 labels this is rounding
    ``y_i + w (y_j - y_i)`` to the nearest integer (ties go to the base sample); it
    also holds for multi-class and non-numeric labels, where interpolating class
    codes has no meaning, and it never invents a label absent from both ends. With
    one weight per synthetic sample the whole label sequence is that of the
    endpoint the synthetic code lies nearer to.
    """
    take_neighbor = (weight > 0.5).reshape((-1,) + (1,) * (y_base.ndim - 1))
    return np.where(take_neighbor, y_neighbor, y_base)


class LatentADASYN(BaseOverSampler):
    """ADASYN in the latent space of an LSTM autoencoder (paper section 2.1, App. A.1).

    An LSTM autoencoder is trained on the sequences of the classes to over-sample
    (the minority). Every sequence, majority included, is encoded to one latent code,
    the encoder's final hidden state. ADASYN (He et al., 2008) then runs on the
    codes: each minority sample ``i`` gets a number of synthetic samples proportional
    to the share of other-class samples among its ``k_neighbors`` nearest codes, so
    samples near the class boundary get more; each synthetic code is
    ``h_i + w (h_j - h_i)`` with ``h_j`` one of the ``k_neighbors`` nearest codes of
    the same class and **one** random weight ``w ~ U[0, 1)``. Only the synthetic
    codes are decoded, each to a sequence of the length of its base sample ``i``.

    Read more in the :ref:`User Guide <latent_adasyn>`.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        How many synthetic samples to make per class, as in imbalanced-learn's
        over-samplers (``"auto"``: every class but the majority up to the
        majority's size). With ``label_sequences=True`` the classes are ``0``, the
        majority (most frequent) label sequence, and ``1``, every other label
        sequence (the paper's minority), as for ``SeqGANOverSampler``.
    k_neighbors : int, default=5
        ADASYN's K: the neighbourhood that measures how many other-class samples
        surround a minority sample, and the candidates it is interpolated with.
        Every over-sampled class needs at least ``k_neighbors + 1`` samples.
    label_sequences : bool, default=False
        Read a 2-D ``y`` of shape ``(n_sequences, L)`` as one label sequence per
        sequence (the paper's seq2seq setting). The majority is the most frequent
        label sequence and every other label sequence is minority: neighbours are
        taken across all minority label sequences, and a synthetic sample's label
        sequence is ``y_i + w (y_j - y_i)`` made valid by taking, at each step, the
        label of the nearer end (see Notes). When False, a 2-D ``y``
        is read as imbalanced-learn does (one-vs-all encoded classes).
    hidden_size : int, default=64
        Size of the LSTM hidden state, which is also the size of the latent code.
    num_layers : int, default=1
        Number of stacked LSTM layers in the encoder and the decoder.
    max_epochs : int, default=100
        Maximum number of passes over the minority sequences to train the
        autoencoder.
    batch_size : int, default=32
        Sequences per mini-batch; batches group sequences of similar length.
    learning_rate : float, default=1e-2
        Adam's learning rate.
    padding_value : float, default=np.nan
        Value that marks padding steps in 3-D ``X`` (every feature equal to it).
    device : str or torch.device, default="auto"
        Where to train: ``"auto"`` picks CUDA when available, else CPU.
    random_state : int, RandomState instance or None, default=None
        Seeds the autoencoder's initialisation and batches, the neighbour choices
        and the interpolation weights. With an int, results on CPU are identical
        bit for bit from run to run.
    verbose : int, default=0
        When positive, print the autoencoder's loss every few epochs.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples made for each class (in label-sequence mode,
        ``{1: n}`` for the minority).
    n_features_in_ : int
        Number of features per time step.
    autoencoder_ : torch.nn.Module
        The trained autoencoder (on CPU after fitting).
    history_ : skorch.history.History
        One row per epoch with the mean masked reconstruction loss ``"loss"``
        (standardised units) and its duration ``"dur"``; e.g.
        ``history_[:, "loss"]``. Empty when nothing had to be generated.
    source_indices_ : ndarray of shape (n_synthetic, 2)
        For each synthetic sample, the indices in ``X`` of its base sample ``i`` and
        of the neighbour ``j`` it was interpolated towards.
    interpolation_weights_ : ndarray of shape (n_synthetic,)
        The weight ``w`` of each synthetic sample.
    density_ratio_ : ndarray of shape (n_sequences,)
        ADASYN's ``r_i`` in the latent space: the share of other-class samples among
        the ``k_neighbors`` nearest codes of each over-sampled sample (NaN for
        samples of classes that are not over-sampled). Synthetic samples are
        allocated in proportion to it.

    See Also
    --------
    imblearn.over_sampling.ADASYN : ADASYN on flat feature vectors.
    SeqGANOverSampler : The paper's GAN-with-autoencoder over-sampler.

    Notes
    -----
    The number of synthetic samples per base sample is ``G r_i / sum(r)`` rounded
    so that the counts sum exactly to the class's target ``G`` (largest
    remainders). When no sample of a class has another class among its neighbours,
    ``r`` is all zero and ADASYN is undefined; a warning is raised and the samples
    are spread evenly instead.

    Labels of synthetic samples: with one label per sequence a synthetic sample
    takes its base sample's class (its neighbour has the same class). With label
    sequences, the paper's ``y_i + w (y_j - y_i)`` is fractional wherever ``y_i``
    and ``y_j`` differ; it is turned into valid labels by taking, at each step,
    the label of the nearer end, ``y_j[t]`` when ``w > 0.5`` and ``y_i[t]``
    otherwise. For 0/1 labels this is rounding to the nearest integer; it also keeps
    multi-class labels valid. As ``w`` is one number per sample, the result is the
    label sequence of the endpoint the synthetic code is nearer to: always a
    minority label sequence, so the minority's count is exactly the target.

    The paper reports that this method did not beat its baseline (Tables 1 and 3);
    it is provided as the paper's comparison method.

    References
    ----------
    .. [1] H. He, Y. Bai, E. A. Garcia and S. Li, "ADASYN: Adaptive synthetic
       sampling approach for imbalanced learning", IJCNN 2008, pp. 1322-1328.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> from imblearn_seqgan.over_sampling import LatentADASYN
    >>> X, y = make_imbalanced_sequences(60, weights=[0.8], random_state=0)
    >>> X.shape, np.bincount(y)
    ((60, 30, 4), array([48, 12]))
    >>> sampler = LatentADASYN(hidden_size=8, max_epochs=5, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, np.bincount(y_res)
    ((96, 30, 4), array([48, 48]))
    >>> sampler.source_indices_.shape  # (base i, neighbour j) of each new sequence
    (36, 2)
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "label_sequences": ["boolean"],
        "hidden_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "num_layers": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "padding_value": [numbers.Real],
        "device": [str, torch.device],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        k_neighbors: int = 5,
        label_sequences: bool = False,
        hidden_size: int = 64,
        num_layers: int = 1,
        max_epochs: int = 100,
        batch_size: int = 32,
        learning_rate: float = 1e-2,
        padding_value: float = np.nan,
        device="auto",
        random_state=None,
        verbose: int = 0,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.k_neighbors = k_neighbors
        self.label_sequences = label_sequences
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.padding_value = padding_value
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- input handling -------------------------------------------------------------

    def _check_X_y(self, X, y, accept_sparse=None):
        """Sequences instead of imbalanced-learn's 2-D ``validate_data``.

        Returns the validated sequences, the class of each sample (in label-sequence
        mode 0 for the majority label sequence, 1 for the others), whether y came
        one-vs-all encoded, and the label sequences (None in one-label mode).
        """
        if self.label_sequences:
            if np.ndim(y) != 2:
                raise ValueError(
                    "label_sequences=True expects y of shape (n_sequences, L), got "
                    f"y with {np.ndim(y)} dimension(s); use label_sequences=False for "
                    "one label per sequence."
                )
            seqs = validate_sequences(self, X, reset=True, padding_value=self.padding_value)
            y_seq = check_label_sequences(y, seqs.n_sequences)
            codes, _ = encode_label_sequences(y_seq)
            # As SeqGANOverSampler: class 0 is the majority (most frequent) label
            # sequence, class 1 every other label sequence (paper section 2).
            target = (codes != np.bincount(codes).argmax()).astype(np.int64)
            return seqs, target, False, y_seq
        check_classification_targets(y)
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        seqs = validate_sequences(self, X, reset=True, padding_value=self.padding_value)
        if len(y) != seqs.n_sequences:
            raise ValueError(
                f"X and y have different numbers of sequences: {seqs.n_sequences} and {len(y)}."
            )
        return seqs, y, binarize_y, None

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Check the inputs and compute ``sampling_strategy_``; use ``fit_resample``.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_timesteps, n_features) or list of \
                array-like of shape (length_i, n_features)
            Sequences, padded with ``padding_value`` or as a ragged list.
        y : array-like of shape (n_sequences,) or (n_sequences, L)
            Class labels, or label sequences when ``label_sequences=True``.

        Returns
        -------
        self : LatentADASYN
        """
        _, classes, _, _ = self._check_X_y(X, y)
        self.sampling_strategy_ = check_sampling_strategy(
            self.sampling_strategy, classes, self._sampling_type
        )
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y):
        """Train the autoencoder, run ADASYN on the latent codes, decode new sequences.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_timesteps, n_features) or list of \
                array-like of shape (length_i, n_features)
            Sequences, padded with ``padding_value`` (at the start or the end) or as a
            ragged list; a 2-D array is read as sequences of one step.
        y : array-like of shape (n_sequences,) or (n_sequences, L)
            Class labels, or label sequences when ``label_sequences=True``.

        Returns
        -------
        X_resampled : same container as X
            The original sequences, unchanged and in order, then the synthetic ones,
            in X's container, dtype, padding side and padding value.
        y_resampled : same container as y
            Their labels (or label sequences).
        """
        # ArraysTransformer gives y (and 2-D X) back in the caller's type; a ragged
        # list of sequences comes back as a list from Sequences.append already.
        is_ragged = isinstance(X, (list, tuple)) and len(X) > 0 and np.ndim(X[0]) == 2
        arrays_transformer = ArraysTransformer(np.empty(0) if is_ragged else X, y)
        seqs, classes, binarize_y, y_seq = self._check_X_y(X, y)
        self.sampling_strategy_ = check_sampling_strategy(
            self.sampling_strategy, classes, self._sampling_type
        )
        X_res, y_res = self._fit_resample(seqs, classes, y_seq)
        if binarize_y:
            y_res = label_binarize(y_res, classes=np.unique(classes))
        return arrays_transformer.transform(X_res, y_res)

    # -- the method -----------------------------------------------------------------

    def _targets(self) -> dict[Any, int]:
        return {c: n for c, n in self.sampling_strategy_.items() if n > 0}

    def _check_group_sizes(self, groups: np.ndarray, targets: dict[Any, int]) -> None:
        k = self.k_neighbors
        for group in targets:
            n_group = int(np.sum(groups == group))
            if n_group < 2:
                raise ValueError(
                    f"LatentADASYN cannot over-sample {_describe_group(group)}: it has "
                    f"{n_group} sample, and interpolation needs at least 2. Leave it out "
                    "of sampling_strategy."
                )
            if n_group < k + 1:
                raise ValueError(
                    f"LatentADASYN with k_neighbors={k} needs at least {k + 1} samples "
                    f"in each class it over-samples, but {_describe_group(group)} has "
                    f"only {n_group}. Lower k_neighbors to at most {n_group - 1} "
                    "or leave that class out of sampling_strategy."
                )
        if len(groups) < k + 1:
            raise ValueError(
                f"LatentADASYN with k_neighbors={k} needs at least {k + 1} sequences, "
                f"got {len(groups)}."
            )

    def _fit_resample(self, seqs, classes: np.ndarray, y_seq: np.ndarray | None):
        random_state = check_random_state(self.random_state)
        # With label sequences the classes are majority (0) / minority (1), so the
        # minority's label sequences share one neighbourhood and are interpolated.
        groups, targets = classes, self._targets()
        self._check_group_sizes(groups, targets)
        train = np.flatnonzero(np.isin(groups, list(targets)))
        values, lengths = seqs.values, seqs.lengths
        y_orig = classes if y_seq is None else y_seq
        if len(train) == 0:  # already balanced: nothing to learn or to generate
            self.autoencoder_, self.history_ = None, History()
            self.source_indices_ = np.zeros((0, 2), dtype=np.intp)
            self.interpolation_weights_ = np.zeros(0)
            self.density_ratio_ = np.full(len(classes), np.nan)
            return seqs.append(values[:0], lengths[:0]), y_orig.copy()

        self._fit_autoencoder(values[train], lengths[train], random_state)
        codes = self._encode(values, lengths)
        base, neighbor, weight, ratio = adasyn_plan(
            codes, groups, targets, self.k_neighbors, random_state
        )
        self.source_indices_ = np.stack([base, neighbor], axis=1)
        self.interpolation_weights_ = weight
        self.density_ratio_ = ratio

        if len(base) == 0:
            self.autoencoder_.cpu()
            return seqs.append(values[:0], lengths[:0]), y_orig.copy()
        new_codes = codes[base] + weight[:, None] * (codes[neighbor] - codes[base])
        new_lengths = lengths[base]
        new_values = self._decode(new_codes, new_lengths, dtype=seqs.dtype)
        self.autoencoder_.cpu()  # fitted estimators pickle and load without a GPU
        if not np.isfinite(new_values).all():
            raise FloatingPointError(
                "LatentADASYN: the autoencoder decoded non-finite values; lower "
                "learning_rate or check the input's scale."
            )
        if y_seq is None:
            y_new = classes[base]
        else:
            y_new = interpolate_labels(y_seq[base], y_seq[neighbor], weight)
        return (
            seqs.append(new_values, new_lengths),
            np.concatenate([y_orig, y_new.astype(y_orig.dtype, copy=False)]),
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.sparse = False
        tags.non_deterministic = trains_on_cuda(self.device)
        return tags

    # -- the autoencoder ------------------------------------------------------------
    # A hand-written loop rather than skorch: batches are length-bucketed and trimmed
    # to their own longest sequence (the shared _nn batching), which skorch's
    # DataLoader-based iterator would need a custom sampler and collate for, and the
    # loop is a few lines split into overridable steps.

    def initialize_module(self, n_features: int) -> LatentAutoencoder:
        """The autoencoder to train (override to change the architecture)."""
        return LatentAutoencoder(n_features, self.hidden_size, self.num_layers)

    def get_loss(self, reconstruction, x, lengths) -> torch.Tensor:
        """Mean squared error over valid steps only."""
        return masked_mse(reconstruction, x, lengths)

    def train_step(self, x, lengths, optimizer) -> float:
        optimizer.zero_grad()
        loss = self.get_loss(self.autoencoder_(x, lengths), x, lengths)
        loss.backward()
        optimizer.step()
        return float(loss.detach())

    def _fit_autoencoder(self, values, lengths, random_state) -> None:
        device = resolve_device(self.device)
        valid = np.arange(values.shape[1]) < lengths[:, None]
        # Standardise each feature on the training steps so that the learning rate
        # and the latent distances do not depend on the data's units.
        self._feature_mean = values[valid].mean(axis=0)
        self._feature_scale = values[valid].std(axis=0)
        self._feature_scale[self._feature_scale < 1e-12] = 1.0
        self.history_ = History()
        with seeded(random_state, device) as seed:
            self.autoencoder_ = self.initialize_module(values.shape[2]).to(device)
            optimizer = torch.optim.Adam(self.autoencoder_.parameters(), lr=self.learning_rate)
            batch_rng = np.random.default_rng(seed)
            self.autoencoder_.train()
            for epoch in range(self.max_epochs):
                start = time.perf_counter()
                losses, sizes = [], []
                for idx, x, lens in self._batches(
                    values, lengths, self.batch_size, device, rng=batch_rng
                ):
                    losses.append(self.train_step(x, lens, optimizer))
                    sizes.append(int(lengths[idx].sum()))
                loss = float(np.average(losses, weights=sizes))
                if not np.isfinite(loss):
                    raise FloatingPointError(
                        f"LatentADASYN: the autoencoder's loss became {loss} at epoch "
                        f"{epoch + 1}; lower learning_rate."
                    )
                self.history_.new_epoch()
                self.history_.record("epoch", epoch + 1)
                self.history_.record("loss", loss)
                self.history_.record("dur", time.perf_counter() - start)
                if self.verbose and (epoch + 1) % max(1, self.max_epochs // 10) == 0:
                    print(f"epoch {epoch + 1:4d}  reconstruction loss {loss:.4f}")
            self.autoencoder_.eval()

    def _batches(self, values, lengths, batch_size, device, rng=None):
        """Length-bucketed batches, standardised on the device batch by batch (no
        standardised copy of the whole data set)."""
        mean = to_tensor(self._feature_mean, device)
        scale = to_tensor(self._feature_scale, device)
        for idx, x, lens in iter_batches(values, lengths, batch_size, device, rng=rng):
            mask = length_mask(lens, x.shape[1], device)[:, :, None]
            yield idx, (x - mean) / scale * mask, lens

    def _encode(self, values, lengths) -> np.ndarray:
        """Latent code of every sequence (no gradient, in length-sorted batches)."""
        device = next(self.autoencoder_.parameters()).device
        codes = np.empty((len(values), self.autoencoder_.code_size))
        with torch.no_grad():
            for idx, x, lens in self._batches(values, lengths, 256, device):
                codes[idx] = self.autoencoder_.encode(x, lens).cpu().numpy()
        return codes

    def _decode(self, codes, lengths, dtype=np.float64) -> np.ndarray:
        """Sequences of the given lengths from latent codes, in the data's units,
        decoded in length-sorted batches straight into the output array."""
        device = next(self.autoencoder_.parameters()).device
        mean = to_tensor(self._feature_mean, device)
        scale = to_tensor(self._feature_scale, device)
        out = np.zeros((len(codes), int(lengths.max()), self.n_features_in_), dtype=dtype)
        order = np.argsort(lengths, kind="stable")
        with torch.no_grad():
            for start in range(0, len(codes), 256):
                idx = order[start : start + 256]
                lens = torch.as_tensor(lengths[idx])
                decoded = self.autoencoder_.decode(to_tensor(codes[idx], device), lens)
                mask = length_mask(lens, decoded.shape[1], device)[:, :, None]
                out[idx, : decoded.shape[1]] = ((decoded * scale + mean) * mask).cpu().numpy()
        return out


class LatentAutoencoder(torch.nn.Module):
    """LSTM autoencoder of the paper's section 2: the encoder's final hidden state
    ``h_T`` is the latent code, and the decoder reads it at every step.

    Built from the shared :class:`SequenceEncoder` and :class:`SequenceDecoder`.
    """

    def __init__(self, n_features: int, hidden_size: int, num_layers: int = 1):
        super().__init__()
        self.encoder = SequenceEncoder(n_features, hidden_size, num_layers)
        self.decoder = SequenceDecoder(hidden_size, hidden_size, n_features, num_layers)

    @property
    def code_size(self) -> int:
        return self.encoder.output_size

    def encode(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return self.encoder(x, lengths)[1]

    def decode(self, codes: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        steps = int(lengths.max())
        return self.decoder(codes[:, None, :].expand(-1, steps, -1), lengths)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x, lengths), lengths)
