"""The Fréchet pieces (C1), (C2), (C3), the weight links, the chain and the multiply-add counts."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mlp_strategies import NOT_SMOOTH, networks

from backprop_widgets import MLP
from backprop_widgets import frechet as fr
from backprop_widgets._texnum import num, pmatrix
from backprop_widgets.activations import LayerActivation, get_activation

# The dead-unit network worked by hand in test_network.py:
# x = (1, 2), y = 0.5, u(1) = (−1.5, 3), z(1) = (0, 3), u(2) = z(2) = −1.5,
# Δ(2) = −2, Δ(1) = (0, 1), ∂E/∂W(1) = [[0, 0], [1, 2]], ∂E/∂W(2) = (0, −6).
HAND_W = [[[0.5, -1.0], [2.0, 0.5]], [[1.0, -0.5]]]
HAND_X, HAND_Y = np.array([1.0, 2.0]), np.array([0.5])


def hand_net() -> MLP:
    return MLP([2, 2, 1], ["relu", "identity"], weights=HAND_W)


def all_maps(net: MLP, x: np.ndarray, y: np.ndarray) -> list[fr.LinearMap]:
    p = fr.pieces(net, x, y)
    maps = [p.C1]
    for layer in range(1, net.L + 1):
        maps += [p.C2(layer), p.C3(layer)]
        if layer >= 2:
            maps.append(p.link(layer))
    return maps + [m.adjoint() for m in maps]


def inner(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.sum(np.asarray(a) * np.asarray(b)))


# --------------------------------------------------------------------------- each piece, by hand


def test_the_pieces_of_the_hand_worked_network() -> None:
    p = fr.pieces(hand_net(), HAND_X, HAND_Y)
    np.testing.assert_array_equal(p.x, HAND_X)
    np.testing.assert_array_equal(p.y, HAND_Y)
    # (C1) at z(2) = −1.5, y = 0.5: h ↦ (−2)·h
    assert p.C1.label == "C1" and p.C1.layer == 2
    np.testing.assert_array_equal(p.C1.matrix(), [[-2.0]])
    assert float(p.C1.apply([3.0])) == -6.0
    # (C2) of layer 1 at u(1) = (−1.5, 3): relu′ = (0, 1)
    np.testing.assert_array_equal(p.C2(1).matrix(), [[0.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(p.C2(1).point, [-1.5, 3.0])
    # (C3) of layer 2: H ↦ H z(1) with z(1) = (0, 3); vec(H) = (h11, h12)
    np.testing.assert_array_equal(p.C3(2).matrix(), [[0.0, 3.0]])
    np.testing.assert_array_equal(p.C3(2).point, HAND_W[1])  # taken at W(2)
    # (C3) of layer 1: z(0) = x = (1, 2); vec(H) = (h11, h12, h21, h22)
    np.testing.assert_array_equal(p.C3(1).matrix(), [[1.0, 2.0, 0.0, 0.0], [0.0, 0.0, 1.0, 2.0]])
    # the link h ↦ W(2) h
    np.testing.assert_array_equal(p.link(2).matrix(), HAND_W[1])
    assert p.link(2).label == "W" and p.link(2).layer == 2


def test_the_hand_worked_chain_and_its_entries() -> None:
    c1 = fr.chain(hand_net(), HAND_X, HAND_Y, 1)
    assert [(m.label, m.layer) for m in c1.links] == [
        ("C3", 1),
        ("C2", 1),
        ("W", 2),
        ("C2", 2),
        ("C1", 2),
    ]
    np.testing.assert_array_equal(c1.gradient(), [[0.0, 0.0], [1.0, 2.0]])
    # H = E_21 (0-based (1, 0)): Δ(1)_2 · z(0)_1 = 1 · 1
    e = c1.entry(1, 0)
    assert (e.delta_i, e.z_j, e.value, e.value_forward) == (1.0, 1.0, 1.0, 1.0)
    assert r"w^{(1)}_{2,1}" in e.latex()  # 1-based in the formula, as in the text
    assert e.latex_numbers().endswith("= 1")
    # H = all ones: ⟨∂E/∂W(1), H⟩ = 0 + 0 + 1 + 2 = 3, both ways
    assert c1.forward(np.ones((2, 2))) == 3.0
    assert c1.backward(np.ones((2, 2))) == 3.0
    c2 = fr.chain(hand_net(), HAND_X, HAND_Y, 2)
    assert [m.label for m in c2.links] == ["C3", "C2", "C1"]
    np.testing.assert_array_equal(c2.gradient(), [[0.0, -6.0]])
    assert c2.entry(0, 1).value_forward == -6.0


def test_C2_is_diag_of_the_per_unit_derivatives() -> None:
    u = np.array([0.3, -1.2, 2.0])
    sigma = LayerActivation.build(["tanh", "sigmoid", "sin"], 3, argument="sigma")
    J = fr.C2(sigma, u, 2).matrix()
    s = 1 / (1 + math.exp(1.2))
    expected = np.diag([1 - math.tanh(0.3) ** 2, s * (1 - s), math.cos(2.0)])
    np.testing.assert_allclose(J, expected, rtol=1e-14)
    np.testing.assert_allclose(fr.C2(sigma, u).f(u), [math.tanh(0.3), s, math.sin(2.0)])
    # a name is accepted too, for the whole layer
    np.testing.assert_allclose(fr.C2("relu", u).matrix(), np.diag([1.0, 0.0, 1.0]))


def test_C3_of_a_batch_reads_H_maps_to_HZ_and_its_adjoint_sums_the_samples() -> None:
    rng = np.random.default_rng(0)
    net = MLP([3, 4, 2], ["tanh", "identity"], seed=2)
    X, Y = rng.normal(size=(3, 5)), rng.normal(size=(2, 5))
    bw = net.backward(X, Y)
    c3 = fr.C3(bw.forward.z(1), 2, 2)
    assert c3.in_shape == (2, 4) and c3.out_shape == (2, 5)
    H = rng.normal(size=(2, 4))
    np.testing.assert_allclose(c3.apply(H), H @ bw.forward.z(1))
    # the adjoint of H ↦ H Z applied to the batch Δ(2) is Σ_b Δ_b z_bᵀ = ∂E/∂W(2)
    np.testing.assert_allclose(c3.adjoint_apply(bw.delta(2)), bw.grad(2), rtol=1e-13)
    np.testing.assert_allclose(c3.matrix() @ H.ravel(), (H @ bw.forward.z(1)).ravel())
    assert "H Z^{(1)}" in c3.latex()


# --------------------------------------------------------------------------- the laws of a map


@given(networks(max_layers=4, max_width=6, batch=False), st.integers(0, 2**32 - 1))
@settings(max_examples=150, deadline=None)
def test_every_piece_is_linear_adjoint_and_its_matrix(case, seed: int) -> None:
    net, x, y = case
    rng = np.random.default_rng(seed)
    for A in all_maps(net, x, y):
        h1, h2 = rng.normal(size=A.in_shape), rng.normal(size=A.in_shape)
        v = rng.normal(size=A.out_shape)
        a, b = rng.normal(size=2)
        Ah1, Ah2 = A.apply(h1), A.apply(h2)
        assert Ah1.shape == A.out_shape
        scale = 1.0 + np.abs(a * Ah1) + np.abs(b * Ah2)
        assert np.all(np.abs(A.apply(a * h1 + b * h2) - (a * Ah1 + b * Ah2)) <= 1e-13 * scale)
        # ⟨A h, v⟩ = ⟨h, A* v⟩
        lhs, rhs = inner(Ah1, v), inner(h1, A.adjoint_apply(v))
        assert abs(lhs - rhs) <= 1e-12 * (1.0 + np.sum(np.abs(Ah1) * np.abs(v)) + abs(rhs))
        # the matrix acts on the row-major vec
        M = A.matrix()
        assert M.shape == (math.prod(A.out_shape), math.prod(A.in_shape))
        np.testing.assert_allclose(M @ h1.ravel(), np.ravel(Ah1), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(A.adjoint().matrix(), M.T)
        assert A.adjoint().adjoint().matrix().shape == M.shape


def test_the_adjoint_of_the_adjoint_is_the_map() -> None:
    p = fr.pieces(hand_net(), HAND_X, HAND_Y)
    for A in (p.C1, p.C2(1), p.C3(2), p.link(2)):
        assert A.adjoint().adjoint() is A
        assert A.adjoint().is_adjoint and not A.is_adjoint
        assert A.adjoint().in_shape == A.out_shape
        assert "adjoint" in A.adjoint().title


@given(networks(max_layers=3, max_width=5, batch=False), st.integers(0, 2**32 - 1))
@settings(max_examples=100, deadline=None)
def test_each_piece_is_the_derivative_of_its_f(case, seed: int) -> None:
    # D f(p)(h) ≈ (f(p + t h) − f(p − t h)) / 2t, for points away from the kinks.
    net, x, y = case
    rng = np.random.default_rng(seed)
    t = 1e-6
    for A in all_maps(net, x, y):
        if A.label == "C2" and not A.is_adjoint:
            smooth = [a.name not in NOT_SMOOTH for a in A.sigma.units]
            if not all(s or abs(u) > 1e-3 for s, u in zip(smooth, A.point, strict=True)):
                continue
        h = rng.normal(size=A.in_shape)
        numeric = (A.f(A.point + t * h) - A.f(A.point - t * h)) / (2 * t)
        scale = 1.0 + np.abs(A.f(A.point)) + np.abs(A.apply(h))
        assert np.all(np.abs(numeric - A.apply(h)) <= 1e-6 * scale), A


def test_f_of_C1_is_the_loss_and_of_C3_is_W_z() -> None:
    net = hand_net()
    p = fr.pieces(net, HAND_X, HAND_Y)
    assert float(p.C1.f(p.C1.point)) == net.loss(HAND_X, HAND_Y) == 2.0
    np.testing.assert_array_equal(p.C3(1).f(p.C3(1).point), [-1.5, 3.0])  # u(1) = W(1) x


# --------------------------------------------------------------------------- the chain


def _abs_bound(c: fr.Chain, H: np.ndarray) -> float:
    """|links| applied to |H|: the scale of the rounding error of the forward composition."""
    v = np.abs(H).ravel()
    for link in c.links:
        v = np.abs(link.matrix()) @ v
    return float(np.sum(v))


@given(networks(max_layers=6, max_width=8, batch=False), st.integers(0, 2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_forward_chain_equals_backward_chain_equals_the_network_gradient(case, seed) -> None:
    net, x, y = case
    rng = np.random.default_rng(seed)
    bw = net.backward(x, y)
    parts = fr.pieces(net, x, y)
    for layer in range(1, net.L + 1):
        c = parts.chain(layer)
        assert c.layer == layer
        labels = [m.label for m in c.links]
        assert labels == ["C3", "C2", *["W", "C2"] * (net.L - layer), "C1"]
        assert [m.layer for m in c.links[1:-1:2]] == list(range(layer, net.L + 1))
        G = c.gradient()
        np.testing.assert_allclose(G, bw.grad(layer), rtol=1e-13, atol=1e-300)
        H = rng.normal(size=c.in_shape)
        forward, backward = c.forward(H), c.backward(H)
        tol = 1e-14 * (10 + sum(net.sizes)) * _abs_bound(c, H) + 1e-300
        assert abs(forward - backward) <= tol
        assert abs(backward - float(np.sum(bw.grad(layer) * H))) <= tol
        # Walking the adjoints back from 1 is the Δ recursion, done independently here.
        v = np.array(1.0)
        for link in reversed(c.links):
            v = link.adjoint_apply(v)
        g = bw.grad(layer)
        assert np.all(np.abs(v - g) <= 1e-12 * (np.abs(g) + np.max(np.abs(g))) + 1e-300)
        i, j = rng.integers(c.in_shape[0]), rng.integers(c.in_shape[1])
        e = c.entry(int(i), int(j))
        assert e.value == pytest.approx(bw.grad(layer)[i, j], rel=1e-13, abs=1e-300)
        E_ij = np.zeros(c.in_shape)
        E_ij[i, j] = 1.0
        assert abs(e.value_forward - e.value) <= 1e-14 * (10 + sum(net.sizes)) * _abs_bound(c, E_ij)


def test_chain_and_pieces_are_per_sample() -> None:
    net = hand_net()
    X, Y = np.ones((2, 3)), np.zeros((1, 3))
    with pytest.raises(ValueError, match=r"x: the Fréchet pieces are shown per sample"):
        fr.pieces(net, X, Y)
    with pytest.raises(ValueError, match="per sample"):
        fr.chain(net, X, Y, 1)
    with pytest.raises(ValueError, match="per sample"):
        fr.C2("tanh", np.ones((2, 3)))
    with pytest.raises(ValueError, match="per sample"):
        fr.C1(np.ones((1, 3)), np.zeros((1, 3)))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda p, c: p.C2(1).apply([1.0, 2.0, 3.0]), ValueError, r"^h .*shape \(2,\)"),
        (lambda p, c: p.C3(1).apply(np.ones(4)), ValueError, r"^H .*shape \(2, 2\)"),
        (lambda p, c: p.C2(1).adjoint_apply([1.0]), ValueError, r"^v .*shape \(2,\)"),
        (lambda p, c: p.C1.apply([np.nan]), ValueError, r"^h .*finite"),
        (lambda p, c: p.C1.apply("h"), TypeError, r"^h .*string"),
        (lambda p, c: p.C3(1).f(np.ones(2)), ValueError, r"^p .*shape"),
        (lambda p, c: c.forward(np.ones((2, 3))), ValueError, r"^H .*shape \(2, 2\)"),
        (lambda p, c: c.backward(np.ones(2)), ValueError, r"^H .*shape \(2, 2\)"),
        (lambda p, c: c.entry(2, 0), ValueError, r"^i: must be in 0\.\.1"),
        (lambda p, c: c.entry(0, -1), ValueError, r"^j: must be in 0\.\.1"),
        (lambda p, c: c.entry(0.5, 0), TypeError, r"^i: expected an integer"),
        (lambda p, c: p.C2(3), ValueError, r"^layer: ℓ must be in 1\.\.2"),
        (lambda p, c: p.C3(0), ValueError, r"^layer"),
        (lambda p, c: p.link(1), ValueError, r"^layer: .*2\.\.L"),
        (lambda p, c: fr.chain(hand_net(), HAND_X, HAND_Y, 3), ValueError, r"^layer"),
        (lambda p, c: fr.chain(hand_net(), HAND_X, [1.0, 2.0], 1), ValueError, r"^y: "),
        (lambda p, c: fr.C1([1.0, 2.0], [1.0]), ValueError, r"^y: expected the shape of z"),
        (lambda p, c: fr.C2("gelu", [1.0]), ValueError, r"^sigma: unknown activation"),
        (lambda p, c: fr.C2(["tanh"], [1.0, 2.0]), ValueError, r"^sigma: a per-unit list"),
        (lambda p, c: fr.C3([1.0, 2.0], 0), ValueError, r"^n_out"),
        (lambda p, c: fr.C3([1.0, 2.0], 2, W=np.ones((2, 3))), ValueError, r"^W: expected shape"),
        (lambda p, c: fr.C3(np.ones((2, 2, 2)), 2), ValueError, r"^z: "),
        (lambda p, c: fr.C3([1.0], 1, layer=0), ValueError, r"^layer: layers count from 1"),
        (lambda p, c: fr.C3([1.0], 1, layer=1.0), TypeError, r"^layer: expected"),
        (lambda p, c: fr.weight_link(np.ones(3), 2), ValueError, r"^W: expected a matrix"),
        (lambda p, c: fr.weight_link(np.ones((2, 3)), 2, z=[1.0]), ValueError, r"^z: "),
    ],
)
def test_bad_arguments_are_named(call, error: type, words: str) -> None:
    p = fr.pieces(hand_net(), HAND_X, HAND_Y)
    with pytest.raises(error, match=words):
        call(p, p.chain(1))


# --------------------------------------------------------------------------- LaTeX


def test_symbolic_formulas_name_the_layer() -> None:
    net = MLP([2, 3, 3, 1], ["tanh", "relu", "identity"], seed=0)
    p = fr.pieces(net, [0.5, -1.0], [0.2])
    assert p.C1.latex() == r"D_{z^{(3)}}E(z^{(3)})(h) = \left\langle z^{(3)} - y,\, h \right\rangle"
    assert r"J^{(2)}_{u^{(2)}}\, h" in p.C2(2).latex()
    assert p.C3(2).latex().endswith("= H z^{(1)}")
    assert p.link(3).latex() == r"h \mapsto W^{(3)} h"
    assert p.link(3).adjoint().latex() == r"v \mapsto W^{(3)\top} v"
    text = p.chain(1).latex()
    for piece in ("W^{(3)}", "W^{(2)}", "J^{(1)}_{u^{(1)}}", "H z^{(0)}", r"\varDelta^{(1)}"):
        assert piece in text
    # the composition lists the maps from C1 inward, as the text does
    assert text.index("z^{(3)} - y") < text.index("J^{(3)}") < text.index("W^{(3)}")
    assert text.index("W^{(2)}") < text.index("J^{(1)}")


def _balanced(tex: str) -> bool:
    depth = 0
    for ch in tex.replace(r"\{", "").replace(r"\}", ""):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and tex.count(r"\begin{") == tex.count(r"\end{")


def test_formulas_with_numbers_keep_the_argument_symbolic() -> None:
    p = fr.pieces(hand_net(), HAND_X, HAND_Y)
    c1 = p.C1.latex_numbers()
    # z(2) = −1.5, y = 0.5, z − y = −2; the argument h stays a letter
    assert r"\begin{pmatrix} -1.5 \end{pmatrix} - \begin{pmatrix} 0.5 \end{pmatrix}" in c1
    assert c1.endswith(r"\begin{pmatrix} -2 \end{pmatrix}\, h")
    c2 = p.C2(1).latex_numbers()
    assert r"\max(0, u)" in c2 and c2.endswith(r"\, h")
    assert "-1.5" in c2 and "3" in c2
    c3 = p.C3(1).latex_numbers()
    assert r"H \begin{pmatrix} 1 \\ 2 \end{pmatrix}" in c3
    assert r"\mathbb{R}^{2 \times 2}" in c3
    assert p.link(2).latex_numbers() == r"h \mapsto \begin{pmatrix} 1 & -0.5 \end{pmatrix}\, h"
    for A in all_maps(hand_net(), HAND_X, HAND_Y):
        assert _balanced(A.latex()) and _balanced(A.latex_numbers())
    assert _balanced(p.chain(1).latex())


def test_formulas_with_numbers_are_withheld_for_big_layers() -> None:
    net = MLP([7, 3, 2], "tanh", seed=0)
    p = fr.pieces(net, np.ones(7), np.zeros(2))
    assert p.C3(1).latex_numbers() is None  # H is 3 × 7
    assert p.C3(1).latex_numbers(max_size=7) is not None
    assert p.C2(1).latex_numbers() is not None
    assert p.link(2).latex_numbers() is not None


def test_mixed_layers_show_each_units_sigma() -> None:
    c2 = fr.C2(["relu", "sin"], [1.0, -2.0], 4)
    assert r"(\sigma^{(4)}_{1}, \sigma^{(4)}_{2}) = (\operatorname{relu}, \operatorname{sin})" in (
        c2.latex_numbers()
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1 / 3, "0.3333"),
        (-2.0, "-2"),
        (-0.0, "0"),
        (12345.678, r"1.235 \times 10^{4}"),
        (1e-7, r"1 \times 10^{-7}"),
        (0.000123456, "0.0001235"),
        (float("nan"), r"\mathrm{NaN}"),
    ],
)
def test_numbers_have_four_significant_digits(value: float, text: str) -> None:
    assert num(value) == text


def test_matrix_columns_are_aligned_on_the_decimal_point() -> None:
    tex = pmatrix(np.array([[1.5, 2.0], [-10.25, 0.125]]))
    # column 1: "1.5" gets a sign phantom, a digit phantom and a trailing phantom digit
    assert r"\phantom{-}\phantom{0}1.5\phantom{0}" in tex
    assert "-10.25" in tex
    # column 2: "2" has no decimal point; it is padded by a phantom ".000"
    assert r"2\phantom{.000}" in tex and "0.125" in tex
    assert tex.startswith(r"\begin{pmatrix}") and tex.count(r" \\ ") == 1


def test_a_matrix_is_written_from_its_values_shape_and_type() -> None:
    """Inside remembering(), pmatrix writes an array once for its values: the same bytes in
    another shape or dtype, or an array changed in place, is written anew; outside, nothing
    is kept."""
    import backprop_widgets._texnum as texnum

    a = np.array([1.0, -2.0, 3.0, 4.0])
    outside = pmatrix(a)
    with texnum.remembering():
        with texnum.remembering():
            assert pmatrix(a) == pmatrix(a.copy()) == outside
        assert texnum._memo  # kept until the outermost block ends
        assert pmatrix(a.reshape(2, 2)).count(r" \\ ") == 1 and pmatrix(a).count(r" \\ ") == 3
        assert pmatrix(a.view(np.int64)) != pmatrix(a)  # the same bytes read as integers
        a[1] = 0.5
        assert "0.5" in pmatrix(a) and "-2" not in pmatrix(a)
        assert pmatrix(np.array([1 + 2j, 3])) == r"\begin{pmatrix} (1 + 2i) \\ 3 \end{pmatrix}"
        assert pmatrix(np.array([0.25, 1], dtype=object)) == pmatrix(np.array([0.25, 1.0]))
    assert texnum._memo is None


# --------------------------------------------------------------------------- multiply-add counts


def test_counts_for_a_small_network_by_hand() -> None:
    # sizes [2, 3, 1]
    # forward order, layer 1: 6 entries, each H through C3 (3·2 = 6), C2(1) (3),
    #   W(2) (1·3 = 3), C2(2) (1), C1 (1) = 14 multiply-adds  → 84
    # layer 2: 3 entries, each through C3 (1·3 = 3), C2(2) (1), C1 (1) = 5  → 15;  total 99
    # backward order: Δ(2) = J(2)(z − y): 1, outer product Δ(2) z(1)ᵀ: 3     → 4
    #   Δ(1) = J(1) W(2)ᵀ Δ(2): 3 + 3, outer product Δ(1) xᵀ: 6            → 12;  total 16
    c = fr.multiply_add_counts([2, 3, 1])
    assert (c.forward, c.backward) == (99, 16)
    assert [(k.layer, k.entries, k.per_entry, k.forward, k.backward) for k in c.per_layer] == [
        (1, 6, 14, 84, 12),
        (2, 3, 5, 15, 4),
    ]
    assert c.ratio == 99 / 16
    assert c.forward_pass == 2 * 3 + 3 * 1


@given(networks(max_layers=6, max_width=8, batch=False))
@settings(max_examples=60, deadline=None)
def test_counts_match_the_links_of_the_chain(case) -> None:
    # Forward: cost each link of the real chain for a general argument.
    # Backward: cost each step of the Δ recursion and each outer product.
    net, x, y = case
    parts = fr.pieces(net, x, y)
    counts = fr.multiply_add_counts(net.sizes)
    forward = 0
    for layer in range(1, net.L + 1):
        links = parts.chain(layer).links
        # H z costs n·m (the matrix kron(I, zᵀ) is mostly zeros); J h costs n; W h and
        # ⟨z − y, h⟩ cost the size of their matrices.
        per_h = sum(
            math.prod(m.in_shape) if m.label in ("C2", "C3") else m.matrix().size for m in links
        )
        forward += math.prod(links[0].in_shape) * per_h
    n = net.sizes
    backward = n[-1] + sum(n[k + 1] * n[k] + n[k] for k in range(1, net.L))
    backward += sum(W.size for W in net.weights)
    assert (counts.forward, counts.backward) == (forward, backward)
    assert sum(k.forward for k in counts.per_layer) == counts.forward
    assert sum(k.backward for k in counts.per_layer) == counts.backward


@pytest.mark.parametrize("width", [2, 4, 8, 16, 64])
def test_backward_wins_and_wins_more_as_the_network_grows(width: int) -> None:
    c = fr.multiply_add_counts([width] * 4)
    assert c.backward < c.forward
    assert fr.multiply_add_counts([2 * width] * 4).ratio > c.ratio
    assert fr.multiply_add_counts([width] * 5).ratio > c.ratio


def test_counts_refuse_bad_sizes() -> None:
    with pytest.raises(ValueError, match=r"sizes\[1\]"):
        fr.multiply_add_counts([2, 0, 1])
    with pytest.raises(TypeError, match="sizes"):
        fr.multiply_add_counts("231")


def test_the_public_names_are_exported() -> None:
    import backprop_widgets

    assert backprop_widgets.frechet is fr
    for name in ("C1", "C2", "C3", "weight_link", "pieces", "chain", "Chain", "LinearMap"):
        assert name in fr.__all__ and hasattr(fr, name)
    assert get_activation("tanh") is fr.C2("tanh", [0.0]).sigma.units[0]


def test_a_complex_direction_goes_through_the_chain_as_a_complex_number() -> None:
    c = fr.chain(hand_net(), HAND_X, HAND_Y, 1)
    H = np.array([[0.5, -1.0], [2.0, 1.0]])
    # ⟨[[0, 0], [1, 2]], H⟩ = 2 + 2 = 4
    assert c.forward(H) == c.backward(H) == 4.0
    assert c.forward(1j * H) == c.backward(1j * H) == 4j


def test_maps_show_themselves_in_a_notebook() -> None:
    p = fr.pieces(hand_net(), HAND_X, HAND_Y)
    assert p.C2(1)._repr_latex_() == f"${p.C2(1).latex()}$"
    assert "C2" in repr(p.C2(1)) and "C2*" in repr(p.C2(1).adjoint())
    assert "C3(1) → C2(1) → W(2) → C2(2) → C1(2)" in repr(p.chain(1))


@pytest.mark.parametrize("module", ["_linear_map", "_chain", "_counts", "frechet"])
def test_the_docstring_examples_run(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"backprop_widgets.{module}"))
    assert result.failed == 0
