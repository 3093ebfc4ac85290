"""Rendering: results and panels as text tables, JSON and CSV. Nothing here computes a metric.

Output is deterministic: the same input frame gives byte-identical text. JSON numbers are
unrounded (``value``, ``numerator``, ``denominator``); ``display`` is the figure as the report
would print it; NaN becomes ``null``.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from types import MappingProxyType
from typing import Any

import pandas as pd

from peelmetrics._convert import expect_choice, expect_frame
from peelmetrics.caveats import Status
from peelmetrics.errors import InvalidValueError, shorten
from peelmetrics.forces import force_by_code
from peelmetrics.trends import TREND_COLUMNS, describe

__all__ = [
    "counts_to_csv",
    "counts_to_json",
    "defuse",
    "panel_records",
    "panel_to_csv",
    "panel_to_json",
    "panel_to_table",
    "render",
    "results_records",
    "results_to_csv",
    "results_to_json",
    "results_to_table",
    "table",
    "trend_to_csv",
    "trend_to_json",
    "trend_to_table",
    "undefuse",
]

_DASH = "–"
_TREND_NUMBERS = ("trend_change", "trend_lower", "trend_upper", "trend_p")
_OPTIONAL = ("lower", "upper", "ci_method", "comparison", *TREND_COLUMNS)
_NUMBERS = frozenset(("lower", "upper", *_TREND_NUMBERS))


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _date(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def _maybe_date(value: Any) -> str | None:
    return None if pd.isna(value) else _date(value)


def results_records(results: pd.DataFrame) -> list[dict[str, Any]]:
    """Results as JSON-ready dicts with the documented keys (``excluded`` on England and Wales
    rows only). ``period_months`` tells a 12-month row from an as-at row with the same end
    date; ``denominator_period`` and ``denominator_months`` name the counts below the line
    (the population estimate used); ``missing_months`` the months a window's records
    lacked (blank when none); ``source`` names where the counts came from (the numerator's
    and denominator's apart in ``numerator_source`` and ``denominator_source``), and
    ``release_note`` says when they are not the releases the report used."""
    records = []
    for row in results.to_dict("records"):
        record: dict[str, Any] = {
            "force": row["force"],
            "force_name": row["force_name"],
            "metric": row["metric"],
            "period_end": _date(row["period_end"]),
            "period_months": int(row["period_months"]),
            "value": _number(row["value"]),
            "display": row["display"],
            "unit": row["unit"],
            "numerator": _number(row["numerator"]),
            "denominator": _number(row["denominator"]),
            "denominator_period": _maybe_date(row["denominator_period"]),
            "denominator_months": int(row["denominator_months"]),
            "status": row["status"],
            "caveats": list(row["caveats"]),
            "missing_months": row.get("missing_months", ""),
            "source": row["source"],
            "numerator_source": row.get("numerator_source", ""),
            "denominator_source": row.get("denominator_source", ""),
            "release_note": row.get("release_note", ""),
            "edition": row["edition"],
        }
        if row["excluded"] is not None:
            record["excluded"] = [dict(e) for e in row["excluded"]]
        # Columns a call asked for (ci=, trend=), kept in JSON as in CSV.
        for key in _OPTIONAL:
            if key in row:
                value = row[key]
                record[key] = (
                    _maybe_date(value) if key == "trend_from"
                    else _number(value) if key in _NUMBERS
                    else None if value is None or value != value
                    else value
                )  # fmt: skip
        records.append(record)
    return records


def results_to_json(results: pd.DataFrame) -> str:
    """Results as a JSON list (see :func:`results_records`), ending with a newline."""
    return _json(results_records(results))


#: A text cell a spreadsheet would run as a formula (OWASP "CSV injection"), unless it is a
#: number as printed ("-8.8%", "+23%").
_FORMULA = re.compile(r"^[=+\-@\t\r]")
_PRINTED_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?%?$")


def defuse(value: Any) -> Any:
    """A text cell made safe to open in a spreadsheet: one starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return (and not a number as printed) gets a leading
    apostrophe, which spreadsheets show as text. CSV written for people goes through it;
    JSON stays exact, and :func:`~peelmetrics.sources.read_counts_csv` takes the
    apostrophe off again.

    >>> defuse("=cmd|' /C calc'!A0"), defuse("-8.8%"), defuse("Kent")
    ("'=cmd|' /C calc'!A0", '-8.8%', 'Kent')
    """
    if isinstance(value, str) and _FORMULA.match(value) and not _PRINTED_NUMBER.match(value):
        return "'" + value
    return value


def undefuse(text: pd.Series[str]) -> pd.Series[str]:
    """The apostrophe :func:`defuse` put before a formula-like cell taken off again (a
    Counts CSV read back keeps its ``source`` as it was).

    >>> undefuse(pd.Series(["'=cmd", "'quoted", "Kent"])).tolist()
    ['=cmd', "'quoted", 'Kent']
    """
    return text.str.replace(rf"^'(?={_FORMULA.pattern[1:]})", "", regex=True)


def _defused(frame: pd.DataFrame) -> pd.DataFrame:
    text = [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]
    return frame.assign(**{str(c): frame[c].map(defuse) for c in text}) if text else frame


def _json(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def _csv(frame: pd.DataFrame) -> str:
    return _flat(frame).to_csv(index=False, lineterminator="\n")


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if "period_end" in out:
        out["period_end"] = out["period_end"].map(_date)
    for column in ("denominator_period", "trend_from"):
        if column in out:
            out[column] = out[column].map(_maybe_date)
    for column in ("caveats",):
        if column in out:
            out[column] = out[column].map(lambda ids: ";".join(ids))
    for column in ("excluded", "ew_excluded"):
        if column in out:
            out[column] = out[column].map(
                lambda items: (
                    "" if items is None else ";".join(f"{e['force']}:{e['reason']}" for e in items)
                )
            )
    return _defused(out)


def results_to_csv(results: pd.DataFrame) -> str:
    """Results as CSV: caveat ids joined by ``;``, exclusions as ``code:reason;...``."""
    return _csv(results)


def table(
    header: list[str], rows: Iterable[list[str]], wrap: Sequence[int | None] | None = None
) -> str:
    """A fixed-width text table; a column with a ``wrap`` width breaks its cells over lines
    (at spaces), so that a table fits a 100-column terminal."""
    limits = list(wrap) if wrap is not None else [None] * len(header)

    def split(cell: str, limit: int | None) -> list[str]:
        if limit is None or len(cell) <= limit:
            return [cell]
        return textwrap.wrap(cell, limit, break_on_hyphens=False) or [""]

    body = [[split(c, w) for c, w in zip(r, limits, strict=True)] for r in [header, *rows]]
    widths = [max(len(line) for r in body for line in r[i]) for i in range(len(header))]
    lines = []
    for r in body:
        for k in range(max(len(cell) for cell in r)):
            parts = [
                (cell[k] if k < len(cell) else "").ljust(w)
                for cell, w in zip(r, widths, strict=True)
            ]
            lines.append("  ".join(parts).rstrip())
    lines.insert(len(body[0][0]) if body else 1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def results_to_table(results: pd.DataFrame) -> str:
    """Results as a fixed-width text table (one line per force, metric and period; the
    comparison with England and Wales and the trend where they were asked for)."""
    extra = [c for c in ("comparison", "trend") if c in results.columns]
    rows = [
        [str(r[c]) for c in ("force", "force_name", "metric")]
        + [_date(r["period_end"]), str(r["display"]), str(r["status"])]
        + [describe(r) if c == "trend" else str(r[c] or "") for c in extra]
        for r in results.to_dict("records")
    ]
    header = ["force", "name", "metric", "period end", "value", "status", *extra]
    return table(header, rows, wrap=[None] * 6 + [40] * len(extra))


def panel_records(panel: pd.DataFrame) -> list[dict[str, Any]]:
    """Panel rows as JSON-ready dicts."""
    records: list[dict[str, Any]] = []
    for row in panel.to_dict("records"):
        # Text columns with gaps come back from pandas as NaN; JSON wants null.
        record: dict[str, Any] = {
            str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()
        }
        record["period_end"] = _date(row["period_end"])
        for key in ("value", "ew_value", "benchmark", "lower", "upper", *_TREND_NUMBERS):
            record[key] = _number(row.get(key))
        record["caveats"] = list(row["caveats"])
        record["ew_excluded"] = [dict(e) for e in row["ew_excluded"] or ()]
        records.append(record)
    return records


def panel_to_json(panel: pd.DataFrame) -> str:
    """The panel as a JSON list of rows, ending with a newline."""
    return _json(panel_records(panel))


def panel_to_csv(panel: pd.DataFrame) -> str:
    """The panel as CSV."""
    return _csv(panel)


_STATUS_WORDS = MappingProxyType(
    {
        Status.NOT_SUPPLIED.value: "not supplied",
        Status.NOT_COMPARABLE.value: "not comparable",
        Status.EXCLUDED.value: "excluded",
        Status.PARTIAL.value: "partial",
        Status.ESTIMATED.value: "estimated",
    }
)


def _published_cell(published: Any, agrees: Any) -> str:
    if published is None:
        return ""
    mark = {True: " ✓", False: " ✗"}.get(agrees, "")
    return f"{published}{mark}"


def panel_to_table(panel: pd.DataFrame, title: str | None = None) -> str:
    """The panel as a readable text table with footnotes.

    A dash stands for "not supplied" or "not comparable", as in the report (Annex A, "Force
    in numbers"); the notes column says which. ✓ / ✗ say whether the computed value agrees
    with the published one at the published precision.
    """
    if panel.empty:
        return "(empty panel)\n"
    force_name = str(panel["force_name"].iloc[0])
    notes: dict[str, int] = {}
    rows = []
    for r in panel_records(panel):
        status, ew_status = str(r["status"]), str(r["ew_status"])
        remarks = []
        if status == ew_status != Status.OK.value:
            remarks.append(_STATUS_WORDS.get(status, status))
        else:
            if status != Status.OK.value:
                remarks.append(f"force {_STATUS_WORDS.get(status, status)}")
            if ew_status != Status.OK.value:
                remarks.append(f"E&W {_STATUS_WORDS.get(ew_status, ew_status)}")
        for text in (r["published_note"], r.get("release_note"), r.get("reason")):
            if text:
                number = notes.setdefault(str(text), len(notes) + 1)
                remarks.append(f"[{number}]")
        if r.get("comparison"):
            comparison = str(r["comparison"])
            if r.get("lower") is not None and r.get("upper") is not None:
                low, up = float(r["lower"]), float(r["upper"])
                comparison += f" ({low:.1f} to {up:.1f})"
            remarks.append(comparison.replace("not compared: ", "n/c: "))
        if r.get("peers") and isinstance(r["peers"], tuple | list):
            names = ", ".join(force_by_code(c).short_name for c in r["peers"])
            remarks.append(f"peers {r['peer_display']} ({names})")
        if r["benchmark"] is not None:
            remarks.append(f"benchmark {r['benchmark']:g}")
        said = describe(r) if r["display"] != _DASH else ""
        if said and "already a comparison" not in said:
            said = f"Trend {said}." if said.startswith("not assessed") else f"Trend: {said}."
            remarks.append(f"[{notes.setdefault(said, len(notes) + 1)}]")
        rows.append([
            str(r["title"]), str(r["period"]), str(r["display"]), str(r["ew_display"]),
            _published_cell(r["published"], r["agrees"]),
            _published_cell(r["ew_published"], r["ew_agrees"]),
            "; ".join(remarks),
        ])  # fmt: skip
    heading = title or f"{force_name}: Force in numbers"
    header = ["Metric", "Period", "Force", "E&W", "Published", "Published E&W", "Notes"]
    # Wrapped so that the table fits 100 columns: metric, period and notes break over lines.
    text = f"{heading}\n\n" + table(header, rows, wrap=[28, 13, None, None, None, None, 14])
    footer = [
        "",
        f"{_DASH}  not supplied or not comparable (the notes say which), as the report's dash.",
        "✓/✗ computed value agrees / disagrees with the published figure at its precision.",
        "E&W  England and Wales: ratio of sums over the forces the Annex A caveats let in.",
    ]
    footer += [f"[{n}] {note}" for note, n in notes.items()]
    # The releases actually used, which may be later than the ones the report used.
    used = dict.fromkeys(
        part for text in panel.get("source", pd.Series(dtype=str)).fillna("")
        for part in str(text).split("; ") if part
    )  # fmt: skip
    if used:
        footer += ["", "Data used:"] + [f"  {source}" for source in used]
    wrapped = [
        textwrap.fill(line, 100, subsequent_indent="    ", break_on_hyphens=False) or line
        for line in footer
    ]
    return text + "\n".join(wrapped) + "\n"


def counts_to_csv(counts: pd.DataFrame) -> str:
    """Counts as CSV in the tidy input format (ISO dates), readable by ``read_counts_csv``."""
    out = _defused(counts.assign(period_end=counts["period_end"].dt.strftime("%Y-%m-%d")))
    return out.to_csv(index=False, lineterminator="\n", float_format="%.15g")


def _nulled(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as dicts with a missing cell as ``None``: JSON's null, never the
    ``NaN`` that ``json.dumps`` would write and strict parsers refuse."""
    return [
        {str(k): (None if not isinstance(v, str | tuple | list) and pd.isna(v) else v)
         for k, v in row.items()}
        for row in frame.to_dict("records")
    ]  # fmt: skip


def counts_to_json(counts: pd.DataFrame) -> str:
    """Counts as a JSON list of rows (ISO dates, a missing cell as null), ending with a
    newline.

    >>> counts = pd.DataFrame({"force": ["E23000027"], "period_end": [pd.Timestamp("2017-03-31")],
    ...                        "value": [68.0], "source": [None]})
    >>> print(counts_to_json(counts))  # doctest: +NORMALIZE_WHITESPACE
    [ { "force": "E23000027", "period_end": "2017-03-31", "value": 68.0, "source": null } ]
    """
    return _json(_nulled(counts.assign(period_end=counts["period_end"].dt.strftime("%Y-%m-%d"))))


def trend_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A :func:`peelmetrics.trends.trend_table` as JSON-ready dicts (NaN as null)."""
    records = _nulled(frame)
    for record in records:
        record["period_end"] = _date(record["period_end"])
        if "trend_from" in record:
            record["trend_from"] = _maybe_date(record["trend_from"])
    return records


def trend_to_json(frame: pd.DataFrame) -> str:
    """A force over time as a JSON list, ending with a newline."""
    return _json(trend_records(frame))


def trend_to_csv(frame: pd.DataFrame) -> str:
    """A force over time as CSV, one row per metric, series and period."""
    return _csv(frame)


def trend_to_table(frame: pd.DataFrame) -> str:
    """A force over time as text: per metric, a line per period with each series' figure,
    then the latest trend of each series in words."""
    blocks = []
    for metric, part in frame.groupby("metric", sort=False):
        series = list(dict.fromkeys(part["series"]))
        wide = part.pivot_table(
            index="period_end", columns="series", values="display", aggfunc="first"
        ).reindex(columns=series)
        rows = [
            [_date(end), *["" if pd.isna(v) else str(v) for v in values]]
            for end, values in zip(wide.index, wide.to_numpy().tolist(), strict=True)
        ]
        text = f"{metric}\n\n" + table(["period end", *series], rows)
        notes = []
        for name in series:
            mine = part[(part["series"] == name) & part["value"].notna()]
            if "trend" in mine:  # the latest assessed trend, else why the latest is not
                assessed = mine[~mine["trend"].fillna("not").str.startswith("not")]
                mine = assessed if len(assessed) else mine
            last = mine.tail(1)
            said = describe(last.iloc[0].to_dict()) if len(last) else ""
            if said:
                notes.append(f"{name}, to {_date(last['period_end'].iloc[0])}: {said}.")
        if "trend_method" in part and (methods := part["trend_method"].dropna().unique()).size:
            notes.append("Method: " + "; ".join(m for m in methods if m) + ".")
        blocks.append(
            text + "".join(textwrap.fill(n, 100, subsequent_indent="    ") + "\n" for n in notes)
        )
    return "\n".join(blocks)


#: What each kind of frame is written as, per form: the one table every command uses.
_WRITERS: MappingProxyType[str, MappingProxyType[str, Any]] = MappingProxyType({
    "panel": MappingProxyType(
        {"table": panel_to_table, "json": panel_to_json, "csv": panel_to_csv}),
    "results": MappingProxyType(
        {"table": results_to_table, "json": results_to_json, "csv": results_to_csv}),
    "trend": MappingProxyType(
        {"table": trend_to_table, "json": trend_to_json, "csv": trend_to_csv}),
    "counts": MappingProxyType({"csv": counts_to_csv, "json": counts_to_json}),
})  # fmt: skip


def render(frame: pd.DataFrame, form: str = "table", *, kind: str = "results") -> str:
    """``frame`` as text in ``form`` (``table``, ``json`` or ``csv``; counts: ``csv`` or
    ``json``), ``kind`` naming what it holds: ``results`` (of
    :func:`~peelmetrics.compute`), ``panel``, ``trend`` or ``counts``.

    >>> import peelmetrics as pm
    >>> print(render(pm.force_in_numbers("Herts"), "csv", kind="panel").split(",")[0])
    metric
    """
    writers = _WRITERS[expect_choice(kind, "kind", tuple(_WRITERS))]
    writer = writers[expect_choice(form, f"form for {kind}", tuple(writers))]
    try:
        text: str = writer(expect_frame(frame, "frame"))
    except KeyError as exc:  # a frame of another kind: say which column it lacks
        said = f"frame: no column {shorten(exc.args[0])}; render(kind={kind!r}) takes a frame"
        raise InvalidValueError(f"{said} of that kind") from None
    return text
