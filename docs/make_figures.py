"""Regenerate the pictures in docs/_static (run from the repository root).

python docs/make_figures.py
"""

from __future__ import annotations

from pathlib import Path

from peelmetrics.cli import main

HERE = Path(__file__).parent
STATIC = HERE / "_static"

if __name__ == "__main__":
    main(["chart", "recorded_crime_per_1000", "--highlight", "Hertfordshire",
          "--output", str(STATIC / "recorded_crime_per_1000.png")])  # fmt: skip
    main(["chart", "action_taken_share", "--stack", "--previous", "--highlight", "Hertfordshire",
          "--counts", str(HERE / "examples" / "figure1_counts.csv"),
          "--output", str(STATIC / "figure1_example.png")])  # fmt: skip
