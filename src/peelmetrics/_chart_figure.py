"""The figure class charts are drawn on: a matplotlib Figure that shows itself.

Charts use matplotlib's object-oriented API (no pyplot, no global backend), so IPython has
no formatter for them until pyplot is imported; a bare Figure then prints as
``<Figure size 1200x2007 with 2 Axes>``. ``_repr_png_`` lets a fresh kernel draw it.
"""

from __future__ import annotations

import io

from peelmetrics._extras import need

try:
    from matplotlib.figure import Figure
except ImportError:  # every chart function starts here: each names the extra alike
    need("matplotlib", "charts", "charts")
    raise


class Chart(Figure):
    """A :class:`matplotlib.figure.Figure` that displays itself in notebooks."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
        return buffer.getvalue()
