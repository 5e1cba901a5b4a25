"""Can the GAN critic of GANNoveltyDetector be read as a novelty score?

Issue 5 asks for a held-out ROC AUC clearly above 0.5 for ``outlier_score="critic"``.
The critic's raw output misses it (``bench_novelty.py``: mean near 0.5, scattered
from 0.1 to 0.9 by seed). This script measures the readings and training variants
tried to mend that, each over the same seeds, on the data of ``bench_novelty.py``:

* ``raw``: the critic's output at the real code, ``-D(G(x, 0))`` (the detector's);
* ``two_sided``: ``|D(x) - median|`` of the training majority's critic values;
* ``features``: Mahalanobis distance (Ledoit-Wolf) of the critic's hidden features
  (its head's input and hidden layer) from the training majority's, the
  feature-matching reading of AnoGAN (Schlegl et al. 2017);
* ``nda_shuffle``, ``nda_gauss``, ``nda_scale``: negative data augmentation
  (Sinha et al. 2021): the critic also learns to score codes of perturbed majority
  sequences as fake (time steps shuffled within each sequence; Gaussian noise with
  the majority's mean and scale; amplitude scaled by ``exp(N(0, 0.7))``).

Run::

    python benchmarks/bench_novelty_critic.py --seeds 8
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from sklearn.covariance import LedoitWolf
from sklearn.metrics import roc_auc_score

import imblearn_seqgan.novelty._gan_novelty as novelty_module
from imblearn_seqgan._nn import SequenceGAN
from imblearn_seqgan._nn._gan import _Batch
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.novelty import GANNoveltyDetector
from imblearn_seqgan.utils import check_sequences


def perturb(batch, kind: str) -> torch.Tensor:
    """Negative examples made from a standardised batch of majority sequences."""
    x, lengths = batch.x, batch.lengths
    n, n_steps, n_features = x.shape
    valid = torch.arange(n_steps)[None] < lengths[:, None]
    if kind == "gauss":
        return torch.randn_like(x) * valid[:, :, None]
    if kind == "shuffle":
        keys = torch.rand(n, n_steps).masked_fill(~valid, 2.0)  # padding stays last
        order = keys.argsort(dim=1)[:, :, None].expand(-1, -1, n_features)
        return torch.gather(x, 1, order)
    if kind == "scale":
        return x * torch.exp(0.7 * torch.randn(n, 1, 1))
    raise ValueError(kind)


class NegativeAugmentedGAN(SequenceGAN):
    """The critic's fakes are the generator's noisy codes and codes of perturbed
    majority sequences, half and half.

    A copy of ``SequenceGAN.train_step_critic`` with the negatives added, kept
    here rather than as an option of the library: it did not help (see the
    novelty user guide), and the library's critic step stays the paper's."""

    negatives = "shuffle"

    def train_step_critic(self, batch, step):
        opt = self.optimizer_critic_
        opt.zero_grad(set_to_none=True)
        sigma = self.current_instance_noise(step)
        with torch.no_grad():
            real, fake = self.get_code_pair(batch)
            negative = self.generator_(perturb(batch, self.negatives), batch.lengths, None, None)
            real, fake, negative = (self._noisy(c, sigma) for c in (real, fake, negative))
        doubled = _Batch(torch.cat([batch.x] * 2), torch.cat([batch.lengths] * 2), None, None)
        real = (torch.cat([real[0]] * 2), None)
        fake = (torch.cat([fake[0], negative[0]]), None)
        d_real, d_fake = self.get_critic_pair(doubled, real, fake)
        wasserstein = d_real.mean() - d_fake.mean()
        loss = -wasserstein + 1e-3 * (d_real**2).mean()
        self.critic_steps_ += 1
        if self.critic_steps_ % self.gp_every == 0:
            gp = self.get_gradient_penalty(doubled, real, fake)
            loss = loss + self.lambda_gp * self.gp_every * gp
        loss.backward()
        opt.step()
        return {
            "loss": loss.detach(),
            "wasserstein": wasserstein.item(),
            "critic_loss": loss.item(),
        }


def critic_readings(detector, X_train_majority, X_test) -> dict[str, np.ndarray]:
    """Outlier scores (higher = more novel) of X_test from the raw critic, its
    two-sided reading and its hidden features."""
    captured: dict[str, list] = {}
    head = detector.gan_.critic_.head
    hooks = [
        head[0].register_forward_hook(
            lambda m, i, o: captured.setdefault("summary", []).append(i[0].detach())
        ),
        head[1].register_forward_hook(
            lambda m, i, o: captured.setdefault("hidden", []).append(o.detach())
        ),
    ]

    def run(X):
        captured.clear()
        seqs = check_sequences(X)
        raw = detector.gan_.critic_score(seqs.values, seqs.lengths)
        feats = np.hstack([torch.cat(captured[k]).double().numpy() for k in captured])
        return raw, feats

    raw_train, feats_train = run(X_train_majority)
    raw_test, feats_test = run(X_test)
    for hook in hooks:
        hook.remove()
    return {
        "raw": -raw_test,
        "two_sided": np.abs(raw_test - np.median(raw_train)),
        "features": LedoitWolf().fit(feats_train).mahalanobis(feats_test),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--lr-critic", type=float, default=5e-4)
    args = parser.parse_args()
    torch.set_num_threads(1)
    shape = dict(weights=[0.8], min_length=8, max_length=16)
    params = dict(hidden_size=8, num_layers=1, max_steps=args.steps, batch_size=32)
    params["lr_critic"] = args.lr_critic
    results: dict[str, list[float]] = {}
    build_plain = novelty_module.build_sequence_gan
    for seed in range(args.seeds):
        X, y = make_imbalanced_sequences(200, random_state=seed, **shape)
        X_test, y_test = make_imbalanced_sequences(200, random_state=1000 + seed, **shape)
        variants = {"plain": build_plain}
        for kind in ("shuffle", "gauss", "scale"):

            def build(estimator, gan_seed, kind=kind):
                gan = build_plain(estimator, gan_seed, gan_class=NegativeAugmentedGAN)
                gan.negatives = kind
                return gan

            variants[f"nda_{kind}"] = build
        for variant, builder in variants.items():
            novelty_module.build_sequence_gan = builder
            detector = GANNoveltyDetector(outlier_score="critic", random_state=seed, **params)
            detector.fit(X, y)
            readings = critic_readings(detector, X[y == 0], X_test)
            if variant != "plain":
                readings = {variant: readings["raw"]}
            for name, score in readings.items():
                results.setdefault(name, []).append(roc_auc_score(y_test != 0, score))
        novelty_module.build_sequence_gan = build_plain
        print(f"seed {seed}: " + ", ".join(f"{k} {v[-1]:.3f}" for k, v in results.items()))
    print("\nheld-out ROC AUC, minority vs majority: mean (min-max)")
    for name, aucs in results.items():
        print(f"{name:>12}: {np.mean(aucs):.3f} ({np.min(aucs):.3f}-{np.max(aucs):.3f})")


if __name__ == "__main__":
    main()
