"""Paged, sorted tables on the server: the query a table page reads (page, sort, direction,
filters) and the links its headers and pager write back.

A page handler parses a :class:`TableQuery` from the request, passes its ``limit``,
``offset``, ``sort`` and ``descending`` to a service (the store sorts and pages; nothing
is cut at a cap), then wraps the answer in a :class:`Listing` for the ``_ui.table`` macro.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False
    sortable: bool = True


@dataclass(frozen=True)
class TableQuery:
    """What the reader asked for; unknown sort keys fall back to the default, never a 500."""

    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    sort: str = ""
    descending: bool = False
    filters: Mapping[str, str] = field(default_factory=dict)

    @property
    def limit(self) -> int:
        return self.per_page

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @classmethod
    def parse(
        cls,
        params: Mapping[str, str],
        sortable: Sequence[str],
        default_sort: str,
        default_descending: bool = False,
        filter_names: Sequence[str] = (),
        per_page: int = DEFAULT_PER_PAGE,
    ) -> TableQuery:
        def whole(name: str, fallback: int, top: int) -> int:
            text = params.get(name, "")
            return min(max(int(text), 1), top) if text.isdigit() else fallback

        sort = params.get("sort", "")
        descending = params.get("dir", "") == "desc"
        if sort not in sortable:
            sort, descending = default_sort, default_descending
        filters = {name: params[name].strip() for name in filter_names if params.get(name)}
        return cls(
            page=whole("page", 1, 10**9),
            per_page=whole("per_page", per_page, MAX_PER_PAGE),
            sort=sort,
            descending=descending,
            filters=filters,
        )


@dataclass(frozen=True)
class Listing:
    """One page of rows with the links that keep filters and sort."""

    base_path: str
    query: TableQuery
    rows: Sequence[Any]
    total: int
    noun: str = "rows"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def page(self) -> int:
        return self.query.page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    @property
    def first(self) -> int:
        return min(self.query.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.query.offset + len(self.rows), self.total)

    def _url(self, **changes: Any) -> str:
        params: dict[str, Any] = {**self.extra, **self.query.filters}
        params.update(sort=self.query.sort, dir="desc" if self.query.descending else "asc")
        if self.query.per_page != DEFAULT_PER_PAGE:
            params["per_page"] = self.query.per_page
        params["page"] = self.query.page
        params.update(changes)
        if params.get("page") == 1:
            del params["page"]
        return f"{self.base_path}?{urlencode(params)}"

    def page_url(self, page: int) -> str:
        return self._url(page=page)

    def sort_url(self, key: str) -> str:
        """Sorting by the current key flips the direction; a new key starts ascending."""
        flip = key == self.query.sort and not self.query.descending
        return self._url(sort=key, dir="desc" if flip else "asc", page=1)

    def sort_state(self, key: str) -> str:
        if key != self.query.sort:
            return ""
        return "descending" if self.query.descending else "ascending"

    def csv_url(self, path: str) -> str:
        params = {
            **self.extra,
            **self.query.filters,
            "sort": self.query.sort,
            "dir": "desc" if self.query.descending else "asc",
        }
        return f"{path}?{urlencode(params)}"
