"""Several sources read into one Counts by the one combining rule: each file (any format
:func:`~peelmetrics.sources.read_any` recognises, ``-`` for standard input), each folder of
records (by a :class:`~peelmetrics.sources.records.RecordSpec`, summed into windows), laid
over the ones before it (:func:`peelmetrics.counts.overlay_counts`), optionally over the
edition's bundled data. ``peelmetrics read``, ``--counts`` and ``--records`` are this call.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "mine.csv").write_text(
...     "force,period_end,measure,value\\nKent,2017-06-30,dvpos_granted,12\\n")
>>> counts, replaced = read_combined([folder / "mine.csv"], bundled=True)
>>> kent = counts[(counts.force == "E23000032") & (counts.measure == "dvpos_granted")]
>>> kent.value.tolist(), [r.replaced for r in replaced]
([12.0], [0])
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import attrs
import pandas as pd

from peelmetrics._convert import expect_bool, expect_choice, expect_frame, expect_path
from peelmetrics.errors import InputFileError, InvalidValueError, shorten
from peelmetrics.sources.account import ReadReport
from peelmetrics.sources.files import stdin_file
from peelmetrics.sources.formats import FORMATS
from peelmetrics.sources.population import POPULATION_PAIR, population_part, read_population

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition
    from peelmetrics.counts import Replacement

__all__ = ["RECORD_WINDOWS", "compare_files", "read_combined", "write_counts"]

#: Standard input is read into a temporary file up to this size (a pipe may never end).
STDIN_BYTES = 1 << 30
#: Files larger than this are announced before reading (a read may take a while).
_ANNOUNCE_BYTES = 5 * 1024 * 1024

#: The window lengths, in months, records are counted over unless told otherwise: the
#: months, and the rolling years compute uses.
RECORD_WINDOWS = (1, 12)


def read_combined(
    paths: Iterable[str | Path] = (),
    *,
    edition: Edition | str | None = None,
    format: str | None = None,
    bundled: bool = False,
    records: Iterable[str | Path] = (),
    spec: Any = "police-uk",
    windows: str | Sequence[int] | None = None,
    months: tuple[str, str] | None = None,
    check_ids: bool = True,
    progress: TextIO | None = None,
    note: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, list[Replacement]]:
    """Counts of every source, the later laid over the earlier, and every replacement.

    Parameters
    ----------
    paths
        Files of any supported format, in order; ``"-"`` reads standard input. An ONS
        mid-year estimates workbook and its district lookup are read together
        (:func:`~peelmetrics.sources.read_population`), as one source where the second of
        them stands.
    bundled
        Start from the edition's bundled Counts (the files are then laid over them).
    records, spec, windows, months, check_ids, progress
        Folders, files or globs of records counted by ``spec`` (see
        :func:`~peelmetrics.sources.read_records`), street files among ``paths`` alike:
        summed into each window length in ``windows``, by default (``None``) the months and
        the rolling years compute uses, :data:`RECORD_WINDOWS` (a window missing months is
        partial, and said so). ``peelmetrics read`` and every command's ``--counts`` read them so.
    note
        Called with each note a person may want (what was left out, partial windows, each
        replacement); default: none.
    """
    from peelmetrics import datasets
    from peelmetrics.catalogue import get
    from peelmetrics.counts import concat_counts, overlay_counts
    from peelmetrics.periods import parse_window_lengths
    from peelmetrics.sources.detect import holds_street_files

    ed = get(edition)
    say = _note(note)
    windows = parse_window_lengths(RECORD_WINDOWS if windows is None else windows)
    given = [expect_path(p, "paths") for p in _items(paths, "paths")]
    folders = [expect_path(p, "records") for p in _items(records, "records")]
    if format is not None:
        expect_choice(format, "format", tuple(FORMATS))
    expect_bool(bundled, "bundled")
    layers: list[tuple[str, pd.DataFrame]] = []
    if bundled:
        base = datasets.counts(ed) if ed.bundled else concat_counts(edition=ed)
        layers.append(("the bundled data", base))
    # ONS population comes as two files, a workbook and its lookup, given in either order:
    # read together where the second of them is given. Neither is a format of its own, so
    # they are looked for only where a file is refused (no second opening of every file).
    population: dict[str, Path] = {}
    for path in given:
        with _readable(path) as (file, name):
            try:
                if format == "police-uk" if format else holds_street_files(file):
                    # Street files are records by the police-uk spec: one door, with the
                    # windows, months and checks --records has, standard input alike.
                    frames = _records(file, "police-uk", ed, windows, months, check_ids,
                                      progress, say, name)  # fmt: skip
                else:
                    frames = [_read_file(file, format, ed, say, name)]
            except InputFileError:
                part = None if format or name == "<stdin>" else population_part(file)
                if part is None:
                    raise
                if part in population:
                    twice = f"a second ONS population {part} before its pair: give each "
                    raise InputFileError.at(name, twice + "workbook with its lookup") from None
                population[part] = file
                if len(population) < 2:
                    continue
                name = f"{population['workbook']} with {population['lookup']}"
                counts, report = read_population(population["workbook"], population["lookup"])
                frames = [_said(counts, report, name, say)]
                population = {}
        layers += [(name, frame) for frame in frames]
    if population:
        ((alone, file),) = population.items()
        raise InputFileError.at(str(file), POPULATION_PAIR.format(part=alone))
    for folder in folders:
        frames = _records(folder, spec, ed, windows, months, check_ids, progress, say)
        layers += [(str(folder), frame) for frame in frames]
    if not layers:
        raise InvalidValueError("give files to read, or records")
    counts, replaced = overlay_counts(layers, edition=ed)
    for replacement in replaced:
        if replacement.replaced:
            say(str(replacement))
    return counts, replaced


def _note(note: Any) -> Callable[[str], None]:
    """The caller's note function, or one that says nothing."""
    if note is None:
        return lambda _text: None
    if not callable(note):
        raise InvalidValueError(f"note: a function taking the note's text, not {shorten(note)}")
    return note  # type: ignore[no-any-return]


