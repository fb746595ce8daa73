"""The Fréchet pieces beyond the derivation: (C1) of each loss, softmax's full-Jacobian (C2), the
bias's sibling of (C3), and the chain and the counts with them."""

from __future__ import annotations

import numpy as np
import pytest
from beyond_strategies import custom_softmax

import backprop_widgets as bw
from backprop_widgets import MLP, VectorActivation, frechet

RNG = np.random.default_rng(11)


def _adjoint_identity(piece) -> None:
    """⟨A h, v⟩ = ⟨h, A* v⟩, and the matrix agrees with apply."""
    h = RNG.normal(size=piece.in_shape)
    v = RNG.normal(size=piece.out_shape)
    lhs = float(np.sum(piece.apply(h) * v))
    rhs = float(np.sum(h * piece.adjoint_apply(v)))
    assert lhs == pytest.approx(rhs, rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(
        piece.matrix() @ h.ravel(), np.ravel(piece.apply(h)), rtol=1e-12, atol=1e-14
    )
    np.testing.assert_allclose(piece.adjoint().matrix(), piece.matrix().T)


# --------------------------------------------------------------------------- (C1) per loss


@pytest.mark.parametrize(
    ("loss", "z", "y", "gradient"),
    [
        ("squared_error", [0.2, 0.5, 0.3], [0.0, 1.0, 0.0], [0.2, -0.5, 0.3]),
        ("cross_entropy", [0.2, 0.5, 0.3], [0.0, 1.0, 0.0], [0.0, -2.0, 0.0]),  # −y ⊘ z
        # (z − y) ⊘ (z(1 − z)): (0.2/0.16, −0.5/0.25, 0.3/0.21)
        ("binary_cross_entropy", [0.2, 0.5, 0.3], [0.0, 1.0, 0.0], [1.25, -2.0, 0.3 / 0.21]),
    ],
)
def test_each_loss_is_its_own_c1_piece(loss, z, y, gradient) -> None:
    piece = frechet.C1(z, y, loss=loss, layer=2)
    np.testing.assert_allclose(piece.matrix(), [gradient], rtol=1e-14)
    np.testing.assert_allclose(piece.gradient, gradient, rtol=1e-14)
    assert bw.check_piece(piece).ok
    _adjoint_identity(piece)
    assert "z^{(2)}" in piece.latex()
    numbers = piece.latex_numbers()
    assert numbers is not None and r"\begin{pmatrix}" in numbers
    assert piece.adjoint().latex().startswith(r"v \mapsto v")


def test_the_cross_entropy_c1_formula_and_its_collapse_with_softmax() -> None:
    piece = frechet.C1([0.25, 0.75], [0.0, 1.0], loss="cross_entropy")
    assert r"-y \oslash z" in piece.latex()
    assert "z − y" in piece.note and "Σᵢ yᵢ = 1" in piece.note
    # Jᵀ(−y ⊘ z) through softmax's (C2) piece is z − y.
    u = np.log([1.0, 3.0])  # softmax(u) = (1/4, 3/4)
    c2 = frechet.C2("softmax", u)
    np.testing.assert_allclose(c2.adjoint_apply(piece.gradient), [0.25, -0.25], rtol=1e-14)


def test_c1_of_a_cross_entropy_refuses_what_it_is_not_defined_for() -> None:
    with pytest.raises(ValueError, match=r"y: loss='cross_entropy'.*probability vector"):
        frechet.C1([0.5, 0.5], [0.5, 0.6], loss="cross_entropy")
    with pytest.raises(ValueError, match=r"z: .*zᵢ > 0 where yᵢ > 0"):
        frechet.C1([0.0, 1.0], [1.0, 0.0], loss="cross_entropy")
    with pytest.raises(ValueError, match=r"z: .*0 < zᵢ < 1"):
        frechet.C1([1.0, 0.5], [1.0, 0.0], loss="binary_cross_entropy")
    with pytest.raises(ValueError, match=r"loss: unknown loss 'hinge'"):
        frechet.C1([0.5], [0.5], loss="hinge")


# --------------------------------------------------------------------------- (C2) of softmax


def test_softmax_c2_is_the_full_symmetric_jacobian() -> None:
    u = np.array([0.3, -1.2, 2.0, 0.0])
    piece = frechet.C2("softmax", u, layer=3)
    z = np.exp(u) / np.sum(np.exp(u))
    np.testing.assert_allclose(piece.matrix(), np.diag(z) - np.outer(z, z), rtol=1e-13)
    np.testing.assert_array_equal(piece.J, piece.matrix())
    assert piece.J.shape == (4, 4) and piece.symmetric
    assert np.count_nonzero(piece.J - np.diag(np.diag(piece.J))) == 12  # not diagonal
    assert bw.check_piece(piece).ok
    _adjoint_identity(piece)
    latex = piece.latex()
    assert r"\operatorname{diag}(z^{(3)}) - z^{(3)} z^{(3)\top}" in latex
    assert "still symmetric" in piece.adjoint().latex()
    assert "symmetric" in piece.note and "Jᵀ" in piece.note
    assert piece.latex_numbers().count(r"\begin{pmatrix}") == 2


def test_the_elementwise_c2_also_offers_J_and_says_it_is_symmetric() -> None:
    piece = frechet.C2("tanh", [0.5, -0.5])
    np.testing.assert_array_equal(piece.J, np.diag(piece.dsigma))
    assert piece.symmetric and "diagonal" in piece.note


def test_a_wrong_custom_jacobian_is_caught_by_the_directional_check() -> None:
    def wrong(u: np.ndarray) -> np.ndarray:
        e = np.exp(u - np.max(u))
        z = e / np.sum(e)
        return np.diag(z) - np.outer(z, z) / 2  # half of z zᵀ

    u = np.array([0.4, -0.3, 1.1])
    assert not bw.check_piece(frechet.C2(custom_softmax(wrong), u)).ok


def test_a_non_symmetric_jacobian_uses_its_transpose_in_the_adjoint() -> None:
    # σ(u) = (u₁, u₁ + u₂): J = [[1, 0], [1, 1]] is not symmetric.
    shear = VectorActivation(
        "shear", lambda u: np.array([u[0], u[0] + u[1]]), lambda u: np.array([[1.0, 0], [1, 1]])
    )
    piece = frechet.C2(shear, [0.5, 2.0])
    assert not piece.symmetric
    np.testing.assert_array_equal(piece.adjoint_apply([1.0, 2.0]), [3.0, 2.0])  # Jᵀ v
    assert "still symmetric" not in piece.adjoint().latex()
    assert bw.check_piece(piece).ok
    net = MLP([2, 2, 1], [shear, "identity"], seed=0, bias=True)
    assert bw.gradcheck(net, [0.3, -0.7], [0.5]).ok  # the recursion applies Jᵀ too


# --------------------------------------------------------------------------- the bias's (C3)


def test_the_bias_sibling_of_c3_is_the_identity() -> None:
    piece = frechet.C3_bias(3, layer=2, b=[0.1, 0.2, 0.3])
    assert piece.label == "C3b" and piece.in_shape == piece.out_shape == (3,)
    np.testing.assert_array_equal(piece.apply([1.0, -2.0, 0.5]), [1.0, -2.0, 0.5])
    np.testing.assert_array_equal(piece.matrix(), np.eye(3))
    assert piece.latex() == r"D_{b^{(2)}}\bigl(b \mapsto W^{(2)} z^{(1)} + b\bigr)(b^{(2)})(k) = k"
    assert piece.adjoint().latex() == r"v \mapsto v"
    assert bw.check_piece(piece).ok
    _adjoint_identity(piece)


def test_the_bias_sibling_for_a_batch_sums_over_the_columns_in_its_adjoint() -> None:
    piece = frechet.C3_bias(2, batch=3)
    np.testing.assert_array_equal(piece.apply([1.0, 2.0]), [[1, 1, 1], [2, 2, 2]])
    np.testing.assert_array_equal(piece.adjoint_apply([[1, 2, 3], [4, 5, 6]]), [6.0, 15.0])
    assert piece.matrix().shape == (6, 2)
    _adjoint_identity(piece)
    assert r"k\, \mathbf{1}^{\top}" in piece.latex()


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: frechet.C3_bias(0), "n_out"),
        (lambda: frechet.C3_bias(2, b=[1.0]), "b: expected shape (2,)"),
        (lambda: frechet.C3_bias(2, batch=0), "batch"),
        (lambda: frechet.C3_bias(2).apply([1.0, 2.0, 3.0]), "k (the argument of C3b)"),
    ],
)
def test_the_bias_sibling_refuses_bad_input(call, words) -> None:
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert words in str(info.value)


