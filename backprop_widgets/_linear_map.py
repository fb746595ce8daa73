"""The machinery shared by every Fréchet piece: a linear map with shapes, checks and an adjoint.

The pieces themselves, (C1), (C2), (C3) and the weight link, are in
:mod:`backprop_widgets.frechet`; import :class:`LinearMap` from there.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array

__all__ = ["LinearMap"]


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, copy=True)
    a.flags.writeable = False
    return a


class LinearMap:
    """One Fréchet derivative at one point, as a linear map between arrays.

    Attributes
    ----------
    label : str
        ``"C1"``, ``"C2"``, ``"C3"`` or ``"W"`` (the link h ↦ W⁽ℓ⁾ h).
    layer : int or None
        The layer ℓ the map belongs to (for C1 it is L; for a link, the ℓ of W⁽ℓ⁾).
    title : str
        A short human title.
    in_shape, out_shape : tuple of int
        Shapes of the argument and of the value. Matrices act on arrays of ``in_shape``;
        :meth:`matrix` acts on their row-major flattening.
    point : ndarray
        Where the derivative is taken (z for C1, u for C2, W for C3, z⁽ℓ−1⁾ for a link).
    is_adjoint : bool
        Whether this map is the adjoint of another (see :meth:`adjoint`).

    Every argument is checked: a wrong shape, NaN, inf or text raises an error that names
    the argument (``h``, ``H``, ``v`` or ``p``). The pieces are made by
    :func:`~backprop_widgets.frechet.C1`, :func:`~backprop_widgets.frechet.C2`,
    :func:`~backprop_widgets.frechet.C3` and :func:`~backprop_widgets.frechet.weight_link`.

    Examples
    --------
    >>> from backprop_widgets.frechet import C1
    >>> D = C1([1.0, 2.0], [0.5, 0.5])          # z − y = (0.5, 1.5)
    >>> float(D.apply([2.0, 0.0]))
    1.0
    >>> D.matrix()
    array([[0.5, 1.5]])
    """

    label: str
    layer: int | None
    title: str
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    point: np.ndarray
    is_adjoint: bool = False
    _in_name = "h"

    def __init__(
        self,
        label: str,
        layer: int | None,
        title: str,
        in_shape: tuple[int, ...],
        out_shape: tuple[int, ...],
        point: np.ndarray,
    ) -> None:
        self.label = label
        self.layer = layer
        self.title = title
        self.in_shape = tuple(int(n) for n in in_shape)
        self.out_shape = tuple(int(n) for n in out_shape)
        self.point = _readonly(point)

    # -- the public operations -------------------------------------------------------------

    def f(self, p: object) -> np.ndarray:
        """The (nonlinear) map whose derivative this is, evaluated at ``p`` (shape in_shape).

        A directional check compares ``apply(h)`` with (f(point + t h) − f(point − t h)) / 2t.
        """
        return self._f(self._check(p, self.in_shape, "p"))

    def apply(self, h: object) -> np.ndarray:
        """The derivative applied to ``h`` (an array of shape :attr:`in_shape`)."""
        return self._apply(self._check(h, self.in_shape, self._in_name))

    __call__ = apply

    def adjoint_apply(self, v: object) -> np.ndarray:
        """The adjoint map applied to ``v`` (shape :attr:`out_shape`): ⟨A h, v⟩ = ⟨h, A* v⟩."""
        return self._adjoint_apply(self._check(v, self.out_shape, "v"))

    def adjoint(self) -> LinearMap:
        """The adjoint as a :class:`LinearMap` of its own (its adjoint is this map again)."""
        return _Adjoint(self)

    def matrix(self) -> np.ndarray:
        """The matrix of the map, shape (prod(out_shape), prod(in_shape)), acting on the
        row-major flattening vec(h)."""
        raise NotImplementedError

    def latex(self) -> str:
        """The formula, symbolically."""
        raise NotImplementedError

    def latex_numbers(self, max_size: int = 6) -> str | None:
        """The formula with the current numbers (4 significant digits) and the argument left
        symbolic; ``None`` when a dimension exceeds ``max_size``."""
        if any(n > max_size for n in (*self.in_shape, *self.out_shape)):
            return None
        return self._latex_numbers()

    # -- for subclasses --------------------------------------------------------------------

    def _f(self, p: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _apply(self, h: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _adjoint_apply(self, v: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _latex_numbers(self) -> str:
        raise NotImplementedError

    def _adjoint_latex(self) -> str:
        raise NotImplementedError

    def _adjoint_latex_numbers(self) -> str:
        raise NotImplementedError

    def _check(self, value: object, shape: tuple[int, ...], name: str) -> np.ndarray:
        where = f"{name} (the argument of {self.label}{'*' if self.is_adjoint else ''})"
        arr = as_float_array(value, argument=where, allow_complex=True)
        if arr.shape != shape:
            if shape == () and arr.size == 1:
                return arr.reshape(())
            raise ValueError(
                f"{where}: {self.title} takes an array of shape {shape}, got shape {arr.shape}"
            )
        return arr

    def __repr__(self) -> str:
        star = "*" if self.is_adjoint else ""
        return f"<LinearMap {self.label}{star}: {self.in_shape} -> {self.out_shape}; {self.title}>"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


class _Adjoint(LinearMap):
    """The adjoint A* of a piece A. Being linear, it is its own derivative everywhere, so
    :meth:`f` is the map itself and :attr:`point` is 0 (``base.point`` is where A was taken)."""

    is_adjoint = True

    def __init__(self, base: LinearMap) -> None:
        super().__init__(
            base.label,
            base.layer,
            f"adjoint of {base.title}",
            base.out_shape,
            base.in_shape,
            np.zeros(base.out_shape),
        )
        self.base = base
        self._in_name = "v"

    def _f(self, p: np.ndarray) -> np.ndarray:
        return self.base._adjoint_apply(p)

    def _apply(self, h: np.ndarray) -> np.ndarray:
        return self.base._adjoint_apply(h)

    def _adjoint_apply(self, v: np.ndarray) -> np.ndarray:
        return self.base._apply(v)

    def adjoint(self) -> LinearMap:
        return self.base

    def matrix(self) -> np.ndarray:
        return self.base.matrix().T.copy()

    def latex(self) -> str:
        return self.base._adjoint_latex()

    def _latex_numbers(self) -> str:
        return self.base._adjoint_latex_numbers()
