"""Toy checks behind the `results:` of my notes, run by hand with `python reproduce.py`.

Each function recomputes one number a paper states, with my own code and a
fixed random seed, so the numbers in the notes can be checked again (the
test suite does so). None of them needs a dataset or a GPU.
"""

from __future__ import annotations

import numpy as np
from attention import attention_scores
from layernorm import layer_norm


def dot_product_moments(d_k: int, pairs: int = 100_000, seed: int = 0) -> tuple[float, float]:
    """Mean and variance of q . k for q, k with independent N(0, 1) components.

    Footnote 4 of Vaswani et al. (2017) states they are 0 and d_k, which is why
    the scores are divided by sqrt(d_k). The dot products come from my
    `attention_scores`, undoing its scaling.

    Args:
        d_k: Width of the queries and keys.
        pairs: Number of (q, k) pairs sampled.
        seed: Seed of the random generator.

    Returns:
        The sample mean and the sample variance of q . k.
    """
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((pairs, 1, d_k))
    k = rng.standard_normal((pairs, 1, d_k))
    dots = attention_scores(q, k).ravel() * np.sqrt(d_k)
    return float(dots.mean()), float(dots.var())


def layer_norm_moments(
    hidden: int = 512, samples: int = 1_000, seed: int = 0
) -> tuple[float, float]:
    """Largest |mean| and mean standard deviation of layer-normalised samples.

    Layer normalization (Ba et al., 2016) gives each sample mean 0 and
    standard deviation 1 over its hidden units (slightly under 1 because of eps).

    Args:
        hidden: Number of hidden units H.
        samples: Number of samples, drawn from N(3, 2^2).
        seed: Seed of the random generator.

    Returns:
        The largest absolute per-sample mean and the average per-sample standard deviation.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(3.0, 2.0, size=(samples, hidden))
    y = layer_norm(x)
    return float(np.abs(y.mean(axis=-1)).max()), float(y.std(axis=-1).mean())


def layer_norm_rescaling(
    factor: float = 10.0, hidden: int = 512, samples: int = 1_000, seed: int = 0
) -> float:
    """Largest change of the output when each sample is multiplied by `factor`.

    Table 1 of Ba et al. (2016) lists layer normalization as invariant to
    re-scaling a single training case; eps makes the invariance approximate.

    Returns:
        max |LN(factor * x) - LN(x)| over all samples and units.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(3.0, 2.0, size=(samples, hidden))
    return float(np.abs(layer_norm(factor * x) - layer_norm(x)).max())


if __name__ == "__main__":
    for d_k in (64, 512):
        mean, var = dot_product_moments(d_k)
        print(f"d_k={d_k}: mean of q.k = {mean:.4f}, variance of q.k = {var:.2f}")
    worst_mean, mean_std = layer_norm_moments()
    print(f"layer norm: max |mean| = {worst_mean:.2e}, mean std = {mean_std:.6f}")
    print(f"layer norm: max change under x10 re-scaling = {layer_norm_rescaling():.2e}")
