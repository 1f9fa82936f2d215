"""Scaled dot-product attention and multi-head attention, in NumPy.

My implementation of Section 3.2 of "Attention Is All You Need" (Vaswani et
al., 2017). Arrays are laid out as `(..., sequence, features)`: any leading
axes are batch axes, the second-to-last axis indexes positions and the last
axis indexes features.
"""

from __future__ import annotations

import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax along one axis, shifted by the maximum so large scores do not overflow.

    Args:
        x: Scores; `-inf` entries get a weight of exactly zero.
        axis: The axis whose entries sum to one.

    Returns:
        Non-negative weights of the same shape as `x`.
    """
    shifted = x - np.max(x, axis=axis, keepdims=True)
    exp = np.exp(shifted)
    return exp / np.sum(exp, axis=axis, keepdims=True)


def causal_mask(length: int) -> np.ndarray:
    """The decoder's mask: position i may attend to positions 0..i only.

    Args:
        length: Number of positions.

    Returns:
        A boolean `(length, length)` array, True where attention is allowed.
    """
    return np.tril(np.ones((length, length), dtype=bool))


def attention_scores(q: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Compatibility of every query with every key, scaled by 1/sqrt(d_k).

    Args:
        q: Queries, shape `(..., n_q, d_k)`.
        k: Keys, shape `(..., n_k, d_k)`.

    Returns:
        Scores of shape `(..., n_q, n_k)`.
    """
    d_k = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2)
    return scores / np.sqrt(d_k)


def scaled_dot_product_attention(
    q: np.ndarray,
    k: np.ndarray,
    v: np.ndarray,
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V (equation 1 of the paper).

    Args:
        q: Queries, shape `(..., n_q, d_k)`.
        k: Keys, shape `(..., n_k, d_k)`.
        v: Values, shape `(..., n_k, d_v)`.
        mask: Optional boolean array broadcastable to `(..., n_q, n_k)`;
            False marks a key a query must not attend to.

    Returns:
        The output, shape `(..., n_q, d_v)`, and the attention weights,
        shape `(..., n_q, n_k)`, whose rows sum to one.
    """
    scores = attention_scores(q, k)
    if mask is not None:
        # -inf rather than a large negative number: masked weights become exactly 0.
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores, axis=-1)
    return weights @ v, weights


class MultiHeadAttention:
    """Multi-head attention: h heads of scaled dot-product attention in parallel.

    MultiHead(Q, K, V) = Concat(head_1, ..., head_h) W^O, where
    head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V). The per-head projections are
    stored as one `(d_model, d_model)` matrix each for Q, K and V, whose column
    blocks of width d_k = d_model / h are the heads' matrices.

    Attributes:
        num_heads: Number of heads h.
        d_k: Width of each head, d_model / h.
        w_q: Query projection, shape `(d_model, d_model)`.
        w_k: Key projection, shape `(d_model, d_model)`.
        w_v: Value projection, shape `(d_model, d_model)`.
        w_o: Output projection W^O, shape `(d_model, d_model)`.
    """

    def __init__(
        self, d_model: int, num_heads: int, rng: np.random.Generator | None = None
    ) -> None:
        """Initialise the four projections with Glorot-uniform weights.

        Args:
            d_model: Width of the model's vectors.
            num_heads: Number of heads; must divide d_model.
            rng: Random generator, for reproducible weights.

        Raises:
            ValueError: If num_heads does not divide d_model.
        """
        if d_model % num_heads:
            raise ValueError(f"num_heads={num_heads} does not divide d_model={d_model}")
        rng = rng if rng is not None else np.random.default_rng()
        limit = np.sqrt(6.0 / (d_model + d_model))
        self.num_heads = num_heads
        self.d_k = d_model // num_heads
        self.w_q, self.w_k, self.w_v, self.w_o = (
            rng.uniform(-limit, limit, size=(d_model, d_model)) for _ in range(4)
        )

    def split_heads(self, x: np.ndarray) -> np.ndarray:
        """`(..., n, d_model)` -> `(..., h, n, d_k)`: one slice per head."""
        *batch, n, _ = x.shape
        x = x.reshape(*batch, n, self.num_heads, self.d_k)
        return np.swapaxes(x, -3, -2)

    def combine_heads(self, x: np.ndarray) -> np.ndarray:
        """`(..., h, n, d_k)` -> `(..., n, d_model)`: concatenate the heads."""
        x = np.swapaxes(x, -3, -2)
        *batch, n, _, _ = x.shape
        return x.reshape(*batch, n, self.num_heads * self.d_k)

    def __call__(
        self,
        q: np.ndarray,
        k: np.ndarray,
        v: np.ndarray,
        mask: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Attend from the queries to the keys and values with every head.

        Args:
            q: Queries, shape `(..., n_q, d_model)`.
            k: Keys, shape `(..., n_k, d_model)`.
            v: Values, shape `(..., n_k, d_model)`.
            mask: Optional boolean mask broadcastable to `(..., n_q, n_k)`,
                shared by all heads.

        Returns:
            The output, shape `(..., n_q, d_model)`, and every head's attention
            weights, shape `(..., h, n_q, n_k)`.
        """
        heads_q = self.split_heads(q @ self.w_q)
        heads_k = self.split_heads(k @ self.w_k)
        heads_v = self.split_heads(v @ self.w_v)
        if mask is not None:
            mask = np.expand_dims(mask, -3)  # the same mask for every head
        heads, weights = scaled_dot_product_attention(heads_q, heads_k, heads_v, mask)
        concat = self.combine_heads(heads)
        return concat @ self.w_o, weights