# --------------------------------------------------------------------------- the chain


def _classifier() -> tuple[MLP, np.ndarray, np.ndarray]:
    net = MLP([3, 4, 3], ["tanh", "softmax"], loss="cross_entropy", seed=2)
    net = net.replace(biases=[RNG.normal(size=4), RNG.normal(size=3)])
    return net, np.array([0.5, -1.0, 2.0]), np.array([0.0, 1.0, 0.0])


@pytest.mark.parametrize("wrt", ["W", "b"])
@pytest.mark.parametrize("layer", [1, 2])
def test_the_chain_forward_and_backward_agree_for_weights_and_biases(wrt, layer) -> None:
    net, x, y = _classifier()
    c = frechet.chain(net, x, y, layer, wrt=wrt)
    assert c.links[0].label == ("C3" if wrt == "W" else "C3b")
    assert [m.label for m in c.links[1:]][-1] == "C1"
    H = RNG.normal(size=c.in_shape)
    assert c.forward(H) == pytest.approx(c.backward(H), rel=1e-12, abs=1e-14)
    back = net.backward(x, y)
    expected = back.grad(layer) if wrt == "W" else back.grad_b(layer)
    np.testing.assert_allclose(c.gradient(), expected, rtol=1e-13)
    e = c.entry(1) if wrt == "b" else c.entry(1, 2)
    assert e.value_forward == pytest.approx(e.value, rel=1e-12)
    assert e.value == pytest.approx(float(expected[1] if wrt == "b" else expected[1, 2]))
    assert r"-y \oslash z^{(2)}" in c.latex()
    if wrt == "b":
        assert r"\bigl(k \mapsto k\bigr)" in c.latex() and "partial b^{(" in e.latex()
        assert rf"\varDelta^{{({layer})}},\, k" in c.latex()


