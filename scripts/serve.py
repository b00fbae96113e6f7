"""Start the dashboard: ``streamlit run app.py``, with what the pages use imported first.

The pages live in ``views/``, not ``pages/``: a ``pages/`` folder beside the
main script would make Streamlit begin each server process in its legacy
multipage mode, where a first request for a copied link (/card) runs that
file alone, without app.py's navigation; without one, no work-around is needed.

It imports what the pages use before the server starts and freezes
those objects out of Python's garbage collector. Streamlit runs a full
collection after every script run (``runner.postScriptGC``), and a full
collection walks every object the process holds: with plotly, pandas,
polars and Streamlit loaded that is some 300,000 objects and took 50–110 ms
of every run, longer than the pages themselves (py-spy, bench/README.md).
Frozen objects are still freed when their last reference goes; they are
only skipped by the cycle collector, which they would survive anyway.

    .venv/bin/python scripts/serve.py [streamlit options]
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

# Imported here, before any session thread: two sessions importing pandas
# for the first time at once can see it half-initialised (plotly then fails).
import numpy  # noqa: F401
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import polars  # noqa: F401
from streamlit.web.cli import main

APP = Path(__file__).resolve().parent.parent / "app.py"


def preload() -> None:
    """Import the modules every page needs, then freeze them out of the cycle collector."""
    sys.path.insert(0, str(APP.parent))
    import lib.charts, lib.compare, lib.export, lib.export.deck, lib.filters  # noqa: E401, F401, I001
    import lib.library, lib.loader, lib.metrics, lib.review, lib.uploads  # noqa: E401, F401

    gc.collect()
    gc.freeze()


if __name__ == "__main__":
    preload()
    sys.exit(main(["run", str(APP), *sys.argv[1:]], prog_name="streamlit"))
