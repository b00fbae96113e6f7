"""Start the dashboard: ``streamlit run app.py`` with app.py's navigation in charge from the first request.

A ``pages/`` folder beside the main script makes Streamlit begin each server
process in its legacy multipage mode, in which the first request for a page
URL (someone opening a copied link to /card) runs that page file alone,
without app.py's ``st.navigation``. The mode is a per-process flag that
``st.navigation`` clears on its first call; clearing it before the server
starts makes every request, the first included, go through app.py.

It also imports what the pages use before the server starts and freezes
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
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main

APP = Path(__file__).resolve().parent.parent / "app.py"


def preload() -> None:
    """Import the modules every page needs, then freeze them out of the cycle collector."""
    sys.path.insert(0, str(APP.parent))
    import lib.charts, lib.compare, lib.deck, lib.export, lib.filters  # noqa: E401, F401, I001
    import lib.library, lib.loader, lib.metrics, lib.review, lib.uploads  # noqa: E401, F401

    gc.collect()
    gc.freeze()


if __name__ == "__main__":
    preload()
    PagesManager.uses_pages_directory = False
    sys.exit(main(["run", str(APP), *sys.argv[1:]], prog_name="streamlit"))
