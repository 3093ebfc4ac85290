"""Numbers and labels from published text cells: "1,234" read, "1,5" refused, each bad
cell named by its row; text work done once per distinct label."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from peelmetrics.errors import Problem

__all__ = [
    "NOT_GIVEN",
    "by_label",
    "is_na",
    "label_codes",
    "on_labels",
    "parse_counts",
    "parse_numbers",
]

#: The marks official tables put where a figure is not given: the statistical standard's
#: "[x]" (not available), "[z]" (not applicable) and "[c]" (confidential), and ONS's "..".
#: Such a cell is no count, never a number read wrong.
NOT_GIVEN = frozenset({"..", "[x]", "[z]", "[c]"})


def label_codes(series: pd.Series[Any]) -> tuple[np.ndarray, Any]:
    """Each row's code (-1 for a missing cell) into the column's distinct labels: read off
    a categorical (the labels are known: no hashing), else factorised.

    >>> codes, labels = label_codes(pd.Series(["b", "a", None, "b"]))
    >>> codes.tolist(), list(labels)
    ([0, 1, -1, 0], ['b', 'a'])
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        # The codes' own width (int8 for a few dozen labels): a million rows are not widened.
        return series.cat.codes.to_numpy(), series.cat.categories
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, uniques


def by_label(
    series: pd.Series[Any], func: Callable[[pd.Series[str]], pd.Series[Any]]
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's code into the distinct labels of ``series``, and ``func``'s result for
    each label, a missing cell's (``func`` of ``""``) last, where its code, -1, picks it.
    A check can then look at the few labels first and at the rows only if a label fails.

    >>> codes, results = by_label(pd.Series(["b", None, "b"]), lambda s: s.str.len())
    >>> codes.tolist(), results.tolist(), results[codes].tolist()
    ([0, -1, 0], [1, 0], [1, 0, 1])
    """
    codes, uniques = label_codes(series)
    # Built as a list: the labels are few, and pandas' own steps cost more than they do.
    return codes, func(pd.Series([*map(str, uniques), ""], dtype=object)).to_numpy()


def on_labels(
    series: pd.Series[Any],
    func: Callable[[pd.Series[str]], pd.Series[Any]],
    *,
    category: bool = False,
) -> pd.Series[Any]:
    """``func`` applied to each distinct label of ``series`` once, spread back to every row.

    Published long tables repeat a few dozen labels (force names, offence groups, quarters)
    on hundreds of thousands of rows; text work per label instead of per row keeps a read
    close to the cost of parsing the file. Missing cells reach ``func`` as ``""``. With
    ``category=True`` the result is categorical (for text results used as keys). A test
    that no label passes costs no pass over the rows.

    >>> on_labels(pd.Series([" Kent", "Kent ", " Kent"]), lambda s: s.str.strip()).tolist()
    ['Kent', 'Kent', 'Kent']
    """
    codes, mapped = by_label(series, func)
    if mapped.dtype == bool and not mapped.any():  # a test no label passes: no pass over rows
        return pd.Series(np.zeros(len(codes), dtype=bool), index=series.index, copy=False)
    if category:
        result_codes, results = pd.factorize(mapped, use_na_sentinel=True)
        narrow = result_codes.astype(np.min_scalar_type(-len(results) - 1))
        values = pd.Categorical.from_codes(narrow[codes], categories=pd.Index(results))
        return pd.Series(values, index=series.index, copy=False)
    return pd.Series(mapped[codes], index=series.index, copy=False)


#: A count as published: digits with optional valid thousands grouping ("1,234,567"), an
#: optional sign and decimal part. "1,5", "12,34" and "1.234,5" are not numbers here:
#: stripping their commas would misread them.
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def parse_numbers(text: pd.Series[str]) -> pd.Series[float]:
    stripped = text.str.strip()
    valid = stripped.str.match(_NUMBER)
    cleaned = stripped.where(valid, "").str.replace(",", "", regex=False)
    return pd.to_numeric(cleaned, errors="coerce").where(valid)


def parse_counts(
    values: pd.Series[str],
    rows: pd.Series[int],
    file: str,
    column: str,
    *,
    allow_negative: bool = False,
    among: np.ndarray | None = None,
    out: np.ndarray | None = None,
) -> tuple[pd.Series[float], list[Problem]]:
    """Numbers from text cells ("1,234" accepted, "1,5" not); problems name each bad row.

    Counts must not be negative unless ``allow_negative`` (a publisher's adjustment rows).
    With ``among`` (a boolean mask), only those cells are checked and returned, in order
    and numbered from 0: a long-table reader passes its whole column and the rows it uses,
    not a copy of a million cells; ``out`` (float64, one per selected cell) is then where
    they are written, as with NumPy's ``out=``, so a reader stacking several columns'
    numbers makes no copies to join. Each distinct cell is parsed and checked once; rows
    are looked at only for a label that fails.

    >>> numbers, problems = parse_counts(pd.Series(["1,234", "x", "-1"]), pd.Series([2, 3, 4]),
    ...                                  "f.csv", "n", among=np.array([True, False, True]))
    >>> numbers.tolist(), [str(p) for p in problems]
    ([1234.0, -1.0], ["f.csv, row 4, column 'n': '-1': counts must not be negative"])
    """
    from peelmetrics.counts import MAX_COUNT

    codes, parsed = by_label(values, parse_numbers)
    # "-0" is a count of nothing: 0, never a negative zero written back as "-0".
    parsed = parsed.astype("float64") + 0.0
    held = codes if among is None else codes[among]
    checks = [(np.isnan(parsed), " is not a number")]
    if not allow_negative:
        checks.append((parsed < 0, ": counts must not be negative"))
    checks.append((np.abs(parsed) > MAX_COUNT, " is too large for a count"))
    problems: list[Problem] = []
    for failed, says in checks:
        # The last result is a missing cell's: it fails only where a checked cell is missing.
        if failed[:-1].any() or (failed[-1] and (held < 0).any()):
            bad = failed[codes] if among is None else failed[codes] & among
            problems += Problem.at_cells(file, rows, column, values,
                                         pd.Series(bad, index=values.index), says)  # fmt: skip
    numbers = np.take(parsed, held, out=out)
    if among is not None:  # numbered from 0: selecting a million index labels costs more
        return pd.Series(numbers, copy=False), problems
    return pd.Series(numbers, index=values.index, copy=False), problems


def is_na(text: pd.Series[str]) -> pd.Series[bool]:
    """Cells marked not available: the Home Office's "N/a" and "N/A - Offence code expired",
    the marks of :data:`NOT_GIVEN` ("[x]", ".."), and "NA" as tools such as R write a
    missing value. Each distinct label is tested once (:func:`on_labels`).

    >>> is_na(pd.Series(["N/A - Offence code expired", "12", "[x]", "na"])).tolist()
    [True, False, True, True]
    """

    def marked(labels: pd.Series[str]) -> pd.Series[bool]:
        folded = labels.str.strip().str.casefold()
        return folded.str.startswith("n/a") | folded.isin(["na", *NOT_GIVEN])

    return on_labels(text, marked).astype(bool)
