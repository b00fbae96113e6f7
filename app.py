"""Dashboard entry point: the shared sidebar and the navigation, nothing else."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib.i18n import t
from views import common

# A local favicon: a Material icon there would be fetched from the internet.
ICON = Path(__file__).parent / "assets" / "icon.png"
lang, present = common.settings()
# The browser tab's title in the chosen language (set_page_config may follow reading the URL).
st.set_page_config(page_title=t("app_title", lang), page_icon=str(ICON), layout="wide")
PAGES = [
    ("views/overview.py", "page_overview", ":material/dashboard:", "overview"),
    ("views/budget.py", "page_budget", ":material/account_balance_wallet:", "budget"),
    ("views/indicators.py", "page_indicators", ":material/category:", "indicators"),
    ("views/card.py", "page_card", ":material/article:", "card"),
    ("views/review.py", "page_review", ":material/fact_check:", "review"),
    ("views/compare.py", "page_compare", ":material/compare_arrows:", "compare"),
    ("views/data.py", "page_data", ":material/table_view:", "data"),
    ("views/library.py", "page_library", ":material/folder_open:", "library"),
]
navigation = st.navigation(
    [
        st.Page(path, title=t(key, lang), icon=icon, url_path=url, default=index == 0)
        for index, (path, key, icon, url) in enumerate(PAGES)
    ],
    position="hidden" if present else "sidebar",
)
navigation.run()
