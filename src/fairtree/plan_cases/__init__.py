"""Plan-test cases: small networks with hand-computed results (docs/plan-tests.md).

Each case runs through the vectorized engine and the reference evaluator; the pytest
plugin (``pytest_plugin``) collects the case files, ``fairtree plan test`` runs them.
It reads plans and the engine and nothing impure, like the engine itself.
"""
