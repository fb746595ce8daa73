"""``python -m backprop_widgets notebooks [DIR]`` and ``… lab [DIR]``: see :mod:`._cli`."""

from __future__ import annotations

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
