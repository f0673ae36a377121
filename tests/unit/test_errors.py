from fairtree.errors import DatasetError, Problem, ValidationError


def test_validation_error_lists_every_problem():
    problems = [
        Problem("members.csv", f"line {i}", "sponsor_id", "unknown sponsor") for i in (3, 7)
    ]
    err = DatasetError(problems)
    assert isinstance(err, ValidationError)
    assert err.problems == problems
    assert "members.csv:line 3 [sponsor_id]: unknown sponsor" in str(err)
    assert str(err).startswith("2 problem(s)")
