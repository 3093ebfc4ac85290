"""The account of one read: every input row is used or excluded with its reason."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

import attrs
import pandas as pd

__all__ = ["EXCLUDED_COLUMNS", "ReadReport", "excluded_rows", "exclusions", "read_parts"]

_Part = TypeVar("_Part")

#: The one shape of :attr:`ReadReport.excluded`: the ``row`` (line or spreadsheet row) where
#: known, the ``reason``, and how many input rows the entry stands for (``count``).
EXCLUDED_COLUMNS = ("row", "reason", "count")


def _excluded(value: pd.DataFrame | None) -> pd.DataFrame:
    """Any frame of exclusions in the one shape: a missing ``count`` is one row each, a
    missing ``row`` is not known."""
    frame = pd.DataFrame() if value is None else value
    rows = frame["row"] if "row" in frame.columns else pd.Series(pd.NA, index=frame.index)
    counts = frame["count"] if "count" in frame.columns else pd.Series(1, index=frame.index)
    reasons = frame["reason"] if "reason" in frame.columns else pd.Series("", index=frame.index)
    return pd.DataFrame(
        {
            "row": pd.array(rows.to_numpy(), dtype="Int64"),
            "reason": reasons.astype(object).to_numpy(),
            "count": counts.astype("int64").to_numpy(),
        }
    )


@attrs.frozen(eq=False)
class ReadReport:
    """Reconciliation of one read: every input row is used or excluded with a reason.

    Attributes
    ----------
    file
        The file (or sheet) read.
    rows_read
        Data rows in the input (header rows not counted).
    rows_used
        Rows that contributed to the Counts.
    excluded
        One shape whatever the reader: ``row`` (the line or spreadsheet row, ``<NA>`` where
        an entry stands for many rows, as readers of records at scale give), ``reason`` and
        ``count`` (the input rows the entry stands for).
    notes
        Facts about used rows worth knowing (published negative adjustments, say).

    >>> report = ReadReport("a.csv", 3, 2, exclusions(pd.Series([4]), "blank row"))
    >>> report.excluded.to_dict("records")
    [{'row': 4, 'reason': 'blank row', 'count': 1}]
    >>> both = ReadReport.merge([report, ReadReport("b", 5, 0, excluded_rows({"x": 5}))], "ab")
    >>> both.rows_read, both.rows_used, both.rows_excluded
    (8, 2, 6)
    """

    file: str
    rows_read: int
    rows_used: int
    excluded: pd.DataFrame = attrs.field(repr=False, converter=_excluded, factory=pd.DataFrame)
    notes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.rows_read != self.rows_used + self.rows_excluded:
            raise AssertionError(  # a reader bug, never a user error
                f"{self.file}: {self.rows_read} rows read but {self.rows_used} used and "
                f"{self.rows_excluded} excluded"
            )

    @property
    def rows_excluded(self) -> int:
        """Number of input rows not used."""
        return int(self.excluded["count"].sum())

    def by_reason(self) -> dict[str, int]:
        """Excluded row counts per reason, most frequent first."""
        counts = self.excluded.groupby("reason", sort=False)["count"].sum()
        return {str(k): int(v) for k, v in counts.sort_values(ascending=False).items()}

    def summary(self, max_notes: int | None = None) -> str:
        """One paragraph a person can read: what was used and what was left out and why
        (at most ``max_notes`` notes, then how many more there are)."""
        lines = [
            f"{self.file}: {self.rows_read} rows read, {self.rows_used} used, "
            f"{self.rows_excluded} excluded"
        ]
        lines += [f"  {n} excluded: {reason}" for reason, n in self.by_reason().items()]
        shown = self.notes if max_notes is None else self.notes[:max_notes]
        lines += [f"  note: {note}" for note in shown]
        if len(shown) < len(self.notes):
            lines.append(f"  ... and {len(self.notes) - len(shown)} more note(s)")
        return "\n".join(lines)

    def excluding(self, rows: pd.Series[int], reason: str) -> ReadReport:
        """This report with further input ``rows`` read and excluded for ``reason`` (rows a
        reader set aside before its own account, such as blank rows).

        >>> ReadReport("a.csv", 2, 2).excluding(pd.Series([4, 5]), "blank row").rows_read
        4
        """
        excluded = pd.concat([self.excluded, exclusions(rows, reason)], ignore_index=True)
        return attrs.evolve(self, rows_read=self.rows_read + len(rows), excluded=excluded)

    @staticmethod
    def merge(reports: Sequence[ReadReport], file: str) -> ReadReport:
        """Combine the reports of several parts of one read (sheets of a book, files of a
        folder); reasons and notes say which part. Rows read stay rows used plus excluded."""
        if len(reports) == 1:
            return attrs.evolve(reports[0], file=file)
        excluded = [
            r.excluded.assign(reason=_part(r.file, file) + ": " + r.excluded["reason"])
            for r in reports
        ]
        return ReadReport(
            file,
            sum(r.rows_read for r in reports),
            sum(r.rows_used for r in reports),
            pd.concat(excluded, ignore_index=True) if excluded else None,
            tuple(f"{_part(r.file, file)}: {note}" for r in reports for note in r.notes),
        )


def _part(part: str, whole: str) -> str:
    """ "book.xlsx [Table P7]" within "book.xlsx" -> "[Table P7]"."""
    return part[len(whole) :].strip() or part if part.startswith(whole) else part


def exclusions(rows: pd.Series[int], reasons: pd.Series[str] | str) -> pd.DataFrame:
    """Excluded rows, one entry per input row, for a :class:`ReadReport`."""
    reason = reasons if isinstance(reasons, pd.Series) else pd.Series(reasons, index=rows.index)
    return _excluded(pd.DataFrame({"row": rows.to_numpy(), "reason": reason.to_numpy()}))


def excluded_rows(by_reason: Mapping[str, int]) -> pd.DataFrame:
    """Excluded rows counted by reason, lines not known (records read at scale)."""
    kept = {r: int(n) for r, n in by_reason.items() if n}
    return _excluded(pd.DataFrame({"reason": list(kept), "count": list(kept.values())}))


def read_parts(
    parts: Iterable[_Part],
    read: Callable[[_Part], tuple[pd.DataFrame, ReadReport] | None],
    file: str,
    nothing: str,
    skipped: Sequence[str] = (),
    header: str = "the table's header",
) -> tuple[pd.DataFrame, ReadReport]:
    """Read each part of one file (a sheet, a table) with ``read`` (``None``: a part with
    nothing to read) and join them: the problems of every part told at once in one
    :class:`~peelmetrics.errors.InputFileError`, ``nothing`` said when no part had data,
    the frames stacked and the reports merged (:meth:`ReadReport.merge`), with a note
    naming the ``skipped`` sheets (those without ``header``)."""
    from peelmetrics.errors import InputFileError, Problem, shorten

    frames: list[pd.DataFrame] = []
    reports: list[ReadReport] = []
    problems: list[Problem] = []
    for part in parts:
        try:
            got = read(part)
        except InputFileError as exc:
            problems.extend(exc.problems)
            continue
        if got is not None:
            frames.append(got[0])
            reports.append(got[1])
    if problems:
        raise InputFileError(problems)
    if not frames:
        raise InputFileError.at(file, nothing)
    report = ReadReport.merge(reports, file)
    if skipped:
        note = f"sheet(s) without {header} skipped: {', '.join(map(shorten, skipped))}"
        report = attrs.evolve(report, notes=(*report.notes, note))
    return pd.concat(frames, ignore_index=True), report
