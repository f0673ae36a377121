from pathlib import Path

import pytest

from fairtree.cli.reference import END, START, render_cli_reference, replace_section

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_cli_reference_is_current():
    current = README.read_text()
    expected = replace_section(current, render_cli_reference())
    assert current == expected, "run: python -m fairtree.cli.reference --write README.md"


def test_reference_lists_every_command():
    rendered = render_cli_reference()
    assert "### `fairtree version`" in rendered


def test_replace_section_needs_markers():
    with pytest.raises(ValueError, match="cli-reference"):
        replace_section("no markers here", "x")
    assert replace_section(f"a{START}old{END}b", "new\n") == f"a{START}\nnew\n{END}b"
