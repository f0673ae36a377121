"""Wall-clock seconds of a long job's named steps, kept on the session.

A close or a finalize records how long each step took (``session.info["fairtree.steps"]``)
so a benchmark can report where the time goes without timing from the outside. A
listener (``listen``) hears each step as it ends, so a long job can be followed while
it runs. Recording costs two clock reads per step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

_KEY = "fairtree.steps"
_LISTENER = "fairtree.step_listener"
StepListener = Callable[[str, float], None]


@contextmanager
def step(session: Session, name: str) -> Iterator[None]:
    """Add the seconds the block takes to step ``name``."""
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - started
        steps = session.info.setdefault(_KEY, {})
        steps[name] = steps.get(name, 0.0) + seconds
        listener = session.info.get(_LISTENER)
        if listener is not None:
            listener(name, seconds)


def listen(session: Session, listener: StepListener | None) -> None:
    """Call ``listener(name, seconds)`` as each step of ``session`` ends (None: stop)."""
    if listener is None:
        session.info.pop(_LISTENER, None)
    else:
        session.info[_LISTENER] = listener


def take_steps(session: Session) -> dict[str, float]:
    """The steps recorded so far (seconds, rounded to ms), and forget them."""
    steps = session.info.pop(_KEY, {})
    return {name: round(seconds, 3) for name, seconds in steps.items()}
