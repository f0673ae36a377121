"""Bonus kinds: one module per kind, each registered with ``@register("<kind>")``."""
