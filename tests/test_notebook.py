"""A notebook in docs/ runs headless and shows the panel, the edition and a chart (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed")
pytest.importorskip("ipykernel", reason="ipykernel is not installed")
pytest.importorskip("matplotlib")

NOTEBOOK = Path(__file__).parents[1] / "docs" / "examples" / "force-in-numbers.ipynb"


def test_the_notebook_shows_its_objects() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    outputs = [cell.outputs for cell in notebook.cells if cell.cell_type == "code"]
    edition, panel, metric, chart = (o[-1]["data"] for o in outputs)
    # Short reprs: one line, not the 45,000-character attrs repr.
    assert edition["text/plain"].startswith("Edition('peel2017', 'PEEL: Police effectiveness 2017'")
    assert len(edition["text/plain"]) < 200
    assert "<table>" in edition["text/html"]
    # The panel shows as the report's table, not 28 columns cut off.
    assert "<caption>Hertfordshire Constabulary: Force in numbers</caption>" in panel["text/html"]
    assert "<td>DVPOs granted per 100 domestic abuse-related offences</td>" in panel["text/html"]
    assert "<td>0.7</td>" in panel["text/html"]
    assert "0.7 ✓" in panel["text/plain"]
    assert metric["text/plain"].startswith("Metric(id='dvpo_rate'")
    assert "text/html" in metric
    # A chart draws in a fresh kernel with no pyplot import.
    assert len(chart["image/png"]) > 10_000
