"""What the estimators built on the shared SequenceGAN (the over-sampler and the
novelty detector) have in common: the GAN's parameters, their constraints and how
a SequenceGAN is built from them. Kept torch-free so importing an estimator's
module does not load torch."""

from __future__ import annotations

import numbers
import warnings
from typing import Any

from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

_POSITIVE_INT = Interval(numbers.Integral, 1, None, closed="left")
_NON_NEGATIVE = Interval(numbers.Real, 0, None, closed="left")
_POSITIVE = Interval(numbers.Real, 0, None, closed="neither")

GAN_PARAMETER_CONSTRAINTS: dict = {
    "lambda_gp": [_NON_NEGATIVE],
    "mu": [_NON_NEGATIVE],
    "gradient_penalty": [StrOptions({"interpolates", "real"})],
    "penalty_estimate": [StrOptions({"finite_difference", "exact"})],
    "gp_every": [_POSITIVE_INT],
    "drift_weight": [_NON_NEGATIVE],
    "generator_penalty": ["boolean"],
    # a LossWeightSchedule (checked by duck type: this module stays torch-free)
    "loss_weight_schedule": [HasMethods(["on_epoch_end", "get_params"]), None],
    "hidden_size": [_POSITIVE_INT],
    "num_layers": [_POSITIVE_INT],
    "lr_generator": [_POSITIVE],
    "lr_critic": [_POSITIVE],
    "lr_decoder": [_POSITIVE],
    "batch_size": [_POSITIVE_INT],
    "max_steps": [_POSITIVE_INT],
    "max_epochs": [_POSITIVE_INT, None],
    "n_iter_no_change": [_POSITIVE_INT, None],
    "tol": [_NON_NEGATIVE],
    "instance_noise": [_NON_NEGATIVE],
    "padding_value": [numbers.Real],
    "device": [str],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
    "n_threads": [_POSITIVE_INT, None],
}

# Descriptions of the GAN's parameters, shared by the estimators' docstrings through
# imbalanced-learn's Substitution (as {gan_parameters}); class-docstring indentation.
GAN_DOCS = {
    "gan_parameters": """lambda_gp : float, default=10.0
        Gradient-penalty weight λ of eq. (1).
    mu : float, default=10.0
        Autoencoder weight μ of eq. (1). Larger values make the generator's codes
        decodable sooner, which small training budgets need.
    gradient_penalty : {"interpolates", "real"}, default="interpolates"
        Where the penalty ``(||∇D|| - 1)^2`` is taken: at random interpolates
        between each sequence's real and fake code (Gulrajani et al.), or at
        the real code (the paper's eq. 1). Interpolates constrain the critic in
        the region the generator's gradient comes from; a penalty at the real
        codes alone leaves the critic free to be steep around the fake codes.
    penalty_estimate : {"finite_difference", "exact"}, default="finite_difference"
        How the slope in the penalty ``(slope - 1)^2`` is obtained.
        ``"finite_difference"``: the critic's slope along the direction from
        each fake code to its real code, a central difference over a twentieth
        of their distance; its two extra critic inputs join the real and fake
        codes in one critic call, so it needs no extra kernels and only a
        first-order backward (the optimal WGAN critic has slope 1 exactly along
        these directions). ``"exact"``: the norm of the critic's gradient
        (Gulrajani et al.), a double backward through the LSTM critic that runs
        step by step (cuDNN has none), so its cost grows with the sequence
        length. See the User Guide for both measured.
    gp_every : int, default=4
        Lazy regularisation: the penalty is computed every ``gp_every``-th
        critic step with weight ``lambda_gp * gp_every``. The paper penalises
        at every step (``gp_every=1``).
    drift_weight : float, default=1e-3
        Weight of a drift term ``E[D(real)^2]`` in the critic's loss (Karras et
        al. 2018) that keeps the critic's values near zero. Not in the paper's
        eq. (1), nor in the authors' code: 0 gives their critic loss.
    generator_penalty : bool, default=False
        Also put the penalty term ``lambda_gp * GP`` into the generator's loss
        (at its lazy steps), as the paper's section 2.2.1 says the generator is
        updated "by considering all terms in the loss function"; the penalty
        points are the generator's codes, so the term moves its weights. False
        (default): the adversarial and μ-weighted autoencoder terms only, as
        the authors' public code does.
    loss_weight_schedule : LossWeightSchedule or None, default=None
        Adjust ``mu`` and ``lambda_gp`` during training from the monitored
        losses, as the paper says it did (it gives no rule): a
        :class:`~imblearn_seqgan.over_sampling.LossWeightSchedule`, whose
        docstring states its rule; its history columns ``mu`` and
        ``lambda_gp`` show what it did. None: both stay fixed (as in the
        authors' code).
    hidden_size : int, default=64
        Code size: units of the generator's and decoder's LSTMs.
    num_layers : int, default=2
        Layers of the generator's and decoder's LSTMs.
    lr_generator : float, default=2e-3
        Adam learning rate of the generator (betas 0.5, 0.9, as all three).
    lr_critic : float, default=5e-4
        Adam learning rate of the critic. Keep it below ``lr_generator`` so the
        critic does not win early (paper).
    lr_decoder : float, default=2e-3
        Adam learning rate of the autoencoder's decoder.
    batch_size : int, default=64
        Sequences per batch. Batches group sequences of similar length.
    max_steps : int, default=900
        Training budget in optimisation steps (generator, critic and decoder
        steps together, a third each). Counted in steps, not passes, because
        the samples' quality follows the steps taken: with the defaults, 900
        steps gave synthetic sequences a real-data classifier called minority
        100% of the time on 30 minority sequences (300 passes) and 99% on
        30,000 (2 passes); 200 steps are too few. About 30-60 s on a 2-core CPU.
    max_epochs : int or None, default=None
        A budget in passes over the training sequences instead: training ends
        after this many passes or ``max_steps`` steps, whichever comes first.
    n_iter_no_change : int or None, default=None
        Stop when the autoencoder loss, averaged over a pass, has not improved
        on its best by more than ``tol`` (relative) for this many passes
        (skorch's ``EarlyStopping``; the Wasserstein estimate is no convergence
        measure). None: train the whole budget.
    tol : float, default=1e-2
        Relative improvement that counts for ``n_iter_no_change``.
    instance_noise : float, default=1.0
        Std of the noise added to the codes the critic sees; it decays
        linearly to zero at half the budget.""",
    "n_threads": """n_threads : int or None, default=1
        torch's intra-op CPU threads while fitting and predicting (restored
        afterwards), as :class:`~imblearn_seqgan.classification.Seq2SeqClassifier`'s.
        One thread is the fastest for these small recurrent networks and does
        not fight other processes (or ``n_jobs`` workers) for the cores; None
        leaves torch's global setting alone.""",
    "gan_verbose": """verbose : int, default=0
        0: silent; 1: a table with one line per epoch (a pass over the training
        sequences): the generator's loss, the autoencoder loss, the critic's
        Wasserstein estimate D(real) - D(fake) and the gradient penalty, averaged
        over the epoch's steps that computed one (blank when none did); 2: also a
        progress bar over the ``max_steps`` steps with the latest of these.""",
}

