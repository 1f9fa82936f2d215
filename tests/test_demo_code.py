"""The demo site's implementations (notes/code) against values worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

CODE = Path(__file__).resolve().parents[1] / "notes" / "code"
PAPERS = CODE.parent / "papers"


@pytest.fixture(autouse=True)
def code_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(CODE))


def test_softmax_of_log_three_and_zero_is_three_quarters_one_quarter():
    from attention import softmax

    np.testing.assert_allclose(softmax(np.array([math.log(3), 0.0])), [0.75, 0.25])
    # Shifting by the maximum keeps huge scores finite.
    np.testing.assert_allclose(softmax(np.array([1000.0, 1000.0])), [0.5, 0.5])
    assert softmax(np.array([0.0, -np.inf])).tolist() == [1.0, 0.0]


def test_scaled_dot_product_attention_by_hand():
    from attention import scaled_dot_product_attention

    # d_k = 4, so scores are divided by 2: q.k1 / 2 = ln 3, q.k2 = 0 -> weights 3/4, 1/4.
    q = np.array([[2 * math.log(3), 0, 0, 0]])
    k = np.array([[1.0, 0, 0, 0], [0, 0, 0, 0]])
    v = np.array([[4.0, 0], [0, 8.0]])
    out, weights = scaled_dot_product_attention(q, k, v)
    np.testing.assert_allclose(weights, [[0.75, 0.25]])
    np.testing.assert_allclose(out, [[3.0, 2.0]])


def test_masked_keys_get_exactly_zero_weight():
    from attention import causal_mask, scaled_dot_product_attention

    x = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    out, weights = scaled_dot_product_attention(np.zeros((3, 2)), x, x, causal_mask(3))
    # Zero queries score every key 0: uniform weights over the keys each position may see.
    np.testing.assert_allclose(weights, [[1, 0, 0], [1 / 2, 1 / 2, 0], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(out, [[1, 2], [2, 3], [3, 4]])
    assert causal_mask(2).tolist() == [[True, False], [True, True]]


def test_multi_head_attention_with_identity_projections_by_hand():
    from attention import MultiHeadAttention

    mha = MultiHeadAttention(d_model=8, num_heads=2, rng=np.random.default_rng(0))
    mha.w_q = mha.w_k = mha.w_v = mha.w_o = np.eye(8)
    a = math.sqrt(2 * math.log(3))  # head 1: a*a / sqrt(4) = ln 3
    x = np.zeros((2, 8))
    x[0, 0] = a
    out, weights = mha(x, x, x)
    # Head 1 (features 0-3): row 1 scores [ln 3, 0] -> [3/4, 1/4]; row 2 scores [0, 0] -> [1/2, 1/2].
    np.testing.assert_allclose(weights[0], [[0.75, 0.25], [0.5, 0.5]])
    # Head 2 (features 4-7) sees only zeros: uniform weights, zero output.
    np.testing.assert_allclose(weights[1], [[0.5, 0.5], [0.5, 0.5]])
    expected = np.zeros((2, 8))
    expected[0, 0], expected[1, 0] = 0.75 * a, 0.5 * a
    np.testing.assert_allclose(out, expected)


def test_multi_head_attention_shapes_batches_and_masks():
    from attention import MultiHeadAttention, causal_mask

    mha = MultiHeadAttention(d_model=12, num_heads=3, rng=np.random.default_rng(1))
    x = np.random.default_rng(2).standard_normal((5, 4, 12))
    out, weights = mha(x, x, x, causal_mask(4))
    assert out.shape == (5, 4, 12) and weights.shape == (5, 3, 4, 4)
    np.testing.assert_allclose(weights.sum(-1), 1.0)
    assert np.all(weights[..., 0, 1:] == 0)
    np.testing.assert_allclose(mha.combine_heads(mha.split_heads(x)), x)
    with pytest.raises(ValueError, match="does not divide"):
        MultiHeadAttention(d_model=10, num_heads=3)


def test_layer_norm_by_hand():
    from layernorm import LayerNorm, layer_norm

    # mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25
    x = np.array([1.0, 2.0, 3.0, 4.0])
    expected = np.array([-1.5, -0.5, 0.5, 1.5]) / math.sqrt(1.25)
    np.testing.assert_allclose(layer_norm(x, eps=0.0), expected)
    np.testing.assert_allclose(
        layer_norm(x, np.full(4, 2.0), np.ones(4), eps=0.0), 2 * expected + 1
    )
    # Each sample uses its own statistics, so a shifted sample normalises the same;
    # a constant sample becomes zeros thanks to eps.
    np.testing.assert_allclose(
        layer_norm(np.array([[1.0, 2, 3, 4], [11.0, 12, 13, 14]]), eps=0.0), [expected, expected]
    )
    assert layer_norm(np.full(4, 7.0)).tolist() == [0.0] * 4
    np.testing.assert_allclose(LayerNorm(4)(x), layer_norm(x))


def _results(note: str) -> dict[str, dict]:
    path = PAPERS / f"{note}.yaml"
    if not path.is_file():
        pytest.skip(f"{path} is not in this checkout")
    return {r["metric"]: r for r in yaml.safe_load(path.read_text("utf-8")).get("results", [])}


def test_reproduced_numbers_in_the_notes_come_from_the_code():
    """The `reproduced:` values in the demo notes are what notes/code/reproduce.py computes."""
    import reproduce

    attention = _results("vaswani2017attention")
    mean64, var64 = reproduce.dot_product_moments(64)
    _, var512 = reproduce.dot_product_moments(512)
    assert attention["Mean of q·k, d_k = 64"]["reproduced"] == round(mean64, 4)
    assert attention["Variance of q·k, d_k = 64"]["reproduced"] == round(var64, 2)
    assert attention["Variance of q·k, d_k = 512"]["reproduced"] == round(var512, 2)
    layernorm = _results("ba2016layer")
    worst_mean, mean_std = reproduce.layer_norm_moments()
    assert layernorm["Largest per-sample mean after normalization"]["reproduced"] == float(
        f"{worst_mean:.2e}"
    )
    assert layernorm["Mean per-sample standard deviation after normalization"][
        "reproduced"
    ] == round(mean_std, 6)
    change = reproduce.layer_norm_rescaling()
    assert layernorm["Largest change when a sample is scaled by 10"]["reproduced"] == float(
        f"{change:.2e}"
    )


# What each line range in the demo notes must point at: editing notes/code shifts
# lines, and a range that silently points at the wrong code is worse than an error.
LINE_TARGETS = {
    "attention.py#L52": "scores = q @ np.swapaxes(k, -1, -2)",
    "attention.py#L53": "return scores / np.sqrt(d_k)",
    "attention.py#L76-L78": "if mask is not None:",
    "attention.py#L80": "return weights @ v, weights",
    "attention.py#L155-L157": "heads_q = self.split_heads(q @ self.w_q)",
    "attention.py#L160": "heads, weights = scaled_dot_product_attention(",
    "attention.py#L162": "return concat @ self.w_o, weights",
    "layernorm.py#L33": "mean = np.mean(x, axis=-1, keepdims=True)",
    "layernorm.py#L34": "var = np.mean((x - mean) ** 2, axis=-1, keepdims=True)",
    "layernorm.py#L35": "normalized = (x - mean) / np.sqrt(var + eps)",
    "layernorm.py#L36-L39": "if gain is not None:",
}


def test_line_ranges_in_the_demo_notes_point_at_the_code_they_describe():
    found = {}
    for note in ("vaswani2017attention", "ba2016layer"):
        path = PAPERS / f"{note}.yaml"
        if not path.is_file():
            pytest.skip(f"{path} is not in this checkout")
        for algorithm in yaml.safe_load(path.read_text("utf-8")).get("pseudocode", []):
            for step in algorithm["steps"]:
                if "#L" in step.get("code", ""):
                    found[step["code"]] = step["code"]
    assert sorted(found) == sorted(LINE_TARGETS)
    for target, text in LINE_TARGETS.items():
        file, _, lines = target.partition("#L")
        first = int(lines.split("-")[0])
        source = (CODE / file).read_text("utf-8").splitlines()
        assert source[first - 1].strip().startswith(text), target
