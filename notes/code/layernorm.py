"""Layer normalization, in NumPy.

My implementation of Section 3 of "Layer Normalization" (Ba, Kiros and
Hinton, 2016): every sample is normalised with statistics computed over its
own hidden units, so the result does not depend on the batch.
"""

from __future__ import annotations

import numpy as np


def layer_norm(
    x: np.ndarray,
    gain: np.ndarray | None = None,
    bias: np.ndarray | None = None,
    eps: float = 1e-5,
) -> np.ndarray:
    """Normalise the last axis to mean 0 and variance 1, then scale and shift.

    y = gain * (x - mean) / sqrt(var + eps) + bias, with the mean and the
    (biased) variance taken over the last axis of each sample.

    Args:
        x: Activations, shape `(..., H)` for H hidden units.
        gain: Per-unit gain g, shape `(H,)`; default ones.
        bias: Per-unit bias b, shape `(H,)`; default zeros.
        eps: Added to the variance so a constant input does not divide by zero.

    Returns:
        An array of the same shape as `x`.
    """
    mean = np.mean(x, axis=-1, keepdims=True)
    var = np.mean((x - mean) ** 2, axis=-1, keepdims=True)
    normalized = (x - mean) / np.sqrt(var + eps)
    if gain is not None:
        normalized = normalized * gain
    if bias is not None:
        normalized = normalized + bias
    return normalized


class LayerNorm:
    """Layer normalization with a learnable gain and bias per hidden unit.

    Attributes:
        gain: Per-unit gain g, initialised to ones.
        bias: Per-unit bias b, initialised to zeros.
        eps: Added to the variance for numerical stability.
    """

    def __init__(self, features: int, eps: float = 1e-5) -> None:
        """Create the parameters for `features` hidden units."""
        self.gain = np.ones(features)
        self.bias = np.zeros(features)
        self.eps = eps

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Normalise `x` of shape `(..., features)` with this layer's parameters."""
        return layer_norm(x, self.gain, self.bias, self.eps)
