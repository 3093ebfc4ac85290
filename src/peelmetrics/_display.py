"""Short reprs and HTML reprs, so catalogue objects show themselves in notebooks; and text
fitted to a terminal that cannot show every character the outputs use.

A full attrs repr of an edition runs to tens of thousands of characters; these show what a
reader looks for first (the id, the wording, the unit) and leave the rest to ``to_dict``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, TextIO, cast

import attrs

_WIDTH = 60


def _short(value: Any) -> str:
    text = value.value if hasattr(value, "value") and isinstance(value.value, str) else value
    if isinstance(text, str):
        return repr(text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…")
    return str(text)


def html_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], caption: str) -> str:
    """A small HTML table, every cell escaped (catalogue text may come from users)."""
    import html  # only a notebook shows HTML: the command line never pays for the import

    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(_cell(v) for v in value)
    if hasattr(value, "value") and isinstance(value.value, str):
        return str(value.value)
    return str(value)


class Shown:
    """Mixin for attrs classes: ``repr`` names the fields in ``_shown``; the HTML repr is a
    table of every field."""

    __slots__ = ()
    _shown: ClassVar[tuple[str, ...]] = ()

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={_short(getattr(self, name))}" for name in self._shown)
        return f"{type(self).__name__}({parts})"

    def _repr_html_(self) -> str:
        rows = [(f.name, getattr(self, f.name)) for f in attrs.fields(cast(Any, type(self)))]
        return html_table(["field", "value"], rows, type(self).__name__)


#: Plain stand-ins for the characters the outputs use, for terminals that cannot show them.
_PLAIN = {"\u2013": "-", "\u2014": "-", "\u2713": "yes", "\u2717": "no", "\u2019": "'"}


def _plain(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    text = error.object[error.start : error.end]
    return "".join(_PLAIN.get(c, "?") for c in text), error.end


def fit_encoding(stream: TextIO) -> None:
    """Keep output readable where the terminal's encoding (ascii, cp1252) lacks "–" or "✓"."""
    import codecs

    try:
        "\u2013\u2713\u2717".encode(stream.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        codecs.register_error("peelmetrics-plain", _plain)
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="peelmetrics-plain")
