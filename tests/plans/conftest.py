from fairtree.engine.pytest_plan_cases import pytest_collect_file  # noqa: F401
