"""Tests of the latent autoencoder and the net that trains it."""

import numpy as np
import torch

from imblearn_seqgan._nn import LengthBucketedLoader, seeded
from imblearn_seqgan._nn._autoencoder import (
    AutoencoderNet,
    LatentAutoencoder,
    MaskedMSELoss,
    decode_change,
)


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


def test_class_head_is_an_addition_to_the_same_autoencoder():
    torch.manual_seed(0)
    plain = LatentAutoencoder(2, 3)
    torch.manual_seed(0)
    headed = LatentAutoencoder(2, 3, n_classes=4)
    # the head is built last: encoder and decoder start from the same weights
    for name, weight in plain.state_dict().items():
        torch.testing.assert_close(headed.state_dict()[name], weight)
    values, lengths = torch.randn(5, 6, 2), torch.tensor([6, 5, 4, 3, 2])
    reconstruction, logits = headed(values, lengths)
    assert logits.shape == (5, 4)
    torch.testing.assert_close(logits, headed.classify(headed.encode(values, lengths)))
    torch.testing.assert_close(reconstruction, plain(values, lengths))


def test_class_separation_adds_the_heads_cross_entropy():
    rng = np.random.default_rng(0)
    lengths = rng.integers(3, 9, size=40)
    values = rng.normal(size=(40, 8, 2))
    values[np.arange(8)[None, :] >= lengths[:, None]] = 0.0
    classes = rng.integers(0, 2, size=40)
    X = {"values": values, "lengths": lengths}
    nets = {}
    for weight in (0.0, 2.0):
        with seeded(0):
            nets[weight] = AutoencoderNet(
                module=LatentAutoencoder,
                module__n_features=2,
                module__hidden_size=8,
                module__n_classes=2,
                class_separation=weight,
                criterion=MaskedMSELoss,
                optimizer=torch.optim.Adam,
                lr=1e-2,
                max_epochs=1,
                batch_size=40,
                train_split=None,
                device="cpu",
            ).initialize()
    batch = {k: torch.as_tensor(v) for k, v in X.items()}
    y = torch.as_tensor(classes)
    losses = {}
    for weight, net in nets.items():
        with torch.no_grad():
            losses[weight] = net.get_loss(net.infer(batch), y, X=batch)
    module = nets[2.0].module_
    with torch.no_grad():
        logits = module(batch["values"], batch["lengths"])[1]
        cross_entropy = torch.nn.functional.cross_entropy(logits, y)
    torch.testing.assert_close(losses[2.0] - losses[0.0], 2.0 * cross_entropy)


def test_decoding_the_change_of_an_unchanged_code_returns_the_source():
    torch.manual_seed(0)
    mean, scale = np.array([10.0, -5.0]), np.array([2.0, 0.5])
    ae = LatentAutoencoder(2, 3, feature_mean=mean, feature_scale=scale)
    rng = np.random.default_rng(0)
    lengths = rng.integers(2, 7, size=9)
    values = mean + scale * rng.normal(size=(9, 6, 2))
    values[np.arange(6)[None, :] >= lengths[:, None]] = 0.0
    with torch.no_grad():
        codes = ae.encode(torch.as_tensor(values), torch.as_tensor(lengths)).numpy()
    same = decode_change(ae, codes, codes, values, lengths, batch_size=4)
    np.testing.assert_allclose(same, values[:, : lengths.max()], atol=1e-5)
    # another code: the source plus the change of the decoding
    other = codes[::-1].copy()
    changed = decode_change(ae, other, codes, values, lengths)
    with torch.no_grad():
        lens = torch.as_tensor(lengths)
        delta = ae.decode(torch.as_tensor(other), lens) - ae.decode(torch.as_tensor(codes), lens)
    np.testing.assert_allclose(changed, values + delta.numpy(), atol=1e-5)
    assert np.all(changed[np.arange(6)[None, :] >= lengths[:, None]] == 0)  # padding stays 0
