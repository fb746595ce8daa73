"""What the trainer's page asks for, done: the buttons' actions and the controls' typed text.

``js/trainer.js`` sends ``{"action": ...}``: ``"play"``, ``"pause"``, ``"step"`` and ``"reset"``
call the trainer's methods of the same name; ``"set"`` carries a control's ``name`` and the
text typed into it (applied to the ``lr``, ``batch_size`` or ``log_scale`` trait, or refused
next to the control); ``"pick"`` opens the explorer on a clicked sample; ``"view"`` counts the
views alive (the last one gone pauses the loop). The trainer hands every message here on the
thread that runs its loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from .trainer import Trainer

__all__ = ["handle", "set_from_view"]


def handle(trainer: Trainer, content: dict[str, Any]) -> None:
    """Do what a message from the page asks: an action, a typed control or a view's
    coming and going; an error goes to the trainer's message, never lost."""
    action = content.get("action")
    try:
        if action == "play":
            trainer.play()
        elif action == "pause":
            trainer.pause()
        elif action == "step":
            trainer.step()
        elif action == "reset":
            trainer.reset()
        elif action == "set":
            set_from_view(trainer, str(content.get("name")), content.get("value"))
        elif action == "pick":
            trainer.open_explorer(int(content["index"]), split=str(content.get("split")))
        elif action == "view":
            trainer._views += 1 if content.get("alive") else -1
            if trainer._views <= 0 and not content.get("alive"):
                trainer._views = 0
                trainer.pause()  # the last view went away: cell re-run or output cleared
    except Exception as exc:  # never lost: the widget shows it
        trainer.message = f"{type(exc).__name__}: {exc}"


def set_from_view(trainer: Trainer, name: str, value: object) -> None:
    """A control typed in the page: apply it, or say next to the control why not."""
    try:
        if name == "lr":
            trainer.lr = _parse_number(value, "lr")
        elif name == "batch_size":
            text = str(value).strip().lower()
            trainer.batch_size = (
                None
                if text in ("", "full", "none", "all")
                else int(_parse_number(value, "batch_size", integer=True))
            )
        elif name == "log_scale":
            trainer.log_scale = bool(value)
        else:
            raise ValueError(f"unknown control {name!r}")
    except (TypeError, ValueError) as exc:
        trainer.control_error = {"name": name, "text": str(exc)}
        return
    trainer.control_error = {}


def _parse_number(value: object, name: str, *, integer: bool = False) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError(f"{name}: expected a number, got {value!r}") from None
    if not np.isfinite(number):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    if integer and number != int(number):
        raise ValueError(f"{name}: expected a whole number, got {value!r}")
    return number