# estimator parameters handed to SequenceGAN unchanged
_GAN_ARGUMENTS = (
    "lambda_gp",
    "mu",
    "gradient_penalty",
    "penalty_estimate",
    "gp_every",
    "drift_weight",
    "generator_penalty",
    "loss_weight_schedule",
    "hidden_size",
    "num_layers",
    "batch_size",
    "max_steps",
    "max_epochs",
    "n_iter_no_change",
    "tol",
    "instance_noise",
    "verbose",
)


# Fewer steps than this left the GAN's samples unlike the minority on at least one
# seed in the user guide's measurement ("A budget in steps"); from it on, every seed's
# samples were. The estimators' default, 900, is above it.
MIN_GAN_STEPS = 750


def warn_short_budget(estimator: Any, stacklevel: int) -> None:
    """Warn, once per fit, when ``estimator.max_steps`` is below ``MIN_GAN_STEPS``.

    Tests and examples that take a few steps on purpose see the warning too (the
    test suite's configuration silences it).

    Parameters
    ----------
    estimator : SeqGANOverSampler or GANNoveltyDetector
        Its ``max_steps`` is read.
    stacklevel : int
        Frames between this function's caller and the line to report (1: the
        caller itself).
    """
    if estimator.max_steps < MIN_GAN_STEPS:
        warnings.warn(
            f"{type(estimator).__name__}(max_steps={estimator.max_steps}) trains the GAN "
            f"for fewer than {MIN_GAN_STEPS} steps, too few for its samples to carry the "
            "minority's pattern reliably; set max_steps=900 (the default) or more (the "
            "user guide's 'A budget in steps' has the measurements).",
            UserWarning,
            stacklevel=stacklevel + 1,
        )


def build_sequence_gan(estimator: Any, seed: int, gan_class: Any = None) -> Any:
    """A SequenceGAN configured from ``estimator``'s parameters, seeded with ``seed``.

    Parameters
    ----------
    estimator : SeqGANOverSampler or GANNoveltyDetector
        Its GAN parameters (``GAN_PARAMETER_CONSTRAINTS``) are read.
    seed : int
        The GAN's ``random_state``.
    gan_class : type, default=None
        A subclass of ``SequenceGAN`` to build instead (e.g. an experiment's
        variant of a training step).

    Returns
    -------
    gan : SequenceGAN
        Not fitted. The learning rates go to skorch's optimizer parameters:
        ``lr`` (the generator, skorch's main module), ``optimizer_critic__lr``
        and ``optimizer_decoder__lr``.
    """
    from ._nn import SequenceGAN, resolve_device

    return (gan_class or SequenceGAN)(
        **{name: getattr(estimator, name) for name in _GAN_ARGUMENTS},
        lr=estimator.lr_generator,
        optimizer_critic__lr=estimator.lr_critic,
        optimizer_decoder__lr=estimator.lr_decoder,
        device=str(resolve_device(estimator.device)),
        random_state=seed,
    )
