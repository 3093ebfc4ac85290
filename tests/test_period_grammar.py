"""One period grammar for the API and every command (issue 23)."""

from __future__ import annotations

import calendar
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import peelmetrics as pm
from peelmetrics.cli import main
from peelmetrics.compute import chosen_period, periods_held
from peelmetrics.errors import InvalidValueError, PeriodNotCoveredError
from peelmetrics.periods import PERIOD_FORMS, Period, parse_date, parse_period


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


SAME_MONTH = [
    "2018-03-31",
    "2018-03",
    "March 2018",
    "Mar 2018",
    "mar 2018",
    "31/03/2018",
    "31 March 2018",
    "2017/18",
    "2017/2018",
]


@pytest.mark.parametrize("text", SAME_MONTH)
def test_every_form_names_31_march_2018(text: str) -> None:
    assert parse_date(text) == date(2018, 3, 31)
    choice = parse_period(text)
    metric = pm.edition().metric("recorded_crime_per_1000")
    assert choice.for_metric(metric) == Period(date(2018, 3, 31), 12)


@given(st.integers(1900, 2150), st.integers(1, 12))
def test_month_forms_agree(year: int, month: int) -> None:
    last = date(year, month, calendar.monthrange(year, month)[1])
    forms = [
        last.isoformat(),
        f"{year}-{month:02d}",
        f"{calendar.month_name[month]} {year}",
        f"{calendar.month_abbr[month]} {year}",
        f"{last.day:02d}/{month:02d}/{year}",
        f"{last.day} {calendar.month_name[month]} {year}",
    ]
    assert {parse_date(f) for f in forms} == {last}


@pytest.mark.parametrize(
    "text",
    [
        "2017-06-30xyz",
        "2018-01-99",
        "2018-02-30",
        "2017/19",
        "",
        "next year",
        "13/13/2018",
        "Smarch 2018",
    ],
)
def test_an_error_quotes_the_input_and_lists_the_forms(text: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        parse_period(text)
    message = str(caught.value)
    assert repr(text) in message
    assert all(form.split(" (")[0] in message for form in PERIOD_FORMS)


def test_a_long_input_is_cut_short_in_the_message() -> None:
    with pytest.raises(InvalidValueError) as caught:
        parse_period("x" * 100_000)
    assert "(100000 characters)" in str(caught.value)
    assert len(str(caught.value)) < 600


def test_latest_and_report() -> None:
    counts = pm.datasets.counts()
    crime = pm.edition().metric("recorded_crime_per_1000")
    # rec-crime-pfa.csv holds rolling years to 31 December 2018.
    assert chosen_period(crime, "latest", counts) == Period(date(2018, 12, 31), 12)
    assert chosen_period(crime, "report", counts) == Period(date(2017, 6, 30), 12)
    assert chosen_period(crime, None, counts) == crime.period
    # A change is held only where its base year is held too.
    change = pm.edition().metric("recorded_crime_change")
    held = periods_held(counts, change)
    assert all(change.base_for(p) in periods_held(counts, crime) for p in held)


def test_a_period_the_data_do_not_reach_names_the_latest() -> None:
    crime = pm.edition().metric("recorded_crime_per_1000")
    with pytest.raises(PeriodNotCoveredError, match="31 December 2018"):
        chosen_period(crime, "2025-03", pm.datasets.counts())
    with pytest.raises(PeriodNotCoveredError, match="latest they cover is the 12 months to"):
        pm.force_in_numbers("Kent", period="2025-03-31")
    status, _ = _run("compute", "--metric", "dvpo_rate", "--period", "2025-03")
    assert status == 2


def test_panel_row_beyond_the_data_says_where_they_end() -> None:
    panel = pm.force_in_numbers("Kent", period="2018-03").set_index("metric")
    # The bundle holds DVPOs for the report's year only (June 2017, Hertfordshire's).
    assert panel.loc["dvpo_rate", "reason"] == (
        "The latest data are for the 12 months to 30 June 2017."
    )
    assert panel.loc["ocgs_per_million", "reason"].startswith("The latest data are as at 1 July")


def test_python_forms_give_one_panel() -> None:
    panels = [
        pm.force_in_numbers("Kent", period=p)
        for p in ("2018-03", "March 2018", "2018-03-31", date(2018, 3, 31))
    ]
    for panel in panels[1:]:
        assert panel.equals(panels[0])
    row = panels[0].set_index("metric").loc["recorded_crime_per_1000"]
    assert row.period == "12 months to 31 March 2018"


@pytest.mark.parametrize(
    "command",
    [
        ["force-in-numbers", "Hertfordshire", "--format", "csv"],
        ["compute", "--metric", "recorded_crime_per_1000", "--force", "Herts"],
        ["judgments", "Hertfordshire"],
        ["report", "Hertfordshire"],
    ],
)
def test_every_command_gives_identical_output_for_each_form(command: list[str]) -> None:
    if command[0] == "report":
        pytest.importorskip("jinja2")
        pytest.importorskip("matplotlib")
    outputs = {
        form: _run(*command, "--period", form) for form in ("2018-03", "March 2018", "2018-03-31")
    }
    assert {status for status, _ in outputs.values()} == {0}
    assert len({text for _, text in outputs.values()}) == 1


def test_compute_period_filter_keeps_one_window() -> None:
    status, text = _run(
        "compute", "--metric", "recorded_crime_per_1000", "--period", "2017/18", "--format", "csv"
    )
    assert status == 0
    lines = text.splitlines()
    assert len(lines) == 1 + 45  # 43 forces, British Transport Police, England and Wales
    assert all(",2018-03-31," in line for line in lines[1:])


def test_chart_period_draws_that_window(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from peelmetrics import charts

    results = pm.compute(pm.datasets.counts(), ["recorded_crime_per_1000"])
    period = chosen_period(
        results_metric := pm.edition().metric("recorded_crime_per_1000"),
        "March 2018",
        pm.datasets.counts(),
    )
    figure = charts.funnel(results, results_metric.id, "Hertfordshire", period=period)
    assert "12 months to 31 March 2018" in figure.axes[0].get_title(loc="left")
    files = []
    for form in ("2018-03", "March 2018", "2018-03-31"):
        out = tmp_path / f"{len(files)}.svg"
        status, _ = _run(
            "chart",
            "recorded_crime_per_1000",
            "--funnel",
            "--highlight",
            "Hertfordshire",
            "--period",
            form,
            "--output",
            str(out),
        )
        assert status == 0
        files.append(out.read_bytes())
    assert len(set(files)) == 1
    assert b"31 March 2018" in files[0]


def test_judgments_period_and_later_years() -> None:
    status, text = _run("judgments", "Hertfordshire", "--period", "2018-03")
    assert status == 0
    assert "judgments in force in 2018" in text
    assert "carried forward" in text
    status, text = _run("judgments", "Hertfordshire", "--period", "latest")
    assert "judgments in force in 2017" in text
    assert "carried forward" not in text


def test_edition_after_the_command_name() -> None:
    before = _run("--edition", "peel2017", "compute", "--metric", "dvpo_rate")
    after = _run("compute", "--edition", "peel2017", "--metric", "dvpo_rate")
    assert before == after
    assert before[0] == 0
    status, _ = _run("compute", "--edition", "no-such-edition", "--metric", "dvpo_rate")
    assert status == 2


def test_bad_period_on_the_command_line_lists_the_forms(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        _run("force-in-numbers", "Kent", "--period", "soon")
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "'soon' is not a period; accepted forms: 2018-03-31; 2018-03; March 2018" in err
