"""Typed errors and warnings raised by peelmetrics.

Every error the library raises on purpose derives from :class:`PeelMetricsError`, so a
service can catch one class. Errors about user input also derive from :class:`ValueError`
or :class:`LookupError` so that generic handlers keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Self

import attrs

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "EditionError",
    "IncomparableError",
    "InputFileError",
    "InvalidValueError",
    "MissingFileError",
    "PeelMetricsError",
    "PeelMetricsWarning",
    "PeriodNotCoveredError",
    "Problem",
    "UnknownCaveatError",
    "UnknownEditionError",
    "UnknownForceError",
    "UnknownGroupError",
    "UnknownMeasureError",
    "UnknownMetricError",
    "shorten",
]

#: Longest echo of a user's value in a message; the rest is counted, not printed.
ECHO = 60


def shorten(value: object, width: int = ECHO) -> str:
    """``value`` as a message may quote it: its repr, control characters escaped, cut to
    ``width`` characters with the full length said, so a 600 MB field never floods a
    terminal.

    >>> shorten("Herts")
    "'Herts'"
    >>> shorten("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1000 characters)"
    """
    if isinstance(value, str):
        if len(value) <= width:
            return repr(value)
        return f"{value[: width - 1]!r}"[:-1] + f"…' ({len(value)} characters)"
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ is still only a value in a message
        text = f"<{type(value).__name__}>"
    return text if len(text) <= width else text[: width - 1] + f"… ({type(value).__name__})"


#: The longest message an error prints; a longer one is cut, its length said.
LONGEST = 2_000
#: The longest line one problem of an InputFileError prints.
_PROBLEM = 300


class PeelMetricsError(Exception):
    """Base class of every error raised by peelmetrics. Its message is bounded: whatever a
    caller echoed into it, at most :data:`LONGEST` characters are printed."""

    def __str__(self) -> str:
        return _bounded(super().__str__())


def _bounded(text: str) -> str:
    if len(text) <= LONGEST:
        return text
    return f"{text[: LONGEST - 40]}… (message cut; {len(text)} characters)"


class PeelMetricsWarning(UserWarning):
    """Base class of every warning issued by peelmetrics (filter it with ``warnings``)."""


class InvalidValueError(PeelMetricsError, ValueError):
    """A value given to a constructor or a calculation is outside its domain."""


class EditionError(PeelMetricsError):
    """A registered edition cannot be built: its factory failed or gave no Edition."""


class PeriodNotCoveredError(InvalidValueError):
    """A period the data do not reach; the message names the latest one they cover."""


class _UnknownNameError(PeelMetricsError, LookupError):
    kind = "name"

    def __init__(self, name: str, suggestions: Sequence[str] = (), hint: str = "") -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        names = ", ".join(shorten(s) for s in self.suggestions)
        said = f"; did you mean {names}?" if names else (f"; {hint}" if hint else "")
        super().__init__(f"unknown {self.kind} {shorten(name)}{said}")

    def __str__(self) -> str:
        return _bounded(str(self.args[0]))


class UnknownForceError(_UnknownNameError):
    """A force name or code that no force in the registry answers to.

    ``suggestions`` holds the closest known names.
    """

    kind = "force"


class UnknownMetricError(_UnknownNameError):
    """A metric id that the catalogue edition does not define."""

    kind = "metric"


class UnknownMeasureError(_UnknownNameError):
    """A measure id that the catalogue edition does not define."""

    kind = "measure"


class UnknownCaveatError(_UnknownNameError):
    """A caveat id that the catalogue edition does not define."""

    kind = "caveat"


class UnknownGroupError(_UnknownNameError):
    """An outcome group id that the edition's outcome grouping does not define."""

    kind = "outcome group"


class UnknownEditionError(_UnknownNameError):
    """An edition id that the catalogue registry does not know."""

    kind = "edition"


class IncomparableError(PeelMetricsError, ValueError):
    """Two values that must not be compared: different periods, units or outcome bases.

    Annex A: "Direct comparisons should not be made between general crime outcomes and
    domestic abuse-related outcomes."
    """


@attrs.frozen
class Problem:
    """One thing wrong with an input file, located as precisely as the reader can.

    ``row`` is the 1-based line (CSV) or spreadsheet row as a person would see it in the
    file, header included; ``None`` when the problem concerns the whole file or a column.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    @classmethod
    def at_cells(
        cls,
        file: str,
        rows: pd.Series[int],
        column: str,
        cells: pd.Series[Any],
        bad: pd.Series[bool],
        says: str,
    ) -> list[Problem]:
        """A problem for each of ``cells`` where ``bad`` is true, at the row ``rows`` gives
        it: the cell as found (shortened), then ``says`` (" is not a number").

        >>> import pandas as pd
        >>> cells = pd.Series(["12", "x"], index=[5, 6])
        >>> [str(p) for p in Problem.at_cells("f.csv", pd.Series([7, 8], index=[5, 6]),
        ...                                   "value", cells, cells == "x", " is not a number")]
        ["f.csv, row 8, column 'value': 'x' is not a number"]
        """
        at = cells.index[bad.to_numpy(dtype=bool)]
        return [cls(file, int(rows[i]), column, f"{shorten(cells[i])}{says}") for i in at]

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {shorten(self.column)}"
        line = f"{where if len(where) <= 200 else where[:199] + '…'}: {self.message}"
        # One problem is one line a person reads: never a flood, whatever was echoed into it.
        return line if len(line) <= _PROBLEM else f"{line[: _PROBLEM - 30]}… ({len(line)} chars)"


class InputFileError(PeelMetricsError, ValueError):
    """An input file could not be used; ``problems`` lists every problem found at once."""

    def __init__(self, problems: Iterable[Problem], *, limit: int = 20) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("InputFileError needs at least one problem")
        shown = [str(p) for p in self.problems[:limit]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"... and {more} more problem(s)")
        noun = "problem" if len(self.problems) == 1 else "problems"
        super().__init__(f"{len(self.problems)} {noun} in input:\n  " + "\n  ".join(shown))

    @classmethod
    def at(
        cls, file: str, message: str, *, row: int | None = None, column: str | None = None
    ) -> Self:
        """The error of one problem: ``file`` (and ``row``, ``column`` where known) and what
        is wrong there.

        >>> print(InputFileError.at("a.csv", "the file is empty", row=1))
        1 problem in input:
          a.csv, row 1: the file is empty
        """
        return cls([Problem(file, row, column, message)])

    def __str__(self) -> str:
        return _bounded(str(self.args[0]))


class MissingFileError(InputFileError, FileNotFoundError):
    """An input file that does not exist (also a :class:`FileNotFoundError`)."""
