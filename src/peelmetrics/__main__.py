"""``python -m peelmetrics``: the same as the ``peelmetrics`` command."""

if __name__ == "__main__":  # pragma: no cover
    from peelmetrics.cli import run

    run()
