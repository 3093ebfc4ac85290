"""Converters and validators the model types share: one per idea, written once."""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

from peelmetrics.errors import InvalidValueError

__all__ = ["strict_bool", "strict_int", "strings"]


def strings(values: str | Iterable[str]) -> tuple[str, ...]:
    """A tuple of strings; one string is one item, never split into its letters.

    >>> strings("Herts"), strings(["a", "b"])
    (('Herts',), ('a', 'b'))
    """
    items = (values,) if isinstance(values, str) else tuple(values)
    bad = [v for v in items if not isinstance(v, str)]
    if bad:
        raise InvalidValueError(f"expected text, got {bad[0]!r}")
    return items


def strict_bool(_instance: Any, attribute: Any, value: Any) -> None:
    """Validator: a real bool ("false" is not False)."""
    if not isinstance(value, bool):
        raise InvalidValueError(f"{attribute.name} must be True or False, not {value!r}")


def strict_int(_instance: Any, attribute: Any, value: Any) -> None:
    """Validator: a real int (not True, not 12.9)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidValueError(f"{attribute.name} must be a whole number, not {value!r}")
