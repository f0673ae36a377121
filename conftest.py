"""Test-run settings shared by tests/ and plans/.

Hypothesis: no per-example deadline (two shared cores make timings noisy) and, in CI,
a printed seed so any failure can be replayed.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None)
settings.register_profile(
    "ci", deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "default")
