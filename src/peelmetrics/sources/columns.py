"""Column headers: matched to a reader's canonical names through synonyms, case, spacing
and punctuation ignored; a header given twice is an error, not a guess."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from peelmetrics.errors import InputFileError, Problem, shorten

__all__ = ["duplicated_headers", "match_columns", "normalise_header"]


def duplicated_headers(headers: Sequence[object], file: str) -> list[Problem]:
    """Two columns with the same (normalised) header: which one holds the data is a guess,
    so it is an error."""
    seen: dict[str, str] = {}
    problems = []
    for header in headers:
        key = normalise_header(header)
        if key in seen:
            problems.append(Problem(file, 1, str(header), f"header repeats {shorten(seen[key])}"))
        else:
            seen[key] = str(header)
    return problems


def normalise_header(name: object) -> str:
    """Fold a column header for matching: case, spacing and punctuation ignored."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(name).casefold()).split())


def match_columns(
    columns: Iterable[object], spec: Mapping[str, Sequence[str]], file: str
) -> dict[str, str]:
    """Map each canonical column of ``spec`` to the file's header that is one of its synonyms.

    Raises
    ------
    InputFileError
        Naming every required column that is missing and the headers the file has.
    """
    present = {normalise_header(c): str(c) for c in columns}
    found: dict[str, str] = {}
    problems = []
    for canonical, synonyms in spec.items():
        hit = next((present[s] for s in map(normalise_header, synonyms) if s in present), None)
        if hit is None:
            problems.append(
                Problem(
                    file,
                    None,
                    synonyms[0],
                    f"required column is missing (accepted headers: {', '.join(synonyms)}; "
                    f"found: {', '.join(map(str, columns))})",
                )
            )
        else:
            found[hit] = canonical
    if problems:
        raise InputFileError(problems)
    return found
