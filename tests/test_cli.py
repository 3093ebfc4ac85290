"""The command line: outputs, exit codes and messages."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from peelmetrics.cli import main


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_force_in_numbers_table() -> None:
    status, text = _run("force-in-numbers", "Hertfordshire")
    assert status == 0
    assert "Hertfordshire Constabulary: Force in numbers" in text
    assert "0.7 ✓" in text


def test_force_in_numbers_with_counts_file(tmp_path: Path) -> None:
    path = tmp_path / "herts.csv"
    path.write_text(
        "force,period_end,measure,value\nHertfordshire,2017-06-30,domestic_abuse_arrests,4452\n"
    )
    status, text = _run(
        "force-in-numbers",
        "Herts".replace("Herts", "Hertfordshire"),
        "--counts",
        str(path),
        "--format",
        "json",
    )
    assert status == 0
    rows = {r["metric"]: r for r in json.loads(text)}
    assert rows["domestic_abuse_arrest_rate"]["display"] == "46.1"


def test_compute_json_keys_and_determinism() -> None:
    status, text = _run("compute", "--metric", "recorded_crime_per_1000", "--format", "json")
    assert status == 0
    records = json.loads(text)
    national = [r for r in records if r["force"] == "K04000001"]
    # Every rolling year the bundled Home Office file holds, 2003 to 2018.
    assert {"2003-03-31", "2016-06-30", "2017-06-30", "2018-12-31"} <= {
        r["period_end"] for r in national
    }
    national = [r for r in national if r["period_end"] == "2017-06-30"]
    assert set(national[0]) == {
        "force", "force_name", "metric", "period_end", "period_months", "value", "display",
        "unit", "numerator", "denominator", "denominator_period", "denominator_months",
        "status", "caveats", "excluded", "missing_months", "source", "edition",
        # issue 21: the releases each side came from, and the sentence when not the report's
        "numerator_source", "denominator_source", "release_note",
    }  # fmt: skip
    assert national[0]["period_months"] == 12
    assert national[0]["denominator_period"] == "2016-06-30"  # ONS mid-2016 (Annex A)
    assert national[0]["denominator_months"] == 0
    assert "ONS mid-2016" in national[0]["source"]
    assert {"force": "BTP", "reason": "btp_out_of_scope"} in national[0]["excluded"]
    assert "excluded" not in records[0]
    assert _run("compute", "--metric", "recorded_crime_per_1000", "--format", "json")[1] == text


def test_compute_filters_force_and_csv() -> None:
    status, text = _run(
        "compute", "--metric", "dvpo_rate", "--force", "Hertfordshire", "--format", "csv"
    )
    assert status == 0
    lines = text.splitlines()
    assert lines[0].startswith("force,force_name,metric")
    assert len(lines) == 3  # Hertfordshire, then England and Wales beside it
    assert ",0.7," in lines[1]
    assert lines[2].startswith("K04000001,England and Wales,")


def test_metrics_data_judgments() -> None:
    status, text = _run("metrics", "--format", "json")
    assert status == 0
    assert len(json.loads(text)) == 22
    status, text = _run("data", "--format", "csv")
    assert status == 0
    assert text.splitlines()[0] == "force,period_end,period_months,measure,value,source"
    status, text = _run("judgments", "Hertfordshire", "--format", "json")
    assert {j["question"]: j["grade"] for j in json.loads(text)}[
        "Protecting vulnerable people"
    ] == ("Requires improvement")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["force-in-numbers", "Hertfordshir"], "did you mean 'Hertfordshire'"),
        (["compute", "--metric", "dvpo_rat"], "did you mean 'dvpo_rate'"),
        (["force-in-numbers", "Kent", "--counts", "/nonexistent/file.csv"], "no such file"),
    ],
)
def test_user_errors_exit_2_without_traceback(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = _run(*argv)
    err = capsys.readouterr().err
    assert status == 2
    assert message in err
    assert "Traceback" not in err


def test_invalid_counts_file_names_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("force,period_end,measure,value\nKent,2017-06-30,dvpos_granted,-1\n")
    status, _ = _run("compute", "--counts", str(path))
    assert status == 2
    assert f"{path}, row 2, column 'value'" in capsys.readouterr().err


def test_console_script_and_module() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "peelmetrics", "judgments", "Hertfordshire"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "Requires improvement" in out.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "peelmetrics", "judgments", "Nowhere"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("peelmetrics: error: unknown force 'Nowhere'")


# --- one door for published files ---------------------------------------------------------


def _street_file(folder: Path) -> Path:
    header = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
              "LSOA name,Crime type,Last outcome category,Context")  # fmt: skip
    rows = [f"id{i},2018-12,Kent Police,Kent Police,0,51,X,E01,A,Burglary,Under investigation,"
            for i in range(5)] + [",2018-12,Kent Police,Kent Police,0,51,X,E01,A,Anti-social "
                                  "behaviour,,"]  # fmt: skip
    path = folder / "2018-12" / "2018-12-kent-street.csv"
    path.parent.mkdir(parents=True)
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return folder


def test_read_recognises_formats_and_writes_counts(tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("force,period_end,measure,value\nKent,2017-06-30,dvpos_granted,12\n")
    out = tmp_path / "counts.csv"
    status, text = _run("read", str(mine), str(_street_file(tmp_path / "uk")), "--output", str(out))
    assert status == 0
    assert "wrote 3 counts" in text
    written = out.read_text().splitlines()
    assert written[0] == "force,period_end,period_months,measure,value,source"
    assert any(",police_uk_crimes,5," in line for line in written)
    assert any(",police_uk_asb_incidents,1," in line for line in written)


def test_read_refuses_an_unknown_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n")
    status, _ = _run("read", str(odd))
    assert status == 2
    err = capsys.readouterr().err
    assert "not a format peelmetrics reads (headers: a, b)" in err
    assert "known formats: counts" in err


def test_counts_accepts_any_supported_file(tmp_path: Path) -> None:
    status, text = _run(
        "compute", "--metric", "recorded_crime_per_1000", "--counts",
        str(_street_file(tmp_path / "uk")), "--format", "json",
    )  # fmt: skip
    assert status == 0
    assert json.loads(text)


def test_force_in_numbers_for_another_period() -> None:
    status, text = _run("force-in-numbers", "Kent", "--period", "2018-03-31", "--format", "json")
    assert status == 0
    rows = {r["metric"]: r for r in json.loads(text)}
    assert rows["charged_summonsed_share"]["period"] == "12 months to 31 March 2018"
    assert rows["charged_summonsed_share"]["display"] != "–"


# --- what a person expects of a command line ---------------------------------------------


def _console(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "peelmetrics", *argv],
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_version() -> None:
    from peelmetrics import __version__

    done = _console("--version")
    assert done.returncode == 0
    assert done.stdout.decode().strip() == f"peelmetrics {__version__}"


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    import os

    reader, writer = os.pipe()
    with subprocess.Popen(
        [sys.executable, "-m", "peelmetrics", "data"], stdout=writer, stderr=subprocess.PIPE
    ) as proc:
        os.close(writer)
        os.read(reader, 100)  # like `| head -c 100`
        os.close(reader)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert b"Traceback" not in err


def test_an_ascii_terminal_gets_plain_characters() -> None:
    done = _console("force-in-numbers", "Hertfordshire", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("ascii")
    assert "0.7 yes" in text  # the check mark, spelled out
    assert "  -  " in text  # the report's dash


def test_british_transport_police_panel() -> None:
    status, text = _run("force-in-numbers", "BTP")
    assert status == 0
    assert "British Transport Police: Force in numbers" in text


@pytest.mark.parametrize("name", ["Herts", "Met", "MPS", "GMP", "TVP"])
def test_abbreviations_resolve(name: str) -> None:
    status, _ = _run("judgments", name)
    assert status == 0


def test_compute_keeps_england_and_wales_beside_the_forces_asked_for() -> None:
    status, text = _run("compute", "--metric", "dvpo_rate,recorded_crime_per_1000",
                        "--force", "Kent", "--format", "json")  # fmt: skip
    assert status == 0
    records = json.loads(text)
    assert {r["force"] for r in records} == {"E23000032", "K04000001"}
    assert {r["metric"] for r in records} == {"dvpo_rate", "recorded_crime_per_1000"}


def test_output_files_and_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "panel.json"
    status, text = _run("--quiet", "force-in-numbers", "Kent", "--format", "json", "--output",
                        str(target))  # fmt: skip
    assert status == 0
    assert text == ""
    assert json.loads(target.read_text())[0]["force_name"] == "Kent Police"
    assert capsys.readouterr().err == ""  # --quiet: no "wrote ..." note


@pytest.mark.parametrize("target", ["/dev/full", "/etc/hostname/under-a-file.json", "x" * 300])
def test_unwritable_outputs_are_user_errors(
    target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = _run("compute", "--metric", "dvpo_rate", "--output", target)
    assert status == 2
    assert capsys.readouterr().err.startswith("peelmetrics: error: ")


def test_counts_from_standard_input() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "peelmetrics", "-q", "compute", "--counts", "-", "--metric",
         "dvpo_rate", "--force", "Kent", "--format", "json"],
        input=b"force,period_end,measure,value\nKent,2017-06-30,dvpos_granted,12\n"
        b"Kent,2017-06-30,domestic_abuse_offences,1200\n",
        capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    kent = [r for r in json.loads(done.stdout) if r["force"] == "E23000032"]
    assert kent[0]["display"] == "1.0"


def test_standard_input_is_read_as_a_file_is_and_named_so(tmp_path: Path) -> None:
    """Street files on standard input are counted as the same file given by name (the same
    windows and checks); a problem names <stdin>, not a temporary copy."""
    header = "Crime ID,Month,Reported by,Falls within,Crime type,Last outcome category\n"
    street = header + "".join(
        f"k{m},2024-{m:02d},Kent,Kent Police,Robbery,\n" for m in range(1, 13)
    )
    path = tmp_path / "2024-kent-street.csv"
    path.write_text(street)

    def read(*argv: str, given: str = "") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "peelmetrics", "read", *argv],
                              input=given.encode(), capture_output=True, check=False)  # fmt: skip

    by_name, by_stdin = read(str(path)), read("-", given=street)
    assert by_stdin.returncode == 0, by_stdin.stderr
    assert by_stdin.stdout.replace(b"stdin.csv", path.name.encode()) == by_name.stdout
    assert b"E23000032,2024-12-31,12,police_uk_crimes,12," in by_stdin.stdout
    assert b"counting records in <stdin>" in by_stdin.stderr
    bad = read("-", given="force,period_end,measure,value\nKentt,2017-06-30,dvpos_granted,1\n")
    assert bad.returncode == 2
    assert b"<stdin>, row 2, column 'force': unknown force 'Kentt'" in bad.stderr
    assert b"peelmetrics-" not in bad.stderr


@pytest.mark.parametrize(
    ("suffix", "writer"), [(".xlsx", "openpyxl"), (".ods", "odf"), (".zip", "")]
)
def test_a_workbook_or_archive_on_standard_input_is_read_by_its_bytes(
    tmp_path: Path, suffix: str, writer: str
) -> None:
    """A pipe has no name to say a spreadsheet or an archive is one: the copy is named by
    its bytes, and read as the same file given by name (it was "rename it to end in
    .xlsx", which a pipe cannot)."""
    import zipfile

    if writer:
        pytest.importorskip(writer)
    pytest.importorskip("python_calamine")
    table = pd.DataFrame({
        "12 months ending": ["30-06-2017", "30-06-2017"], "PFA": ["Kent", "Kent"],
        "Region": ["South East"] * 2, "Offence": ["Robbery", "Drugs"],
        "Rolling year total number of offences": [10, 5],
    })  # fmt: skip
    path = tmp_path / f"rec-crime-pfa{suffix}"
    if suffix == ".zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("rec-crime-pfa.csv", table.to_csv(index=False))
    else:
        table.to_excel(path, index=False, engine=writer)

    def read(*argv: str, given: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "peelmetrics", "-q", "read", *argv],
                              input=given, capture_output=True, check=False)  # fmt: skip

    by_name, by_stdin = read(str(path)), read("-", given=path.read_bytes())
    assert by_stdin.returncode == 0, by_stdin.stderr
    assert b"E23000032,2017-06-30,12,recorded_crime,15," in by_stdin.stdout
    assert by_stdin.stdout.replace(b"stdin", b"rec-crime-pfa") == by_name.stdout


