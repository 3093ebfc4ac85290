"""The ``peelmetrics`` command line.

User mistakes (unknown force or metric, an unreadable or invalid counts file) print one
clear message and exit with status 2; a genuine bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from peelmetrics._display import fit_encoding
from peelmetrics.errors import InvalidValueError, PeelMetricsError
from peelmetrics.sources.formats import FORMATS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from peelmetrics.catalogue import Edition

__all__ = ["main", "run"]

# The machine's answers to a user's paths and streams (no such file, a folder, no room on
# the device, a name too long) are user errors too: said in one line, exit 2.
_USER_ERRORS = (PeelMetricsError, OSError)


def _metrics(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics.listings import metrics_listing

    out.write(metrics_listing(_edition(args), measures=args.measures, form=args.format))


def _caveats(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics.listings import caveats_listing

    out.write(caveats_listing(_edition(args), metric=args.metric, force=args.force,
                              form=args.format))  # fmt: skip


def _editions(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics.listings import editions_listing

    out.write(editions_listing())


def _forces(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics.listings import forces_listing

    out.write(forces_listing(args.format))


def _judgments(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics.listings import judgments_listing

    out.write(judgments_listing(args.force, _edition(args), year=args.year, period=args.period,
                                form=args.format))  # fmt: skip


def _load_counts(args: argparse.Namespace) -> pd.DataFrame:
    """The edition's bundled Counts (if any) with each ``--counts`` file laid over them."""
    from peelmetrics.sources.combined import read_combined

    return read_combined(args.counts, edition=_edition(args), bundled=True,
                         note=_say(_notes(args)))[0]  # fmt: skip


def _counts(args: argparse.Namespace) -> pd.DataFrame | None:
    """``--counts`` laid over the bundled data, or ``None`` (the library's default: the
    bundled data) when none is given."""
    return _load_counts(args) if args.counts else None


def _say(err: TextIO) -> Callable[[str], None]:
    return lambda text: print(f"peelmetrics: {text}", file=err)


