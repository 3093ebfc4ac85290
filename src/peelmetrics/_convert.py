"""Converters and validators the model types share: one per idea, written once."""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from peelmetrics.errors import InvalidValueError, shorten

__all__ = [
    "expect_bool",
    "expect_frame",
    "expect_level",
    "expect_path",
    "expect_text",
    "strict_bool",
    "strict_int",
    "strings",
]


def strings(values: str | Iterable[str]) -> tuple[str, ...]:
    """A tuple of strings; one string is one item, never split into its letters.

    >>> strings("Herts"), strings(["a", "b"])
    (('Herts',), ('a', 'b'))
    """
    if isinstance(values, str):
        items: tuple[Any, ...] = (values,)
    elif isinstance(values, Iterable) and not isinstance(values, bytes | dict):
        items = tuple(values)
    else:
        raise InvalidValueError(f"expected text or a list of texts, got {shorten(values)}")
    bad = [v for v in items if not isinstance(v, str)]
    if bad:
        raise InvalidValueError(f"expected text, got {shorten(bad[0])}")
    return items


def strict_bool(_instance: Any, attribute: Any, value: Any) -> None:
    """Validator: a real bool ("false" is not False)."""
    if not isinstance(value, bool):
        raise InvalidValueError(f"{attribute.name} must be True or False, not {shorten(value)}")


def strict_int(_instance: Any, attribute: Any, value: Any) -> None:
    """Validator: a real int (not True, not 12.9)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidValueError(f"{attribute.name} must be a whole number, not {shorten(value)}")


def expect_text(value: Any, name: str) -> str:
    """``value`` if it is non-empty text; else an error naming the argument (the public
    API's boundary: a wrong type never reaches pandas as a traceback).

    >>> expect_text(None, "metric_id")
    Traceback (most recent call last):
    ...
    peelmetrics.errors.InvalidValueError: metric_id: expected text such as an id or a name, not None
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(f"{name}: expected text such as an id or a name, not "
                                f"{shorten(value)}")  # fmt: skip
    return value


def expect_choice(value: Any, name: str, choices: Sequence[str]) -> str:
    """``value`` if it is one of ``choices`` (text); else an error naming them.

    >>> expect_choice("yaml", "form", ("table", "json"))
    Traceback (most recent call last):
    ...
    peelmetrics.errors.InvalidValueError: form: one of 'table', 'json', not 'yaml'
    """
    if not isinstance(value, str) or value not in choices:
        raise InvalidValueError(f"{name}: one of {', '.join(map(repr, choices))}, not "
                                f"{shorten(value)}")  # fmt: skip
    return value


def expect_level(value: Any, name: str = "ci") -> float:
    """A confidence level: a number strictly between 0 and 1 (``0.95``), not text or a
    percentage.

    >>> expect_level(0.95)
    0.95
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise InvalidValueError(f"{name}: a confidence level between 0 and 1 such as 0.95, not "
                                f"{shorten(value)}")  # fmt: skip
    return float(value)


def expect_bool(value: Any, name: str) -> bool:
    """A real bool (a frame or "false" is not a flag).

    >>> expect_bool(True, "show_partial")
    True
    """
    if not isinstance(value, bool):
        raise InvalidValueError(f"{name}: True or False, not {shorten(value)}")
    return value


def expect_path(value: Any, name: str = "path") -> Path:
    """A file path (text or path-like), never None or a frame.

    >>> expect_path("a.csv").name
    'a.csv'
    """
    text = isinstance(value, str) and bool(value.strip()) and "\x00" not in value
    if not (text or isinstance(value, os.PathLike)):
        raise InvalidValueError(f"{name}: a file path, not {shorten(value)}")
    path = Path(value)
    try:
        path.exists()  # a name the system refuses (too long, a loop) is said here
    except OSError as exc:
        raise InvalidValueError(f"{name}: {shorten(str(path))} cannot be a path: "
                                f"{exc.strerror or exc}") from None  # fmt: skip
    return path


def expect_frame(value: Any, name: str) -> Any:
    """A pandas DataFrame (a tuple from a reader is named as such)."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return value
    hint = " (a reader returns (counts, report): pass the first item)" if isinstance(
        value, tuple) else ""  # fmt: skip
    raise InvalidValueError(f"{name}: a DataFrame, not {type(value).__name__}{hint}")
