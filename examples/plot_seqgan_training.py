"""
Did the GAN train? Loss curves and real against synthetic minority sequences
============================================================================

``SeqGANOverSampler`` records its per-epoch losses in ``history_`` (a skorch
``History``). This example trains it on seeded synthetic data whose minority
carries a sine on feature 0 and a ramp on feature 1, then draws

* the autoencoder loss, the critic's estimate of the Wasserstein distance
  ``D(real) - D(fake)`` and the instance noise over the epochs: the autoencoder
  loss should fall and flatten, the Wasserstein estimate should stay bounded;
* real minority sequences next to synthetic ones made from them;
* the discriminative score of the synthetic data (0.5: a classifier cannot tell
  them from real minority sequences).
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from imblearn_seqgan import SeqGANOverSampler
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.metrics import discriminative_score
from imblearn_seqgan.utils import check_sequences

X, y = make_imbalanced_sequences(400, weights=(0.8, 0.2), random_state=0)
sampler = SeqGANOverSampler(n_per_sample=3, random_state=0)
X_res, y_res = sampler.fit_resample(X, y)
print(f"{len(y)} real sequences, {len(y_res) - len(y)} synthetic minority sequences")

# %%
# Loss curves from ``history_``
# -----------------------------
history = sampler.history_
fig, axes = plt.subplots(1, 3, figsize=(12, 3.5))
axes[0].plot(history[:, "autoencoder_loss"])
axes[0].set_title("autoencoder (reconstruction)")
# the critic's total loss (``critic_loss``) is not drawn: with the lazy gradient
# penalty (``gp_every``) it jumps from one critic step to the next, which reads as
# divergence (see the user guide); its Wasserstein estimate is the curve to watch
axes[1].plot(history[:, "wasserstein"])
axes[1].axhline(0, color="grey", lw=0.5)
axes[1].set_title("critic's Wasserstein estimate")
axes[2].plot(history[:, "instance_noise"])
axes[2].set_title("instance noise")
for ax in axes:
    ax.set_xlabel("epoch")
fig.tight_layout()

# %%
# Real minority sequences and synthetic ones made from them
# ---------------------------------------------------------
# ``sources_`` gives the real sequence each synthetic one was decoded from; each
# synthetic sequence has its source's length.
seqs = check_sequences(X_res)
n_real = len(y)
fig, axes = plt.subplots(2, 3, figsize=(12, 5), sharey="row")
for column, source in enumerate(np.unique(sampler.sources_)[:3]):
    made_from_it = n_real + np.flatnonzero(sampler.sources_ == source)
    for row, feature in enumerate((0, 1)):
        ax = axes[row, column]
        length = seqs.lengths[source]
        ax.plot(seqs.values[source, :length, feature], "k", lw=2, label="real")
        for k, i in enumerate(made_from_it):  # one legend entry for all synthetic ones
            ax.plot(
                seqs.values[i, :length, feature], alpha=0.7, label="synthetic" if k == 0 else None
            )
        ax.set_title(f"sequence {source}, feature {feature}")
axes[0, 0].legend()
fig.tight_layout()

# %%
# Discriminative score
# --------------------
# A logistic regression on per-feature summaries tries to tell real minority
# sequences from synthetic ones; 0.5 balanced accuracy means it cannot.


def summaries(X):
    s = check_sequences(X)
    n = s.lengths[:, None]
    mean = s.values.sum(axis=1) / n
    std = np.sqrt(((s.values - mean[:, None]) ** 2 * s.mask[:, :, None]).sum(axis=1) / n)
    return np.hstack([mean, std])


real_minority = [seqs.values[i, : seqs.lengths[i]] for i in np.flatnonzero(y == 1)]
synthetic = [seqs.values[i, : seqs.lengths[i]] for i in range(n_real, len(y_res))]
clf = make_pipeline(FunctionTransformer(summaries), StandardScaler(), LogisticRegression())
score = discriminative_score(
    real_minority, synthetic, estimator=clf, scoring="balanced_accuracy", random_state=0
)
print(f"discriminative score (balanced accuracy, 0.5 is perfect): {score:.2f}")
