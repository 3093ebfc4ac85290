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
    # cattrs would coerce: None -> "None", "false" -> True, 12.9 -> 12, "abc" -> ("a", "b",
    # "c"). A dict from a file or a service must say what it means.
    conv.register_structure_hook(str, _exactly(str))
    conv.register_structure_hook(bool, _exactly(bool))
    conv.register_structure_hook(int, _whole)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], _strings)
    return conv


def _exactly(kind: type) -> Any:
    def check(value: Any, _type: Any) -> Any:
        if not isinstance(value, kind):
            raise ValueError(f"expected {kind.__name__}, got {value!r}")
        return value

    return check


def _whole(value: Any, _type: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


def _strings(value: Any, _type: Any) -> tuple[str, ...]:
    from peelmetrics._convert import strings

    return strings(value)


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

    if not isinstance(data, Mapping):
        raise InvalidValueError(f"cannot build {cls.__name__} from {data!r}: expected a dict")
    try:
        return _converter().structure(dict(data), cls)
    except (ValueError, TypeError) as exc:  # a converter or validator refused a value
        raise InvalidValueError(f"cannot build {cls.__name__} from {data!r}: {exc}") from exc
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
