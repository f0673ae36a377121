"""docs/architecture.md names every folder of the package, and only folders that exist.

The folder map is the first fenced block under "## Folder map": one entry per line,
nested two spaces per level under ``src/fairtree/``, each folder written as ``name/``.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "fairtree"
DOC = ROOT / "docs" / "architecture.md"


def folders_in_map(text: str) -> set[str]:
    section = text.split("## Folder map", 1)[1]
    block = section.split("```", 2)[1]
    stack: list[tuple[int, str]] = []
    named: set[str] = set()
    lines = [line for line in block.splitlines()[1:] if line.strip()]
    assert lines and lines[0].strip() == "src/fairtree/", "the map starts at src/fairtree/"
    for line in lines[1:]:
        match = re.match(r"^( *)([a-z_]+)/(?:\s|$)", line)
        if not match:
            continue
        indent, name = len(match.group(1)), match.group(2)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, name))
        named.add("/".join(part for _, part in stack))
    return named


def package_folders() -> set[str]:
    return {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*")
        if path.is_dir() and "__pycache__" not in path.parts and any(path.iterdir())
    }


def test_every_package_folder_is_named_in_the_architecture_page():
    named = folders_in_map(DOC.read_text())
    missing = sorted(package_folders() - named)
    assert missing == [], f"add these folders to the map in docs/architecture.md: {missing}"


def test_the_architecture_page_names_no_folder_that_does_not_exist():
    named = folders_in_map(DOC.read_text())
    stale = sorted(named - package_folders())
    assert stale == [], f"these folders in docs/architecture.md do not exist: {stale}"


def test_the_map_parser_reads_nesting():
    text = "## Folder map\n```\nsrc/fairtree/\n  store/   x\n    models/  y\n  web/\n```\n"
    assert folders_in_map(text) == {"store", "store/models", "web"}


def test_the_readme_links_the_architecture_page_first():
    readme = (ROOT / "README.md").read_text()
    docs = readme.split("## Documentation", 1)[1]
    first_link = re.search(r"\[([^\]]+)\]\(([^)]+)\)", docs)
    assert first_link is not None and first_link.group(2) == "docs/architecture.md"
