"""Optional dependencies, imported where used, with one message naming the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from peelmetrics.errors import InvalidValueError


def installed(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it.

    >>> installed("json"), installed("no_such_module")
    (True, False)
    """
    import importlib.util

    return importlib.util.find_spec(module) is not None


def need(module: str, purpose: str, extra: str) -> ModuleType:
    """``module`` imported, or an InvalidValueError saying which extra installs it.

    >>> need("json", "reading JSON", "none").__name__
    'json'
    >>> need("no_such_module", "flying", "wings")
    Traceback (most recent call last):
    ...
    peelmetrics.errors.InvalidValueError: flying needs no_such_module: pip install "pee...[wings]"
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InvalidValueError(
            f'{purpose} needs {module}: pip install "peelmetrics[{extra}]"'
        ) from None
