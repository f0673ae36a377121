"""A test hook: stop a long write at a named point so a test can kill the process there.

With ``FAIRTREE_TEST_PAUSE=<point>`` set, reaching that point prints
``PAUSED <point>`` on stderr and sleeps (``FAIRTREE_TEST_PAUSE_SECONDS``, default 30).
Without the variable it does nothing.
"""

from __future__ import annotations

import os
import sys
import time


def pause_point(name: str) -> None:
    if os.environ.get("FAIRTREE_TEST_PAUSE") != name:
        return
    print(f"PAUSED {name}", file=sys.stderr, flush=True)
    time.sleep(float(os.environ.get("FAIRTREE_TEST_PAUSE_SECONDS", "30")))
