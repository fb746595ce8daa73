"""Ship the repository's notebooks inside the wheel as ``backprop_widgets/notebooks/``.

Every ``notebooks/*.ipynb`` and marimo version ``notebooks/*_marimo.py`` goes in, so a new
notebook needs no packaging change; the folder's README and scripts stay in the repository.
An editable install ships nothing here: the CLI finds the checkout's ``notebooks/`` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PATTERNS = ("*.ipynb", "*_marimo.py")


class NotebooksHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        folder = Path(self.root) / "notebooks"
        for pattern in PATTERNS:
            for path in sorted(folder.glob(pattern)):
                build_data["force_include"][str(path)] = f"backprop_widgets/notebooks/{path.name}"
