"""JSON-compatible dicts for every model type, through one cattrs converter.

cattrs is imported on first use, so ``import peelmetrics`` does not pay for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # pragma: no cover
    import cattrs

T = TypeVar("T")


@cache
def _converter() -> cattrs.Converter:
    import cattrs

    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(date, lambda d: d.isoformat())
    conv.register_structure_hook(date, _structure_date)
    return conv


def _structure_date(value: Any, _type: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def unstructure(obj: Any) -> dict[str, Any]:
    """Return ``obj`` (an attrs instance) as a dict of JSON-compatible values."""
    result: dict[str, Any] = _converter().unstructure(obj)
    return result


def structure(data: Mapping[str, Any], cls: type[T]) -> T:
    """Rebuild an instance of ``cls`` from :func:`unstructure` output; validators run."""
    import cattrs

    from peelmetrics.errors import InvalidValueError

    try:
        return _converter().structure(dict(data), cls)
    except cattrs.BaseValidationError as exc:
        messages = "; ".join(str(e) for e in exc.exceptions)
        raise InvalidValueError(f"cannot build {cls.__name__} from {data!r}: {messages}") from exc


class Serialisable:
    """Mixin giving an attrs class ``to_dict`` and ``from_dict`` (JSON-compatible)."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible dict of this value; :meth:`from_dict` rebuilds it."""
        return unstructure(self)

    @classmethod
    def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
        """Rebuild a value from :meth:`to_dict` output (validators run again)."""
        return structure(data, cls)
