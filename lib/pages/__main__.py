"""Command line: a page's content as JSON, the page's twin (``python -m lib.pages overview [PATH ...] --json``).

``--help`` lists the exit statuses, the same as every command line's (:mod:`lib.cli`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lib import compare as compare_frames
from lib import review
from lib.cli import NOTHING_LOADED, OK, USAGE, arguments_and_corpus, command_line, command_parser
from lib.pages import budget, card, compare, data, indicators, overview, scope
from lib.pages import review as review_page

PAGES = ("overview", "budget", "indicators", "review", "card", "data", "compare")


@command_line
def main(argv: list[str] | None = None) -> int:
    """Print the page's content (figures, charts, tables, notes) as JSON; 0 on success, 1 when nothing loaded.

    Examples
    --------
    >>> main(["budget", "--lang", "en"])  # doctest: +ELLIPSIS
    {"title": "Budget allocation", ...}
    0
    """
    parser = command_parser("python -m lib.pages", "页面内容（JSON）", statuses=(OK, NOTHING_LOADED, USAGE))
    parser.add_argument("page", choices=PAGES, help="the page whose content to print")
    parser.add_argument(
        "paths", nargs="*", type=Path, help="documents (default: the library's current documents in data/)"
    )
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of labels")
    parser.add_argument("--json", action="store_true", help="print JSON (the only output there is)")
    loaded = arguments_and_corpus(parser, argv)
    if isinstance(loaded, int):
        return loaded
    args, corpus = loaded
    shown_scope = scope.Scope.of(corpus, lang=args.lang)
    builders = {
        "overview": lambda: overview.page(shown_scope),
        "budget": lambda: budget.page(shown_scope),
        "indicators": lambda: indicators.page(shown_scope),
        "review": lambda: review_page.page(shown_scope, review.review(corpus)),
        "card": lambda: card.page(shown_scope, review.review(corpus), card.chosen_project(shown_scope, None) or ""),
        "data": lambda: data.page(shown_scope),
        "compare": lambda: compare.page(
            shown_scope,
            review.review(corpus),
            mode="departments",
            left=compare_frames.selection(corpus),
            right=compare_frames.selection(corpus),
            left_label=shown_scope.source,
            right_label=shown_scope.source,
        ),
    }
    json.dump(scope.to_json(builders[args.page]()), sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return OK if corpus.projects.height else NOTHING_LOADED


if __name__ == "__main__":
    raise SystemExit(main())
