"""Every command is one Python call: the library gives what the command prints, and the
calls refuse wrong input with typed errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

import peelmetrics as pm
from peelmetrics import listings, report
from peelmetrics.cli import main
from peelmetrics.errors import InvalidValueError
from peelmetrics.periods import parse_month_range, parse_window_lengths
from peelmetrics.sources import compare_files, read_combined, read_counts_csv, write_counts


def _printed(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


@pytest.mark.parametrize(
    ("argv", "call"),
    [
        (["metrics", "--measures"], lambda: listings.metrics_listing(measures=True)),
        (["metrics", "--format", "json"], lambda: listings.metrics_listing(form="json")),
        (["caveats", "--metric", "ocgs_per_million", "--force", "City of London"],
         lambda: listings.caveats_listing(metric="ocgs_per_million", force="City of London")),
        (["editions"], listings.editions_listing),
        (["forces", "--format", "json"], lambda: listings.forces_listing("json")),
        (["judgments", "Herts", "--year", "2019"],
         lambda: listings.judgments_listing("Herts", year=2019)),
        (["data", "--format", "json"],
         lambda: report.render(pm.datasets.counts(), "json", kind="counts")),
        (["force-in-numbers", "Kent", "--format", "csv"],
         lambda: report.render(pm.force_in_numbers("Kent"), "csv", kind="panel")),
        # The panel's metrics over time; trend_table leaves out the changes among them.
        (["trend", "Herts", "--format", "csv"],
         lambda: report.render(pm.trends.trend_table(
             pm.compute(pm.datasets.counts(), pm.edition().panel), "Herts"), "csv", kind="trend")),
    ],
)  # fmt: skip
def test_the_command_prints_what_the_call_returns(argv: list[str], call) -> None:  # type: ignore[no-untyped-def]
    assert _printed(*argv) == call()


def test_judgments_listing_years() -> None:
    assert "in force in 2017" in listings.judgments_listing("Herts")
    later = listings.judgments_listing("Herts", period="2019-03")
    assert "in force in 2019" in later
    assert "carried forward" in later
    rows = json.loads(listings.judgments_listing("Herts", form="json"))
    assert rows[0]["question"] == "Overall effectiveness"
    assert rows[0]["grade"] == "Good"


def test_listing_refuses_an_unknown_form() -> None:
    with pytest.raises(InvalidValueError, match="form: one of 'table', 'json', not 'yaml'"):
        listings.listing([], "id", [], "yaml")  # type: ignore[arg-type]


def test_render_names_the_forms_it_has() -> None:
    said = "form for counts: one of 'csv', 'json', not 'table'"
    with pytest.raises(InvalidValueError, match=said):
        report.render(pm.datasets.counts(), "table", kind="counts")
    with pytest.raises(InvalidValueError, match="kind: one of 'panel', 'results', 'trend'"):
        report.render(pm.datasets.counts(), "csv", kind="numbers")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2016-07:2017-06", ("2016-07", "2017-06")), (" 2017-01 : 2017-01 ", ("2017-01", "2017-01")),
     (("2016-07", "2017-06"), ("2016-07", "2017-06"))],
)  # fmt: skip
def test_month_ranges(text: str, expected: tuple[str, str]) -> None:
    assert parse_month_range(text) == expected


@pytest.mark.parametrize(
    "text", ["2017-13:2018-01", "2017-06", "2017-06:2017-01", "", ("2017-01",), 201706, None]
)
def test_month_ranges_refused(text: object) -> None:
    with pytest.raises(InvalidValueError, match="month"):
        parse_month_range(text)  # type: ignore[arg-type]


def test_window_lengths() -> None:
    assert parse_window_lengths("1,12") == (1, 12)
    assert parse_window_lengths([3]) == (3,)
    for bad in ("", "0", "2", "a,b", "12,24", None):
        with pytest.raises(InvalidValueError, match="window lengths are among"):
            parse_window_lengths(bad)  # type: ignore[arg-type]


def test_write_counts_round_trips_csv_and_parquet(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    counts = pm.make_counts([("Kent", "2017-06-30", 12, "dvpos_granted", 12, "=cmd()")])
    write_counts(counts, tmp_path / "c.csv")
    back, _report = read_counts_csv(tmp_path / "c.csv")
    assert back[["force", "value", "source"]].values.tolist() == [["E23000032", 12.0, "=cmd()"]]
    write_counts(counts, tmp_path / "c.PARQUET")
    both, _replaced = read_combined([tmp_path / "c.csv", tmp_path / "c.PARQUET"])
    assert both.value.tolist() == [12.0]


def test_compare_files_lists_what_changed(tmp_path: Path) -> None:
    rows = "force,period_end,measure,value\nKent,2017-06-30,dvpos_granted,{}\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "c.csv", tmp_path / "b" / "c.csv"
    first.write_text(rows.format(12) + "Herts,2017-06-30,dvpos_granted,68\n")
    second.write_text(rows.format(15) + "Herts,2017-06-30,dvpos_granted,68\n")
    changed = compare_files(first, second)
    # The same file name twice: the columns are named by the paths.
    assert changed[[str(first), str(second), "difference"]].values.tolist() == [[12.0, 15.0, 3.0]]
    assert len(compare_files(first, second, changed_only=False)) == 2
    assert _printed("compare", str(first), str(second)) == report.counts_to_csv(changed)


def test_metric_chart_kinds() -> None:
    pytest.importorskip("matplotlib")
    from peelmetrics.charts import metric_chart

    bars = metric_chart(None, "recorded_crime_per_1000", highlight="Herts")
    dots = metric_chart(None, "recorded_crime_per_1000", kind="dots", highlight="Herts")
    assert bars.get_size_inches()[1] > dots.get_size_inches()[1]  # dots: a fixed, low height
    funnel = metric_chart(pd.concat([pm.datasets.counts()]), "recorded_crime_per_1000",
                          kind="funnel", period="2018-03")  # fmt: skip
    assert funnel.axes[0].get_title(loc="left").endswith("12 months to 31 March 2018")
    with pytest.raises(InvalidValueError, match="kind: one of 'bars', 'funnel', 'dots', not 'pie'"):
        metric_chart(None, "recorded_crime_per_1000", kind="pie")  # type: ignore[arg-type]


def test_counts_json_is_strict_json_with_text_as_written() -> None:
    """A missing cell is null (json.dumps alone writes NaN, which strict parsers refuse)
    and text keeps its letters, as the other JSON outputs do."""
    counts = pm.datasets.counts().head(2).assign(source=["Café ø", None])
    text = report.render(counts, "json", kind="counts")

    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    rows = json.loads(text, parse_constant=refuse)
    assert [r["source"] for r in rows] == ["Café ø", None]
    assert "Café ø" in text
    assert rows[0]["period_end"] == counts["period_end"].iloc[0].strftime("%Y-%m-%d")