def test_pieces_of_a_network_without_biases_have_no_bias_sibling() -> None:
    net = MLP([2, 2, 1], "tanh", seed=0)
    parts = frechet.pieces(net, [0.1, 0.2], [0.3])
    assert not parts.has_bias
    with pytest.raises(ValueError, match="C3_bias: this network has no biases"):
        parts.C3_bias(1)
    with pytest.raises(ValueError, match="no biases"):
        frechet.chain(net, [0.1, 0.2], [0.3], 1, wrt="b")
    with pytest.raises(ValueError, match="wrt: must be 'W'"):
        frechet.chain(net, [0.1, 0.2], [0.3], 1, wrt="z")


def test_the_pieces_of_a_classifier_compose_to_delta_L_equals_z_minus_y() -> None:
    net, x, y = _classifier()
    parts = frechet.pieces(net, x, y)
    z = parts.backprop.forward.output
    delta_L = parts.C2(2).adjoint_apply(parts.C1.adjoint_apply(1.0))
    np.testing.assert_allclose(delta_L, z - y, rtol=1e-12, atol=1e-15)
    assert isinstance(parts.C2(2).J, np.ndarray) and parts.C2(2).J.shape == (3, 3)


# --------------------------------------------------------------------------- the counts


def test_counts_with_biases_by_hand() -> None:
    # [2, 3, 1]: a bias entry of layer 1 meets C2(1) 3, W(2) 3, C2(2) 1, C1 1 = 8, three of
    # them; one of layer 2 meets C2(2) 1, C1 1 = 2. The backward order gets them for free.
    plain = frechet.multiply_add_counts([2, 3, 1])
    c = frechet.multiply_add_counts([2, 3, 1], bias=True)
    assert c.forward == plain.forward + 3 * 8 + 1 * 2 and c.backward == plain.backward
    assert [lc.bias_per_entry for lc in c.per_layer] == [8, 2]


def test_counts_with_a_full_jacobian_by_hand() -> None:
    # [2, 3] with softmax: each (C2) costs 3² = 9, not 3. Per entry: C3 6 + C2 9 + C1 3 = 18,
    # six entries: 108. Backward: Δ = Jᵀ(…) 9, outer product 6: 15.
    c = frechet.multiply_add_counts([2, 3], full_jacobian=[1])
    assert (c.forward, c.backward) == (108, 15)
    from_net = frechet.multiply_add_counts(MLP([2, 3], "softmax", bias=True, seed=0))
    assert from_net.full_jacobian == (1,) and from_net.bias
    assert from_net.forward == 108 + 3 * (9 + 3)
    with pytest.raises(ValueError, match="full_jacobian"):
        frechet.multiply_add_counts([2, 3], full_jacobian=[2])
