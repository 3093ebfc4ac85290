"""Police forces: identity, names and a resolver for every spelling publishers use.

A force is identified by its ONS Police Force Area code (``E23000027`` for Hertfordshire).
ONS, the Home Office, police.uk and HMICFRS spell names differently ("London, City of",
"City of London", "City of London Police"); :func:`resolve_force` accepts any of them, case-
and punctuation-insensitively, and raises :class:`~peelmetrics.errors.UnknownForceError`
with the closest names when nothing matches.

British Transport Police is in the registry, marked non-geographic: Annex A, "Data in the
report": "British Transport Police was outside the scope of inspection. Any aggregated
totals for England and Wales exclude British Transport Police data". ONS gives it no PFA
code, so the library uses ``"BTP"``.

>>> resolve_force("London, City of").code
'E23000034'
>>> resolve_force("hertfordshire constabulary").short_name
'Hertfordshire'
>>> len(all_forces(geographic_only=True))
43
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import attrs

from peelmetrics._convert import strict_bool, strings
from peelmetrics._data import read_csv_rows
from peelmetrics._serde import Serialisable
from peelmetrics.errors import InvalidValueError, Problem, UnknownForceError, shorten

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "BTP_CODE",
    "ENGLAND_AND_WALES_CODE",
    "FRAUD_BODIES",
    "Force",
    "all_forces",
    "codes_by_name",
    "force_by_code",
    "force_codes",
    "is_fraud_body",
    "is_fraud_offence",
    "normalise_name",
    "resolve_force",
    "resolve_names",
]

#: Code of the England and Wales aggregate in results (ONS country-group code).
ENGLAND_AND_WALES_CODE = "K04000001"
#: Code the library gives British Transport Police, which has no ONS PFA code.
BTP_CODE = "BTP"
#: Publishers of national fraud data in the Home Office tables, named where a force would
#: be: no force's data (Annex A: fraud is recorded nationally, not attributable to forces).
#: Readers match them with :func:`is_fraud_body`.
FRAUD_BODIES = ("Action Fraud", "CIFAS", "UK Finance", "Financial Fraud Action UK")

_CODE_RE = re.compile(r"^(E23\d{6}|W15\d{6}|BTP)$")
# Words publishers append to a force's place name; dropped when matching.
_SUFFIXES = ("police service", "constabulary", "police", "force")


#: Folded spellings of the England and Wales aggregate (never a force; results carry it).
_ENGLAND_AND_WALES = frozenset({"england and wales", "k04000001", "england wales"})
_AGGREGATE = (
    "England and Wales is not a force: every result carries it as "
    f"{ENGLAND_AND_WALES_CODE}, the ratio of sums over the forces"
)
_ELSEWHERE = "{} is not a police force of England and Wales: PEEL inspects the 43 forces there"
#: Names that are not forces of England and Wales, and what to say instead of a guess.
_NOT_FORCES: Mapping[str, str] = {
    **dict.fromkeys(_ENGLAND_AND_WALES, _AGGREGATE),
    **dict.fromkeys(
        ("police scotland", "scotland", "police service of scotland", "scottish"),
        _ELSEWHERE.format("Police Scotland"),
    ),
    **dict.fromkeys(
        ("police service of northern ireland", "psni", "northern ireland"),
        _ELSEWHERE.format("The Police Service of Northern Ireland"),
    ),
    **dict.fromkeys(
        ("ministry of defence", "mod", "civil nuclear"),
        _ELSEWHERE.format("A non-territorial force other than British Transport Police"),
    ),
}


def normalise_name(name: str) -> str:
    """Fold a force name for matching: lower case, ``&`` as ``and``, punctuation dropped.

    >>> normalise_name("Devon & Cornwall")
    'devon and cornwall'
    >>> normalise_name("London, City of")
    'london city of'
    """
    text = name.casefold().replace("&", " and ")
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(text.split())


def _strip_suffix(folded: str) -> str:
    for suffix in _SUFFIXES:
        if folded.endswith(" " + suffix):
            return folded[: -len(suffix) - 1]
    return folded


def _validate_code(_instance: Any, _attribute: Any, value: str) -> None:
    if not _CODE_RE.match(value):
        raise InvalidValueError(
            f"force code {value!r} is not an ONS PFA code (E23xxxxxx, W15xxxxxx) or 'BTP'"
        )


@attrs.frozen(slots=True)
class Force(Serialisable):
    """A police force.

    Attributes
    ----------
    code
        ONS Police Force Area code, the identity (``"E23000027"``).
    name
        Full name as HMICFRS and police.uk write it ("Hertfordshire Constabulary").
    short_name
        Name used on charts and in Home Office tables ("Hertfordshire").
    region, country
        ONS region and country ("East", "England"); ``None`` region for BTP.
    geographic
        ``False`` for British Transport Police, which never enters England and Wales figures.
    aliases
        Other spellings (ONS, police.uk id) that resolve to this force.
    """

    code: str = attrs.field(validator=_validate_code)
    name: str = attrs.field(validator=attrs.validators.min_len(1))
    short_name: str = attrs.field(validator=attrs.validators.min_len(1))
    region: str | None = None
    country: str = "England"
    geographic: bool = attrs.field(default=True, validator=strict_bool)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=strings)

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Force:
        """Build a force from a row of the bundled ``forces.csv``."""
        return cls(
            code=row["code"],
            name=row["name"],
            short_name=row["short_name"],
            region=row["region"] or None,
            country=row["country"],
            geographic=row["geographic"].strip().lower() == "true",
            aliases=tuple(a for a in row["aliases"].split("|") if a),
        )

    def names(self) -> tuple[str, ...]:
        """Every spelling that resolves to this force, the code included."""
        return (self.code, self.name, self.short_name, *self.aliases)


@cache
def _registry() -> tuple[tuple[Force, ...], dict[str, Force]]:
    forces = tuple(Force.from_row(r) for r in read_csv_rows("forces.csv"))
    index: dict[str, Force] = {}
    for force in forces:
        for spelling in force.names():
            folded = normalise_name(spelling)
            for key in {folded, _strip_suffix(folded)}:
                other = index.setdefault(key, force)
                if other is not force:  # pragma: no cover - guards the bundled table
                    raise RuntimeError(f"{spelling!r} names both {other.code} and {force.code}")
    return forces, index


def all_forces(*, geographic_only: bool = False) -> tuple[Force, ...]:
    """The 43 geographic forces of England and Wales plus British Transport Police.

    Ordered by code. ``geographic_only=True`` leaves out British Transport Police.
    """
    if not isinstance(geographic_only, bool):
        raise InvalidValueError(f"geographic_only: True or False, not {shorten(geographic_only)}")
    forces = _registry()[0]
    return tuple(f for f in forces if f.geographic or not geographic_only)


def force_by_code(code: str) -> Force:
    """Return the force with ONS code ``code`` (exact), or raise UnknownForceError."""
    for force in _registry()[0]:
        if force.code == code:
            return force
    raise UnknownForceError(code, _suggest(code))


def resolve_force(name: str | Force, *, suggest: bool = True) -> Force:
    """Return the force any publisher's spelling or code refers to.

    Matching ignores case, punctuation, ``&``/``and`` and a trailing "Police",
    "Constabulary" or "Police Service".

    Raises
    ------
    UnknownForceError
        When nothing matches; its ``suggestions`` are the closest known names (none with
        ``suggest=False``, which skips the fuzzy match when checking many names).

    Examples
    --------
    >>> resolve_force("Devon & Cornwall").short_name
    'Devon and Cornwall'
    >>> resolve_force("Hertfordshir")
    Traceback (most recent call last):
    ...
    peelmetrics.errors.UnknownForceError: unknown force 'Hertfordshir'; did you mean ...?
    """
    if isinstance(name, Force):
        return name
    index = _registry()[1]
    folded = normalise_name(str(name))
    force = index.get(folded) or index.get(_strip_suffix(folded))
    if force is None:
        outside = _NOT_FORCES.get(folded) or _NOT_FORCES.get(_strip_suffix(folded))
        if outside is not None:
            raise UnknownForceError(str(name), [], outside)
        raise UnknownForceError(str(name), _suggest(str(name)) if suggest else [])
    return force


def force_codes(names: Iterable[str], *, england_and_wales: bool = False) -> list[str]:
    """ONS codes for force names; with ``england_and_wales=True`` the aggregate's names
    (:data:`ENGLAND_AND_WALES_CODE`, "England and Wales", "England & Wales") give its code.

    >>> force_codes(["Herts", "England & Wales"], england_and_wales=True)
    ['E23000027', 'K04000001']
    """
    return [
        ENGLAND_AND_WALES_CODE
        if england_and_wales and normalise_name(str(n)) in _ENGLAND_AND_WALES
        else resolve_force(n).code
        for n in names
    ]


def codes_by_name(names: Iterable[str]) -> dict[str, str | None]:
    """Each name's force code, or ``None`` where it names no force, for readers that
    resolve a column of names at once and report the unknown ones themselves (no fuzzy
    suggestions: they cost a match per name).

    >>> codes_by_name(["Herts", "Atlantis Police"])
    {'Herts': 'E23000027', 'Atlantis Police': None}
    """
    codes: dict[str, str | None] = {}
    for name in dict.fromkeys(names):
        try:
            codes[name] = resolve_force(name, suggest=False).code
        except UnknownForceError:
            codes[name] = None
    return codes


@cache
def _folded_names() -> dict[str, str]:
    forces = _registry()[0]
    by_folded = {normalise_name(f.short_name): f.short_name for f in forces}
    by_folded.update({normalise_name(f.name): f.short_name for f in forces})
    return by_folded


def _suggest(name: str, n: int = 3) -> list[str]:
    by_folded = _folded_names()
    import difflib  # suggestions are for mistakes: a correct name never pays for it

    hits = difflib.get_close_matches(normalise_name(name), list(by_folded), n=n * 2, cutoff=0.5)
    seen: list[str] = []
    for hit in hits:
        short = by_folded[hit]
        if short not in seen:
            seen.append(short)
    return seen[:n]


def is_fraud_body(names: pd.Series[str]) -> pd.Series[bool]:
    """Which of ``names`` are national fraud bodies (:data:`FRAUD_BODIES`), whatever their
    case and stray spaces.

    >>> import pandas as pd
    >>> is_fraud_body(pd.Series([" action fraud", "Kent", "CIFAS"])).tolist()
    [True, False, True]
    """
    return names.str.strip().str.casefold().isin([b.casefold() for b in FRAUD_BODIES])


def is_fraud_offence(labels: pd.Series[str]) -> pd.Series[bool]:
    """Which of ``labels`` (offence groups or subgroups) are fraud: "Fraud offences", or
    any later label for them ("Fraud and computer misuse"), whatever their case and stray
    spaces. Annex A: recorded crime excludes fraud, which is not attributable to forces.

    >>> import pandas as pd
    >>> is_fraud_offence(pd.Series(["Fraud offences", " fraud: CIFAS", "Robbery"])).tolist()
    [True, True, False]
    """
    return labels.str.strip().str.casefold().str.startswith("fraud")


#: Unknown names beyond this many are listed without "did you mean" suggestions.
_SUGGEST_AT_MOST = 50


def resolve_names(
    names: pd.Series[str],
    rows: pd.Series[int],
    file: str,
    column: str,
    *,
    among: np.ndarray | None = None,
) -> tuple[pd.Series[str], list[Problem]]:
    """Force codes (categorical) for a column of force names, resolving each distinct name
    once: a categorical column's own codes are used (no hashing of a million rows; a
    category no row holds is not resolved), and the first row and the number of rows of
    an unknown name come from one pass, so many distinct bad names cost linear time.

    With ``among`` (a boolean mask), only those rows' names are resolved and the others'
    codes are missing: a long-table reader passes its whole column and the rows it uses.
    """
    import numpy as np
    import pandas as pd

    if isinstance(names.dtype, pd.CategoricalDtype) and not names.hasnans:
        positions, uniques = names.cat.codes.to_numpy(), names.cat.categories
    else:
        positions, uniques = pd.factorize(names, use_na_sentinel=False)
    held = positions if among is None else positions[among]
    sizes = np.bincount(held, minlength=len(uniques))
    resolved: list[str | None] = []
    unknown: list[tuple[int, str]] = []
    for i, name in enumerate(uniques):
        if not sizes[i]:
            resolved.append(None)
            continue
        try:
            # Suggestions cost a fuzzy match each: the first few unknown names get them.
            suggest = len(unknown) < _SUGGEST_AT_MOST
            resolved.append(resolve_force(str(name), suggest=suggest).code)
        except UnknownForceError as exc:
            resolved.append(None)
            unknown.append((i, str(exc)))
    if unknown:
        chosen = np.arange(len(positions)) if among is None else np.flatnonzero(among)
        first = np.full(len(uniques), -1, dtype=np.int64)
        first[held[::-1]] = chosen[::-1]
        line = rows.to_numpy()
        return pd.Series(dtype=object), [
            Problem(file, int(line[first[i]]), column, f"{text} ({int(sizes[i])} row(s))")
            for i, text in unknown
        ]
    # Several names may give one force ("Herts", "Hertfordshire"): codes into the forces.
    codes = pd.Index([code for code in resolved if code is not None]).unique()
    onto = codes.get_indexer(pd.Index(resolved, dtype=object))
    at = onto.astype(np.min_scalar_type(-len(codes) - 1))[positions]
    if among is not None:
        at[~among] = -1
    values = pd.Categorical.from_codes(at, categories=codes, validate=False)
    return pd.Series(values, index=names.index, copy=False), []
