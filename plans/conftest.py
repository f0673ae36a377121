from fairtree.plan_cases.pytest_plugin import pytest_collect_file  # noqa: F401
