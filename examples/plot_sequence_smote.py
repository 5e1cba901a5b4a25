"""
SMOTE and time-series augmentation on sequences of different lengths
====================================================================

The Japanese Vowels data set holds utterances of 7 to 29 time steps of 12 LPC
cepstrum coefficients; speaker 1 is the minority (30 utterances against 579).
This example over-samples the minority three ways, each in a fraction of a
second and without training anything:

* :class:`~imblearn_seqgan.over_sampling.SequenceSMOTE`: each new utterance lies
  between two real ones of speaker 1, at an interpolated length;
* :class:`~imblearn_seqgan.over_sampling.SequenceAugmenter`: each new utterance
  is a real one warped in time or in magnitude, at its source's length;
* :class:`~imblearn_seqgan.over_sampling.SequenceRandomOverSampler`: copies, the
  baseline every other sampler should beat.

It draws the first coefficient of real and new utterances, and the lengths.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from imblearn_seqgan.datasets import load_japanese_vowels
from imblearn_seqgan.over_sampling import (
    SequenceAugmenter,
    SequenceRandomOverSampler,
    SequenceSMOTE,
)

X, y = load_japanese_vowels(return_list=True, random_state=0)
n = len(y)
minority = [x for x, label in zip(X, y, strict=True) if label == 1]
print(f"{n} utterances, {len(minority)} of speaker 1")

samplers = {
    "SequenceSMOTE": SequenceSMOTE(random_state=0),
    "SequenceAugmenter": SequenceAugmenter(random_state=0),
    "SequenceRandomOverSampler": SequenceRandomOverSampler(random_state=0),
}
new = {}
for name, sampler in samplers.items():
    X_res, y_res = sampler.fit_resample(X, y)
    new[name] = X_res[n:]
    print(f"{name}: {len(X_res) - n} new utterances of speaker 1")

# %%
# Real against new utterances
# ---------------------------
# SMOTE's utterances follow the minority's shapes and lengths without repeating
# any of them; the augmented ones are visibly their sources, warped.
augmenter = samplers["SequenceAugmenter"]
# the augmenter goes through the sources in turn: one new utterance of each
_, first_of_each = np.unique(augmenter.sources_, return_index=True)
panels = [
    ("real, speaker 1", minority),
    ("SequenceSMOTE", new["SequenceSMOTE"]),
    ("SequenceAugmenter", [new["SequenceAugmenter"][i] for i in first_of_each]),
]
fig, axes = plt.subplots(1, 3, figsize=(12, 3.5), sharey=True)
for ax, (title, sequences) in zip(axes, panels, strict=True):
    for seq in sequences[:12]:
        ax.plot(seq[:, 0], alpha=0.7)
    ax.set_title(title)
    ax.set_xlabel("time step")
axes[0].set_ylabel("LPC coefficient 1")
fig.tight_layout()

# %%
# Which augmentation made which utterance
# ---------------------------------------
# ``sources_`` holds each new utterance's real source and ``methods_`` the
# augmentation it got; here one source and, for each augmentation, one of the
# utterances made from it.
source = augmenter.sources_[0]
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(X[source][:, 0], color="black", linewidth=2.5, label="source")
for method in np.unique(augmenter.methods_):
    made = np.flatnonzero((augmenter.sources_ == source) & (augmenter.methods_ == method))
    if len(made):
        ax.plot(new["SequenceAugmenter"][made[0]][:, 0], label=str(method))
ax.set_xlabel("time step")
ax.set_ylabel("LPC coefficient 1")
ax.legend(fontsize="small")
fig.tight_layout()

# %%
# Lengths
# -------
# SMOTE's lengths are interpolated between the two utterances each new one is
# made from, so they stay within speaker 1's range; the augmenter and the copies
# keep their sources' lengths.
lengths = {"real, speaker 1": [len(x) for x in minority]}
lengths.update({name: [len(x) for x in sequences] for name, sequences in new.items()})
bins = np.arange(5.5, 31.5)
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, values in lengths.items():
    ax.hist(values, bins=bins, density=True, histtype="step", linewidth=2, label=name)
ax.set_xlabel("length (time steps)")
ax.set_ylabel("share of utterances")
ax.legend(fontsize="small")
fig.tight_layout()
plt.show()
