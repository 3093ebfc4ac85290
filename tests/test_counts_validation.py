"""validate_counts gives one answer whatever form the columns come in, and is idempotent:
text read from a file, or columns already typed (whole-number months, datetimes), as the
bundled data and a second validation hand it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from peelmetrics import all_forces, edition
from peelmetrics.counts import validate_counts

_CODES = [f.code for f in all_forces()][:6]
_MEASURES = ["population", "recorded_crime", "dvpos_granted"]
_ROWS = st.lists(
    st.tuples(
        st.sampled_from(_CODES),
        # Windows end on the last day of a month (a Counts rule).
        st.dates(dt.date(2010, 1, 1), dt.date(2020, 12, 1)).map(
            lambda d: (pd.Timestamp(d) + pd.offsets.MonthEnd(0)).date()
        ),
        st.sampled_from([0, 1, 3, 12]),
        st.sampled_from(_MEASURES),
        st.integers(0, 10**7),
    ),
    max_size=25,
    unique_by=lambda r: (r[0], r[1], r[2], r[3]),
)


@settings(max_examples=60, deadline=None)
@given(_ROWS, st.integers(0, 23))
def test_text_and_typed_columns_validate_alike(rows: list[tuple], hour: int) -> None:
    text = pd.DataFrame({
        "force": [r[0] for r in rows],
        "period_end": [r[1].isoformat() for r in rows],
        "period_months": [str(r[2]) for r in rows],
        "measure": [r[3] for r in rows],
        "value": [str(r[4]) for r in rows],
        "source": "test",
    })  # fmt: skip
    typed = text.assign(
        # A datetime keeps its date whatever its time of day (as parse_dates says).
        period_end=pd.to_datetime(text["period_end"]) + pd.Timedelta(hours=hour),
        period_months=[r[2] for r in rows],
        value=[r[4] for r in rows],
    )
    ed = edition("peel2017")
    expected = validate_counts(text, edition=ed)
    pd.testing.assert_frame_equal(validate_counts(typed, edition=ed), expected)
    pd.testing.assert_frame_equal(validate_counts(expected, edition=ed), expected)
    assert expected["period_months"].tolist() == [r[2] for r in rows]
    assert expected["value"].tolist() == [float(r[4]) for r in rows]
