"""The dashboard's pages in order: the navigation of app.py and the previous/next links of presentation mode."""

from __future__ import annotations

#: (script, title key, icon, URL path) of every page, in the navigation's order.
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


def neighbours(title_key: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(script, title key) of the pages before and after the page ``title_key``; None at either end.

    >>> neighbours("page_budget")
    (('views/overview.py', 'page_overview'), ('views/indicators.py', 'page_indicators'))
    >>> neighbours("page_overview")[0] is None
    True
    """
    keys = [key for _, key, _, _ in PAGES]
    index = keys.index(title_key)
    before = PAGES[index - 1][:2] if index > 0 else None
    after = PAGES[index + 1][:2] if index + 1 < len(PAGES) else None
    return before, after
