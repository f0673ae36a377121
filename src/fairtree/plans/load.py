"""Load a plan file: YAML -> typed Plan per effective date, or one PlanError listing
every problem (file, yaml path, field, reason).

Date-versioned parameters: the file is the plan as first in force; ``changes`` lists
dated edits (``effective_from`` + ``set: {path: value}``). The plan for a period is the
file with every change dated on or before the period's first day applied in date
order. Each resulting version is validated when the file is loaded, so a change that
breaks the plan is refused before any run.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pydantic
import yaml

from fairtree.errors import PlanError, Problem
from fairtree.plans.bonus_kinds import bonus_kinds
from fairtree.plans.schema import Plan, plan_model
from fairtree.plans.validation import check_plan

_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


@dataclass(frozen=True)
class PlanDocument:
    """A plan file with every dated version already validated."""

    source: str
    versions: tuple[tuple[date | None, Plan], ...]  # ascending; the first has no date

    @property
    def base(self) -> Plan:
        return self.versions[0][1]

    def for_date(self, day: date) -> Plan:
        chosen = self.versions[0][1]
        for effective_from, plan in self.versions[1:]:
            if effective_from is not None and effective_from <= day:
                chosen = plan
        return chosen


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)  # type: ignore[no-untyped-call]
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)


# No plan needs more than a handful of levels; a document nested deeper is refused before
# it is built (building it recurses once per level).
MAX_YAML_DEPTH = 64


def parse_yaml_text(text: str, source: str, field: str = "") -> Any:
    """YAML text to plain data; PlanError for invalid YAML, duplicate keys or nesting
    deeper than ``MAX_YAML_DEPTH`` (checked on the event stream, without recursion)."""
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_UniqueKeyLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    mark = event.start_mark
                    where = f"line {mark.line + 1}" if mark else ""
                    reason = f"nests deeper than {MAX_YAML_DEPTH} levels"
                    raise PlanError([Problem(source, where, field, reason)])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise PlanError([Problem(source, where, field, f"not valid YAML: {exc}")]) from None


def read_yaml(path: Path | str) -> Any:
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanError([Problem(source, "", "", f"cannot read: {exc.strerror}")]) from None
    return parse_yaml_text(text, source)


def load_plan(path: Path | str) -> PlanDocument:
    return parse_plan(read_yaml(path), str(path))


def yaml_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for i, step in enumerate(loc):
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif i >= 2 and loc[i - 2] == "bonuses" and step in bonus_kinds():
            continue  # pydantic names the chosen union member; the file does not
        else:
            parts.append(f".{step}" if parts else str(step))
    return "".join(parts)


def _problems_from(exc: pydantic.ValidationError, source: str, prefix: str) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        reason = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            reason = "unknown key"
        elif error["type"] == "union_tag_invalid":
            reason = f"unknown bonus kind; known kinds: {', '.join(bonus_kinds())}"
        field = next((str(s) for s in reversed(loc) if isinstance(s, str)), "")
        problems.append(Problem(source, prefix + yaml_path(loc), field, reason))
    return problems


def _validated(raw: Any, source: str, prefix: str) -> tuple[Plan | None, list[Problem]]:
    try:
        plan = plan_model().model_validate(raw)
    except pydantic.ValidationError as exc:
        return None, _problems_from(exc, source, prefix)
    return plan, check_plan(plan, source, prefix)


def parse_plan(raw: Any, source: str) -> PlanDocument:
    """Validate a parsed YAML document and every dated version of it."""
    if not isinstance(raw, dict):
        raise PlanError([Problem(source, "", "", "a plan file must be a mapping at the top")])
    base, problems = _validated(raw, source, "")
    if base is None or problems:
        raise PlanError(problems)
    versions: list[tuple[date | None, Plan]] = [(None, base)]
    current = copy.deepcopy({k: v for k, v in raw.items() if k != "changes"})
    ordered = sorted(enumerate(base.changes), key=lambda pair: pair[1].effective_from)
    for index, change in ordered:
        prefix = f"changes[{index}] ({change.effective_from}): "
        for path, value in change.set.items():
            try:
                _assign(current, path, value)
            except (KeyError, IndexError, TypeError) as exc:
                problems.append(
                    Problem(source, f"changes[{index}].set", path, f"no such plan path: {exc}")
                )
        plan, found = _validated(copy.deepcopy(current), source, prefix)
        problems.extend(found)
        if plan is not None:
            versions.append((change.effective_from, plan))
    if problems:
        raise PlanError(problems)
    return PlanDocument(source, tuple(versions))


def _assign(doc: Any, path: str, value: Any) -> None:
    """Set ``value`` at a plan path such as ``bonuses[unilevel].rates[0]``.

    A bracket holds a list index or the ``id`` / ``name`` of a list item.
    """
    steps = [name or key for name, key in _STEP.findall(path)]
    if not steps or "".join(f"{s}" for s in steps) == "":
        raise KeyError(path)
    target = doc
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        if isinstance(target, list):
            position = _list_position(target, step)
            if last:
                target[position] = copy.deepcopy(value)
            else:
                target = target[position]
        elif isinstance(target, dict):
            if last:
                target[step] = copy.deepcopy(value)
            else:
                target = target[step]
        else:
            raise TypeError(f"{step!r} is inside a plain value")


def _list_position(items: list[Any], step: str) -> int:
    if step.isdigit():
        if int(step) >= len(items):
            raise IndexError(f"index {step} past the end")
        return int(step)
    for i, item in enumerate(items):
        if isinstance(item, dict) and step in (item.get("id"), item.get("name")):
            return i
    raise KeyError(f"no item with id or name {step!r}")
