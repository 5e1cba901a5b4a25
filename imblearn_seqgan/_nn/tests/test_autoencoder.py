"""Tests of the latent autoencoder and the net that trains it."""

import numpy as np
import torch

from imblearn_seqgan._nn import LengthBucketedLoader, seeded
from imblearn_seqgan._nn._autoencoder import AutoencoderNet, LatentAutoencoder, MaskedMSELoss


def test_autoencoder_works_in_the_data_units():
    torch.manual_seed(0)
    mean, scale = np.array([10.0, -5.0]), np.array([2.0, 0.5])
    ae = LatentAutoencoder(2, 3, feature_mean=mean, feature_scale=scale)
    values = torch.tensor(mean + scale * np.random.default_rng(0).normal(size=(2, 4, 2)))
    values[1, 2:] = 0.0
    lengths = torch.tensor([4, 2])
    x = ae.standardise(values, lengths)
    assert x.dtype == torch.float32 and x.shape == (2, 4, 2)
    assert torch.all(x[1, 2:] == 0) and x[:, :2].abs().max() < 5  # standardised, masked
    # the padding's content never matters, nor does a longer padded width
    wider = torch.cat([values, torch.full((2, 3, 2), 99.0, dtype=values.dtype)], dim=1)
    torch.testing.assert_close(ae.encode(wider, lengths), ae.encode(values, lengths))
    decoded = ae.decode(ae.encode(values, lengths), lengths)
    assert decoded.shape == (2, 4, 2) and torch.all(decoded[1, 2:] == 0)
    # decode undoes the standardisation of what forward reconstructs
    expected = ae(values, lengths) * ae.feature_scale + ae.feature_mean
    torch.testing.assert_close(decoded[0], expected[0])


def test_net_reduces_the_reconstruction_error():
    rng = np.random.default_rng(0)
    lengths = rng.integers(3, 9, size=40)
    values = np.sin(np.arange(8)[None, :, None] + rng.normal(size=(40, 1, 2))) * 3 + 7
    values[np.arange(8)[None, :] >= lengths[:, None]] = 0.0
    with seeded(0) as seed:
        net = AutoencoderNet(
            module=LatentAutoencoder,
            module__n_features=2,
            module__hidden_size=8,
            module__feature_mean=np.full(2, 7.0),
            module__feature_scale=np.full(2, 2.0),
            criterion=MaskedMSELoss,
            optimizer=torch.optim.Adam,
            lr=3e-2,
            max_epochs=30,
            batch_size=8,
            iterator_train=LengthBucketedLoader,
            iterator_train__rng=np.random.default_rng(seed),
            train_split=None,
            device="cpu",
        ).fit({"values": values, "lengths": lengths}, None)
    losses = net.history[:, "train_loss"]
    assert len(losses) == 30 and losses[-1] < 0.5 * losses[0]
