"""The README's CLI reference, generated from the commands themselves.

A test compares the README with this rendering, so a new command or option cannot
land undocumented. Regenerate with ``python -m fairtree.cli.reference --write README.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"


def _first_paragraph(text: str | None) -> str:
    return (text or "").strip().split("\n\n")[0].replace("\n", " ").strip()


def _param_line(param: Any) -> str:
    if param.param_type_name == "argument":
        return f"- `{(param.name or '').upper()}` (argument)"
    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    help_text = _first_paragraph(param.help)
    default = ""
    shown = param.show_default is not False and not callable(param.default)
    if shown and param.default not in (None, False, (), ""):
        default = f" (default: `{param.default}`)"
    return f"- {names}: {help_text}{default}".rstrip(": ")


def _walk(command: Any, path: list[str], out: list[str]) -> None:
    """Typer ships its own click; duck typing keeps this independent of which."""
    if hasattr(command, "commands"):
        for name in sorted(command.commands):
            _walk(command.commands[name], [*path, name], out)
        return
    out.append(f"### `{' '.join(path)}`")
    out.append("")
    out.append(_first_paragraph(command.help) or "(no description)")
    params = [p for p in command.params if p.name != "help"]
    if params:
        out.append("")
        out.extend(_param_line(p) for p in params)
    out.append("")


def render_cli_reference() -> str:
    """Markdown for every command, sorted by name, with its options."""
    from fairtree.cli.main import app

    root = typer.main.get_command(app)
    lines: list[str] = []
    _walk(root, ["fairtree"], lines)
    return "\n".join(lines).rstrip() + "\n"


def replace_section(document: str, rendered: str) -> str:
    """Put ``rendered`` between the reference markers of ``document``."""
    head, sep, rest = document.partition(START)
    if not sep or END not in rest:
        raise ValueError(f"the document has no {START} ... {END} section")
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{rendered}{END}{tail}"


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--write":
        path = Path(argv[1])
        path.write_text(replace_section(path.read_text(), render_cli_reference()))
        return 0
    sys.stdout.write(render_cli_reference())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