def _read(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics import report
    from peelmetrics.sources.combined import read_combined, write_counts

    # Progress only where a person watches: a terminal, not a log or a pipe.
    watching = not getattr(args, "quiet", False) and sys.stderr.isatty()
    counts, _said = read_combined(
        args.files, edition=_edition(args), format=args.format, records=args.records,
        spec=args.spec, windows=args.windows, months=args.months,
        check_ids=not args.no_id_check, progress=sys.stderr if watching else None,
        note=_say(_notes(args)),
    )  # fmt: skip
    if args.output in (None, "-"):
        out.write(report.counts_to_csv(counts))
        return
    write_counts(counts, args.output)
    out.write(f"wrote {len(counts)} counts to {args.output}\n")


def _argument(name: str) -> Callable[[str], Any]:
    """An argparse type from the parser ``name`` in :mod:`peelmetrics.periods` (imported
    when an option is given): its typed error becomes argparse's usage error."""

    def convert(text: str) -> Any:
        from peelmetrics import periods

        try:
            return getattr(periods, name)(text)
        except PeelMetricsError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def _ids(values: Sequence[str]) -> list[str]:
    """``--metric a,b --metric c`` -> ["a", "b", "c"]."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _edition(args: argparse.Namespace) -> Edition:
    """The edition named by ``--edition`` (the catalogue's default when not given)."""
    from peelmetrics.catalogue import get

    return get(getattr(args, "edition", None))


def _peers(args: argparse.Namespace) -> dict[str, tuple[str, ...]] | None:
    from peelmetrics.peers import read_peers

    return read_peers(args.peers) if getattr(args, "peers", None) else None


def _notes(args: argparse.Namespace) -> TextIO:
    """Where notes go: standard error, or nowhere with ``--quiet`` (errors still show)."""
    return io.StringIO() if getattr(args, "quiet", False) else sys.stderr


def _emit(text: str, args: argparse.Namespace, out: TextIO) -> None:
    """Write to ``--output`` (created or replaced) or to standard output."""
    output = getattr(args, "output", None)
    if output in (None, "-"):
        out.write(text)
        return
    Path(str(output)).write_text(text, encoding="utf-8")
    print(f"peelmetrics: wrote {output}", file=_notes(args))


def _force_in_numbers(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics.panel import force_in_numbers
    from peelmetrics.report import render

    panel = force_in_numbers(
        args.force, _counts(args), _edition(args), period=args.period, show_partial=args.partial,
        ci=args.ci, peers=_peers(args), trend=args.trend,
        peer_method="mean_of_rates" if args.peer_mean else "ratio_of_sums",
    )  # fmt: skip
    _emit(render(panel, args.format, kind="panel"), args, out)


def _report(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics.page import report_html

    page = report_html(args.force, _counts(args), _edition(args), period=args.period, ci=args.ci)
    _emit(page, args, out)


def _compute(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics.compute import compute
    from peelmetrics.report import render

    shown = compute(_load_counts(args), _ids(args.metric) or None,
                    _edition(args), show_partial=args.partial, ci=args.ci, trend=args.trend,
                    period=args.period, forces=_ids(args.force) or None)  # fmt: skip
    _emit(render(shown, args.format), args, out)


def _compare(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics.report import counts_to_csv
    from peelmetrics.sources.combined import compare_files

    table = compare_files(args.left, args.right, edition=_edition(args),
                          changed_only=not args.all, note=_say(_notes(args)))  # fmt: skip
    _emit(counts_to_csv(table), args, out)


def _data(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics import datasets
    from peelmetrics.report import render

    out.write(render(datasets.counts(_edition(args)), args.format, kind="counts"))


def _chart(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics import charts

    kind: Literal["bars", "funnel", "dots"] = (
        "funnel" if args.funnel else "dots" if args.dots else "bars"
    )
    figure = charts.metric_chart(
        _load_counts(args), args.metric, kind=kind,
        highlight=args.highlight, previous=args.previous, stack=args.stack,
        overdispersion=args.overdispersion, period=args.period, show_partial=args.partial,
        edition=_edition(args),
    )  # fmt: skip
    charts.save_figure(figure, args.output)
    out.write(f"wrote {args.output}\n")


def _trend(args: argparse.Namespace, out: TextIO) -> None:
    from peelmetrics import charts
    from peelmetrics.compute import compute
    from peelmetrics.report import render
    from peelmetrics.trends import trend_table

    edition = _edition(args)
    # The panel's metrics by default; trend_table leaves out the changes among them.
    metrics = _ids(args.metric) or None
    results = compute(_load_counts(args), metrics or edition.panel, edition, ci=args.ci)
    output = str(args.output or "")
    if Path(output).suffix.lower() in charts.SAVED_AS:
        if metrics is None or len(metrics) != 1:
            raise InvalidValueError("a trend chart draws one metric: give --metric ID")
        figure = charts.trend(results, args.force, metrics[0], peers=_peers(args), edition=edition)
        charts.save_figure(figure, output)
        out.write(f"wrote {output}\n")
        return
    table = trend_table(results, args.force, metrics, edition, peers=_peers(args),
                        windows=args.windows, level=args.ci or 0.95)  # fmt: skip
    _emit(render(table, args.format, kind="trend"), args, out)


_TREND: dict[str, Any] = {
    "nargs": "?",
    "const": 5,
    "type": int,  # trends.add_trends checks the range, for the API and here alike
    "metavar": "N",
    "help": "add whether each figure is rising, falling or not changing significantly over "
    "the last N yearly windows (default 5; Poisson regression for rates, chi-squared test "
    "for trend for shares)",
}
_CI: dict[str, Any] = {
    "nargs": "?",
    "const": 0.95,
    "type": float,
    "metavar": "LEVEL",
    "help": "add confidence intervals and the comparison with England and Wales (default "
    "level 0.95; 0.998 also usual)",
}
_PARTIAL_HELP = (
    "print values on a base the report does not use (City of London's resident-only "
    "rates) instead of a dash"
)


_PERIOD: dict[str, Any] = {
    "type": _argument("parse_period"),
    "metavar": "PERIOD",
    "help": "the period to show: 2018-03-31, 2018-03, 'March 2018', 31/03/2018, 2017/18 (a "
    "financial year), latest (the latest the data cover, per metric) or report (the "
    "report's own periods)",
}


_READ_DESCRIPTION = (
    "Read published files into Counts. Each file's format is recognised from its content: "
    + "; ".join(f"{k}: {v}" for k, v in FORMATS.items())
    + ". ONS population: the mid-year estimates workbook and its district lookup, together."
)
#: Every option the commands take, declared once: name -> (flags, argparse keywords).
_COUNTS_HELP = (
    "any file `peelmetrics read` accepts (a Counts CSV, a Home Office or ONS table, "
    "data.police.uk street files; - for standard input), laid over the bundled data; "
    "repeatable"
)
_ANY_FORCE = "any spelling: Hertfordshire, Herts, E23000027"
_OPTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "force": (("force",), {"metavar": "FORCE", "help": _ANY_FORCE}),
    "metric": (("metric",), {"metavar": "METRIC"}),
    "files": (("files",), {"nargs": "*", "metavar": "FILE", "help": "files, folders or archives"}),
    "left": (("left",), {"metavar": "FIRST"}),
    "right": (("right",), {"metavar": "SECOND"}),
    "counts": (("--counts",), {"action": "append", "default": [], "metavar": "FILE",
                               "help": _COUNTS_HELP}),
    "format3": (("--format",), {"choices": ("table", "json", "csv"), "default": "table"}),
    "format2": (("--format",), {"choices": ("table", "json"), "default": "table"}),
    "data_format": (("--format",), {"choices": ("csv", "json"), "default": "csv"}),
    "output": (("--output",), {"metavar": "FILE",
                               "help": "write here instead of standard output"}),
    "partial": (("--partial",), {"action": "store_true", "help": _PARTIAL_HELP}),
    "ci": (("--ci",), _CI),
    "trend": (("--trend",), _TREND),
    "period": (("--period",), _PERIOD),
    "peers": (("--peers",), {"metavar": "FILE", "help": "a force,peer CSV of peer groups: "
                             "show the peers' figure beside the force's"}),
    "peer_mean": (("--peer-mean",), {"action": "store_true", "help": "peers' figure as the "
                                     "mean of their rates (default: ratio of sums)"}),
    "metrics": (("--metric",), {"action": "append", "default": [], "metavar": "ID",
                                "help": "metric ids (a,b or repeat)"}),
    "forces": (("--force",), {"action": "append", "default": [], "metavar": "FORCE",
                              "help": "forces to show (a,b or repeat); England and Wales is "
                              "always kept"}),
    "highlight": (("--highlight",), {"metavar": "FORCE"}),
    "previous": (("--previous",), {"action": "store_true", "help": "mark last year's values"}),
    "stack": (("--stack",), {"action": "store_true", "help": "stack the metric's components"}),
    "funnel": (("--funnel",), {"action": "store_true", "help": "a funnel plot: values against "
                               "denominators, with 95%% and 99.8%% limits"}),
    "dots": (("--dots",), {"action": "store_true", "help": "a compact dot plot (one row of "
                           "forces, as on the page) instead of bars"}),
    "overdispersion": (("--overdispersion",), {"action": "store_true", "help": "widen funnel "
                                               "limits for over-dispersion (multiplicative)"}),
    "chart_output": (("--output",), {"required": True, "metavar": "FILE",
                                     "help": "ends in .png, .svg or .pdf"}),
    "records": (("--records",), {"action": "append", "default": [], "metavar": "PATH",
                                 "help": "record-level CSV or Parquet files (a file, folder, "
                                 "glob or zip archive) to count by --spec"}),
    "spec": (("--spec",), {"default": "police-uk", "metavar": "NAME|FILE", "help": "how records "
                           "map to measures: police-uk (default) or a JSON spec file"}),
    "no_id_check": (("--no-id-check",), {"action": "store_true", "help": "skip the duplicate "
                                         "record id check (most of the time of a national "
                                         "read)"}),
    "months": (("--months",), {"type": _argument("parse_month_range"), "metavar": "FIRST:LAST",
                               "help": "count only records of these months (YYYY-MM:YYYY-MM); "
                               "the rest are reported as outside the months asked for"}),
    "record_windows": (("--windows",), {"type": _argument("parse_window_lengths"),
                                        "metavar": "N,N", "help": "window lengths in months to "
                                        "count records over (default 1,12: the months and the "
                                        "rolling years compute uses; a window missing months "
                                        "is partial, months named)"}),
    "read_format": (("--format",), {"choices": sorted(FORMATS), "help": "skip recognition"}),
    "read_output": (("--output",), {"metavar": "FILE", "help": "the Counts to write: CSV, or "
                                    "Parquet when the name ends in .parquet (default: CSV to "
                                    "stdout)"}),
    "all": (("--all",), {"action": "store_true", "help": "also list the counts that agree"}),
    "trend_metrics": (("--metric",), {"action": "append", "default": [], "metavar": "ID",
                                      "help": "metric ids (a,b or repeat; default: the "
                                      "panel's); one for a chart"}),
    "trend_peers": (("--peers",), {"metavar": "FILE",
                                   "help": "a force,peer CSV: add the peers' figure"}),
    "trend_windows": (("--windows",), {"type": int, "default": 5, "metavar": "N",
                                       "help": "yearly windows a trend is assessed over "
                                       "(default 5, at least 3)"}),
    "trend_output": (("--output",), {"metavar": "FILE", "help": "a chart when it ends in .png, "
                                     ".svg or .pdf; else the table"}),
    "page_output": (("--output",), {"metavar": "FILE", "help": "the HTML file to write "
                                    "(default: standard output)"}),
    "compute_period": (("--period",), {**_PERIOD, "help": _PERIOD["help"] + " (default: all)"}),
    "measures": (("--measures",), {"action": "store_true", "help": "list the measures "
                                   "instead: the ids a Counts file uses, and the metrics each "
                                   "fills"}),
    "caveat_metric": (("--metric",), {"metavar": "METRIC",
                                      "help": "only the rules touching METRIC"}),
    "caveat_force": (("--force",), {"metavar": "FORCE", "help": "only the rules touching FORCE"}),
    "year": (("--year",), {"type": int,
                           "help": "the year (default: the edition's latest judgments)"}),
    "judgment_period": (("--period",), {**_PERIOD, "help": "the year, as a period (2018-03, "
                                        "latest, report); overrides --year"}),
}  # fmt: skip

#: The commands: name, what runs, help, longer description, and options in order.
_COMMANDS: tuple[tuple[str, Callable[[argparse.Namespace, TextIO], None], str, str, str], ...] = (
    ("force-in-numbers", _force_in_numbers, "the Force-in-numbers panel for a force", "",
     "force counts format3 output partial ci trend peers peer_mean period"),
    ("report", _report, "the Force-in-numbers page as one self-contained HTML file",
     "Write the Force-in-numbers page for a force as one HTML file: a summary, the panel, a "
     "chart per metric, the judgments, the caveats and the sources. No JavaScript, no network "
     "requests; it prints on A4.", "force counts ci period page_output"),
    ("compute", _compute, "compute metrics for every force and England and Wales", "",
     "counts metrics forces format3 output partial ci trend compute_period"),
    ("chart", _chart, "a by-force chart of a metric (PNG or SVG)", "",
     "metric counts highlight previous stack funnel dots overdispersion partial period "
     "chart_output"),
    ("read", _read, "read published files into one Counts CSV", _READ_DESCRIPTION,
     "files records spec no_id_check months record_windows read_format read_output"),
    ("compare", _compare,
     "reconcile two files' counts: what a later release revised, key by key (CSV)",
     "Read two files (any that `read` accepts) and list, as CSV, each force, period and "
     "measure whose count differs between them or that only one holds: both values, the "
     "difference (second minus first) and the relative difference.", "left right all output"),
    ("trend", _trend,
     "a force over time beside England and Wales: a table, or a chart (.png/.svg)",
     "Every period the data hold for a force, beside England and Wales (and its peers with "
     "--peers), with whether each figure has been rising, falling or not changing "
     "significantly over the last --windows yearly windows (Poisson log-linear regression for "
     "rates, chi-squared test for trend for shares).",
     "force trend_metrics counts trend_peers ci trend_windows format3 trend_output"),
    ("editions", _editions, "list the report editions the catalogue knows", "", ""),
    ("data", _data, "write the bundled Counts", "", "data_format"),
    ("metrics", _metrics, "list the metric catalogue", "", "format2 measures"),
    ("caveats", _caveats, "the report's Annex A rules, by metric and force", "",
     "caveat_metric caveat_force format2"),
    ("forces", _forces, "list the forces and their codes", "", "format2"),
    ("judgments", _judgments, "judgments in force for a force", "",
     "force year judgment_period format2"),
)  # fmt: skip


def _parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the commands named in ``argv`` get their options (the others are
    listed for help: declaring 60 options a run never reads cost it a few milliseconds)."""
    from peelmetrics import __version__

    parser = argparse.ArgumentParser(
        prog="peelmetrics",
        description="HMICFRS PEEL metrics: Force in numbers, England and Wales figures, charts.",
    )
    parser.add_argument("--version", action="version", version=f"peelmetrics {__version__}")
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="no notes on standard error, only errors"
    )
    parser.add_argument(
        "--edition",
        metavar="ID",
        help="the report edition whose metrics and rules apply (default: peel2017; "
        "`peelmetrics editions` lists them)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # --edition is also accepted after the command name (`peelmetrics compute --edition ID`);
    # SUPPRESS keeps a value given before the command when none is given after it.
    edition_after = argparse.ArgumentParser(add_help=False)
    edition_after.add_argument(
        "--edition", metavar="ID", default=argparse.SUPPRESS, help="as before the command"
    )
    for name, run, summary, description, options in _COMMANDS:
        command = sub.add_parser(name, parents=[edition_after], help=summary,
                                 description=description or None)  # fmt: skip
        for option in options.split() if name in argv else ():
            flags, keywords = _OPTIONS[option]
            command.add_argument(*flags, **keywords)
        command.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 user error)."""
    words = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(words)
    args = parser.parse_args(words)
    for name, value in vars(args).items():
        given = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and not v.strip() for v in given):
            # "--force ''" is a mistake (an unset variable), never "every force".
            parser.error(f"argument --{name.replace('_', '-')}: an empty value")
    stream = out if out is not None else sys.stdout
    if stream is None:
        print("peelmetrics: error: standard output is closed; send it to a file "
              "(> results.txt) or to /dev/null", file=sys.stderr)  # fmt: skip
        return 2
    fit_encoding(stream)
    fit_encoding(sys.stderr)
    run: Callable[[argparse.Namespace, TextIO], None] = args.run
    try:
        run(args, stream)
    except BrokenPipeError:
        raise  # the reader went away: not a user error (see run())
    except _USER_ERRORS as exc:
        print(f"peelmetrics: error: {exc}", file=sys.stderr)
        return 2
    return 0


def run() -> None:  # pragma: no cover - console script entry point
    """Console-script entry point: run :func:`main` and exit with its status.

    A reader that stops early (``peelmetrics forces | head``) is not an error: the rest of
    the output goes nowhere and the status is 0 (the recipe in Python's ``signal`` docs).
    """
    import os

    try:
        status = main()
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = 0
    except OSError as exc:  # standard output closed or unwritable: said, not a traceback
        print(f"peelmetrics: error: cannot write the output: {exc.strerror or exc}",
              file=sys.stderr)  # fmt: skip
        status = 2
    sys.exit(status)