def _items(values: Any, name: str) -> list[Any]:
    """Paths given as a list (one path alone is taken as a list of one)."""
    if isinstance(values, str | Path):
        return [values]
    if isinstance(values, pd.DataFrame | pd.Series | bytes | dict) or not isinstance(
        values, Iterable
    ):
        raise InvalidValueError(f"{name}: a list of file paths, not {shorten(values)}")
    return list(values)


@contextlib.contextmanager
def _readable(path: Path) -> Iterator[tuple[Path, str]]:
    """A file to read for ``path``, and its name: itself, or for ``-`` standard input's
    copy, named ``<stdin>``."""
    if str(path) != "-":
        yield path, str(path)
        return
    with stdin_file(STDIN_BYTES) as copy:
        yield copy, "<stdin>"


def _read_file(
    path: Path, format: str | None, edition: Edition, say: Callable[[str], None], name: str
) -> pd.DataFrame:
    from peelmetrics.sources.detect import read_any

    if path.is_file() and path.stat().st_size > _ANNOUNCE_BYTES:
        say(f"reading {name} ({path.stat().st_size / 1e6:.0f} MB)...")
    counts, report = read_any(path, format, edition=edition)
    return _said(counts, report, name, say)


def _said(
    counts: pd.DataFrame, report: ReadReport, name: str, say: Callable[[str], None]
) -> pd.DataFrame:
    """``counts``, with the report said where it tells of anything left out or noted."""
    if report.rows_excluded or report.notes or counts.empty:
        # A file that gives nothing is said to, with why, never an empty output alone.
        said = attrs.evolve(report, file=name).summary(max_notes=5)
        say(said + ("\n  gave no counts" if counts.empty else ""))
    return counts


def _records(
    path: str | Path, spec: Any, edition: Edition, windows: Sequence[int],
    months: tuple[str, str] | None, check_ids: bool, progress: TextIO | None,
    say: Callable[[str], None], name: str | None = None,
) -> list[pd.DataFrame]:  # fmt: skip
    """Counts of the records at ``path`` (``name``, as the person gave it): monthly, and
    summed into each window length (partial windows named)."""
    from peelmetrics.periods import monthly_windows
    from peelmetrics.sources.records import read_records

    name = name or str(path)
    say(f"counting records in {name} ({getattr(spec, 'name', spec)})...")
    monthly, report = read_records(path, spec, edition, check_ids=check_ids, months=months,
                                   progress=progress)  # fmt: skip
    say(attrs.evolve(report, file=name).summary(max_notes=5))
    frames = [monthly] if 1 in windows else []
    for length in sorted(set(windows) - {1}):
        summed, notes = monthly_windows(monthly, length)
        for text in notes:
            say(f"{name}: {text}")
        if len(summed) or not frames:  # an empty frame would only add blank columns
            frames.append(summed)
    return frames


def compare_files(
    first: str | Path,
    second: str | Path,
    *,
    edition: Edition | str | None = None,
    changed_only: bool = True,
    note: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Reconcile two files' counts (any that :func:`read_combined` reads): what a later
    release revised, key by key (``peelmetrics compare``). Columns as
    :func:`~peelmetrics.counts.compare_counts`, the two value columns named by the files'
    names (their paths where the names are the same); with ``changed_only``, only the keys
    whose counts differ or that only one file holds.
    """
    from peelmetrics.counts import compare_counts

    first, second = expect_path(first, "first"), expect_path(second, "second")
    expect_bool(changed_only, "changed_only")
    left, right = (read_combined([path], edition=edition, note=note)[0]
                   for path in (first, second))  # fmt: skip
    names = (Path(first).name, Path(second).name)
    if names[0] == names[1]:
        names = (str(first), str(second))
    table = compare_counts(left, right, names=names)
    return table[table["difference"].ne(0)] if changed_only else table


def write_counts(counts: pd.DataFrame, path: str | Path) -> None:
    """Write Counts to ``path``: Parquet when the name ends in ``.parquet`` (see
    :func:`~peelmetrics.sources.write_counts_parquet`), else the tidy Counts CSV that
    :func:`~peelmetrics.sources.read_counts_csv` reads back."""
    from peelmetrics.counts import validate_counts
    from peelmetrics.report import counts_to_csv

    counts = validate_counts(expect_frame(counts, "counts"), check_measures=False)
    path = expect_path(path)
    if str(path).lower().endswith(".parquet"):
        from peelmetrics.sources.counts_parquet import write_counts_parquet

        write_counts_parquet(counts, path)
    else:
        Path(path).write_text(counts_to_csv(counts), encoding="utf-8")
