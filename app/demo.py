"""Steps other features add to ``pst demo``, so that a fresh instance shows every service.

The catalogue's demo fills the library first; then each registered step runs (the
store seeds its products and tariffs from those publications). Steps are idempotent:
``pst demo`` on a filled instance changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

DemoStep = Callable[[], str]  # does its work, returns one line for the console
_KEY = "pst.demo_steps"


def demo_step(app: Flask, step: DemoStep) -> None:
    app.extensions.setdefault(_KEY, []).append(step)


def run_demo_steps() -> list[str]:
    """Run every registered step in registration order; their console lines."""
    return [step() for step in current_app.extensions.get(_KEY, [])]
