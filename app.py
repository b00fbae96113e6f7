"""Dashboard entry point: the shared sidebar and the navigation, nothing else."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib.i18n import t
from views import common
from views.common.navigation import PAGES

# A local favicon: a Material icon there would be fetched from the internet.
ICON = Path(__file__).parent / "assets" / "icon.png"
lang, present = common.settings()
# The browser tab's title in the chosen language (set_page_config may follow reading the URL).
st.set_page_config(page_title=t("app_title", lang), page_icon=str(ICON), layout="wide")
navigation = st.navigation(
    [
        st.Page(path, title=t(key, lang), icon=icon, url_path=url, default=index == 0)
        for index, (path, key, icon, url) in enumerate(PAGES)
    ],
    position="hidden" if present else "sidebar",
)
navigation.run()
