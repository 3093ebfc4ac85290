"""The self-contained HTML page (issue 16): contents, escaping, no scripts or requests."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

from peelmetrics import datasets
from peelmetrics.cli import main
from peelmetrics.page import report_html
from peelmetrics.panel import force_in_numbers


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the page's visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.rows: list[list[str]] = []  # table rows, one string per cell
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in {"td", "th"}:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def herts() -> str:
    return report_html("Hertfordshire")


def test_every_panel_row_is_on_the_page(herts: str) -> None:
    text = " ".join(" ".join(_parse(herts).text).split())
    panel = force_in_numbers("Hertfordshire")
    for row in panel.itertuples():
        assert row.title in text
        assert row.period in text
    rows = {r[0]: r for r in _parse(herts).rows if r}
    # Figure 2 / Force in numbers: 68 DVPOs / 9,658 offences = 0.7, as published; England and
    # Wales has no supplied count, so a dash, never a copy of the force's figure.
    assert rows["DVPOs granted per 100 domestic abuse-related offences"][1:5] == [
        "12 months to 30 June 2017",
        "0.7",
        "–",
        "0.7 (agrees)",
    ]
    crime = rows["Crimes (excluding fraud) recorded per 1,000 population"]
    assert crime[1:4] == ["12 months to 30 June 2017", "66", "76"]
    assert rows["Change in ASB incidents"][2] == "+24%"
    calls = rows["Calls for assistance: incidents per 1,000 population"]
    assert calls[2] == "–"
    assert "Not supplied." in calls[-1]  # the notes cell, after "Latest in the data"
    # The dash's note names what would fill it, by title (issue 24), numbered once.
    assert "No count was supplied for this period; it needs: Calls for assistance." in text
    assert "nan" not in text.lower().split()


def test_the_page_leads_with_a_summary_and_holds_no_ids(herts: str) -> None:
    """issue 24: a summary first; the latest data beside the report's period; titles, never
    caveat or measure ids; each source once."""
    import re

    import peelmetrics as pm

    text = " ".join(" ".join(_parse(herts).text).split())
    assert text.index("In short") < text.index("The figures")
    assert ("Crimes (excluding fraud) recorded per 1,000 population: 66 against 76 for "
            "England and Wales.") in text  # fmt: skip
    assert "73 (E&W 87) 12 months to 31 December 2018" in text
    ed = pm.edition()
    ids = [c.id for c in ed.caveats] + [m.id for m in ed.measures if "_" in m.id]
    found = [i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)]
    assert not found, found
    sources = herts[herts.index('id="sources-heading"') :]
    assert sources.count("rec-crime-pfa.csv (") == 1
    assert "scripts/report_counts.csv" not in sources


def test_judgments_and_caveats_are_in_words(herts: str) -> None:
    text = " ".join(" ".join(_parse(herts).text).split())
    assert "Protecting vulnerable people Requires improvement 2017" in text
    assert "Inferred:" in text  # the overall grade was a lost graphic
    assert "mid-2016 population estimates" in text  # Annex A, Population
    assert "Open Government Licence v3.0" in text


def test_no_scripts_and_nothing_fetched(herts: str) -> None:
    tags = _parse(herts).tags
    assert not [t for t, _ in tags if t in {"script", "iframe", "object", "embed", "link"}]
    for _, attrs in tags:
        for name in ("src", "href", "xlink:href"):
            value = attrs.get(name) or ""
            assert not value.startswith(("http:", "https:", "//")), (name, value)
        assert not [k for k in attrs if k.startswith("on")]  # no inline event handlers
    assert "@import" not in herts
    assert "url(http" not in herts


def test_charts_carry_a_text_alternative(herts: str) -> None:
    tags = _parse(herts).tags
    images = [a for t, a in tags if a.get("role") == "img"]
    assert len(images) == herts.count("<svg") >= 2
    crime = next(a["aria-label"] for a in images
                 if "Crimes (excluding fraud)" in (a["aria-label"] or ""))  # fmt: skip
    assert crime is not None
    assert "Hertfordshire 66, England and Wales 76" in crime
    assert "42 forces shown" in crime  # City of London's resident-only rate is not drawn
    assert [t for t, _ in tags if t == "html"] == ["html"]
    assert ("html", {"lang": "en-GB"}) in tags


def test_the_page_is_the_same_every_time(herts: str) -> None:
    assert report_html("Hertfordshire") == herts  # diffable and cacheable


def test_text_from_a_counts_file_is_shown_never_run(tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    counts = datasets.counts().copy()
    herts = counts.force == "E23000027"
    counts.loc[herts & (counts.measure == "dvpos_granted"), "source"] = hostile
    page = report_html("Hertfordshire", counts)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert not [a for _, a in _parse(page).tags if "onerror" in a]
    assert hostile in " ".join(_parse(page).text)  # the text itself is kept, as text


def test_the_command_writes_a_file(tmp_path: Path) -> None:
    output = tmp_path / "herts.html"
    notes = io.StringIO()
    status = main(["report", "Herts", "--ci", "--output", str(output)], out=notes)
    assert status == 0
    page = output.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Against England and Wales:" in page  # the --ci comparison is carried into notes
    assert main(["report", "Nowhere"], out=io.StringIO()) == 2


def test_an_earlier_period_and_a_force_without_its_own_figures() -> None:
    page = report_html("City of London", period="2016-03-31")
    text = " ".join(" ".join(_parse(page).text).split())
    assert "12 months to 31 March 2016" in text
    assert "City of London Police" in text
    # Its population rates are dashed with the reason, as the report does (Annex A).
    assert "resident" in text.lower()
