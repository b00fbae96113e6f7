"""Dashboard entry point: the shared sidebar and the navigation, nothing else."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib.i18n import t
from views import common
from views.common.navigation import PAGES

# A local favicon: a Material icon there would be fetched from the internet.
ICON = Path(__file__).parent / "assets" / "icon.png"
st.set_page_config(page_title="部门预算绩效目标", page_icon=str(ICON), layout="wide")
lang, present = common.settings()
navigation = st.navigation(
    [
        st.Page(path, title=t(key, lang), icon=icon, url_path=url, default=index == 0)
        for index, (path, key, icon, url) in enumerate(PAGES)
    ],
    position="hidden" if present else "sidebar",
)
navigation.run()
