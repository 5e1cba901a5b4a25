"""Shared PyTorch building blocks of imblearn-seqgan (private, but stable).

Every ``nn.Module`` of the package and how it is trained, so that the GAN
over-sampler, the latent-space ADASYN, the GAN novelty detector and the
sequence classifier batch, encode, decode, seed and train the same way:

* :class:`SequenceNet`, :class:`TrainingDivergedError`, :func:`raise_if_diverged`:
  the one training style (skorch) and its one epoch loop, with one meaning of
  ``verbose`` and one divergence error; see :mod:`imblearn_seqgan._nn._training`;
* :class:`TerminalPrintLog`, :class:`StepProgressBar`, :func:`early_stopping`,
  :func:`write_line` (:mod:`._callbacks`): the skorch callbacks every net uses;
* :func:`resolve_device`, :func:`cuda_device`, :func:`run_on_cuda_streams`,
  :func:`seeded`, :func:`torch_seed`, :func:`torch_cpu_settings`, :func:`to_tensor`;
* :func:`length_bucketed_batches`, :func:`trim_batch`, :func:`iter_batches`,
  :class:`LengthBucketedLoader`, :class:`BatchStream`: batches of similar length,
  each trimmed to its own longest sequence;
* :class:`SequenceEncoder`, :class:`SequenceDecoder`, :func:`length_mask`,
  :func:`reverse_padded`: LSTMs over zero-post-padded batches plus lengths;
* :func:`masked_mse`, :func:`masked_cross_entropy`: losses over valid steps;
* :class:`LatentAutoencoder`, :class:`AutoencoderNet`, :func:`latent_autoencoder_net`,
  :func:`feature_standardisation`, :func:`encode_sequences`, :func:`decode_codes`,
  :func:`decode_change`
  (:mod:`._autoencoder`): LatentADASYN's autoencoder, its net, sequences to codes and
  back, and decoding the change a new code makes to a source;
* :class:`PlateauStopping`, :func:`loss_has_plateaued` (:mod:`._stopping`): early
  stopping that does not take a plateau of the loss for its end;
* :class:`AttentionSeq2Seq`, :class:`Seq2SeqNet`, :func:`auto_batch_size`,
  :func:`sequence_input` (:mod:`._seq2seq`): the classifier's attention
  encoder-decoder, its net and its batch-size policy;
* :class:`SequenceGAN`: the paper's WGAN-GP with autoencoder (generator,
  critic, decoder and their trainer), with ``critic_score``,
  ``reconstruction_error`` and ``generate`` for the estimators.

Inputs everywhere are the data contract's ``Sequences.values`` (post-padded with
zeros) and ``Sequences.lengths``.
"""

from ._autoencoder import (
    AutoencoderNet,
    LatentAutoencoder,
    MaskedMSELoss,
    decode_change,
    decode_codes,
    encode_sequences,
    feature_standardisation,
    latent_autoencoder_net,
)
from ._batching import (
    BatchStream,
    LengthBucketedLoader,
    iter_batches,
    length_bucketed_batches,
    trim_batch,
)
from ._callbacks import StepProgressBar, TerminalPrintLog, early_stopping, write_line
from ._gan import SequenceGAN
from ._gan_modules import CodeCritic, CodeDecoder, CodeGenerator, CodeReconstructionLoss
from ._loss_weights import LossWeightSchedule
from ._modules import (
    SequenceDecoder,
    SequenceEncoder,
    length_mask,
    masked_cross_entropy,
    masked_mse,
    reverse_padded,
)
from ._seq2seq import (
    AUTO_BATCH_BASE,
    AttentionSeq2Seq,
    Seq2SeqNet,
    WeightedSequenceCrossEntropy,
    auto_batch_size,
    sequence_input,
)
from ._stopping import PlateauStopping, loss_has_plateaued
from ._training import (
    SequenceNet,
    TrainingDivergedError,
    raise_if_diverged,
    resolve_optimizer,
)
from ._utils import (
    cuda_device,
    resolve_device,
    run_on_cuda_streams,
    seeded,
    threaded_iter,
    to_tensor,
    torch_cpu_settings,
    torch_seed,
    trains_on_cuda,
)

__all__ = [
    "AUTO_BATCH_BASE",
    "auto_batch_size",
    "sequence_input",
    "AttentionSeq2Seq",
    "BatchStream",
    "StepProgressBar",
    "early_stopping",
    "write_line",
    "AutoencoderNet",
    "LatentAutoencoder",
    "MaskedMSELoss",
    "PlateauStopping",
    "decode_change",
    "decode_codes",
    "encode_sequences",
    "feature_standardisation",
    "loss_has_plateaued",
    "Seq2SeqNet",
    "WeightedSequenceCrossEntropy",
    "CodeCritic",
    "LengthBucketedLoader",
    "SequenceNet",
    "TerminalPrintLog",
    "TrainingDivergedError",
    "raise_if_diverged",
    "resolve_optimizer",
    "torch_cpu_settings",
    "threaded_iter",
    "CodeDecoder",
    "CodeGenerator",
    "CodeReconstructionLoss",
    "SequenceGAN",
    "LossWeightSchedule",
    "SequenceDecoder",
    "SequenceEncoder",
    "iter_batches",
    "latent_autoencoder_net",
    "length_bucketed_batches",
    "length_mask",
    "masked_cross_entropy",
    "masked_mse",
    "cuda_device",
    "resolve_device",
    "run_on_cuda_streams",
    "reverse_padded",
    "seeded",
    "to_tensor",
    "torch_seed",
    "trains_on_cuda",
    "trim_batch",
]