@pytest.mark.parametrize(
    "argv",
    [("force-in-numbers", "Hertfordshire"), ("force-in-numbers", "Kent", "--period",
     "2018-03-31"), ("forces",), ("metrics",), ("judgments", "Herts")],
)  # fmt: skip
def test_tables_fit_100_columns(argv: tuple[str, ...]) -> None:
    status, text = _run(*argv)
    assert status == 0
    assert max(len(line) for line in text.splitlines()) <= 100


def test_judgments_say_what_is_inferred_and_what_is_unknown() -> None:
    # The overall grade was a graphic the text extraction lost: Good is inferred.
    status, text = _run("judgments", "Hertfordshire")
    assert status == 0
    assert "Good [1] inferred" in text
    assert "[1] The overall grade was a graphic" in text
    # 2016: the report states only the grades still in force in 2017.
    status, text = _run("judgments", "Hertfordshire", "--year", "2016")
    lines = {line.split("  ")[0]: line for line in text.splitlines()}
    assert "unknown" in lines["Protecting vulnerable people"]
    assert "Good" in lines["Tackling serious and organised crime"]
    status, text = _run("judgments", "Hertfordshire", "--year", "2016", "--format", "json")
    rows = {r["question"]: r for r in json.loads(text)}
    assert rows["Protecting vulnerable people"]["grade"] is None
    assert "not stated" in rows["Protecting vulnerable people"]["note"]


def test_a_broken_pipe_in_json_output_is_quiet() -> None:
    import os

    reader, writer = os.pipe()
    with subprocess.Popen(
        [sys.executable, "-m", "peelmetrics", "data", "--format", "json"],
        stdout=writer, stderr=subprocess.PIPE,
    ) as proc:  # fmt: skip
        os.close(writer)
        os.read(reader, 10)
        os.close(reader)
        _, err = proc.communicate(timeout=60)
    assert b"error" not in err
