"""Start the dashboard: ``streamlit run app.py`` with app.py's navigation in charge from the first request.

A ``pages/`` folder beside the main script makes Streamlit begin each server
process in its legacy multipage mode, in which the first request for a page
URL (someone opening a copied link to /card) runs that page file alone,
without app.py's ``st.navigation``. The mode is a per-process flag that
``st.navigation`` clears on its first call; clearing it before the server
starts makes every request, the first included, go through app.py.

    .venv/bin/python scripts/serve.py [streamlit options]
"""

from __future__ import annotations

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

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    sys.exit(main(["run", str(APP), *sys.argv[1:]], prog_name="streamlit"))
