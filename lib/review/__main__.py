"""The command line: the findings of the documents, one line each or as JSON.

Command line::

    python -m lib.review [PATH ...] [--json] [--lang zh|en] [--rules R01,R09]

Without paths it reviews the library's current documents, as the app shows them.
``--help`` lists the exit statuses, the same as every command line's (:mod:`lib.cli`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lib.cli import (
    NOTHING_LOADED,
    OK,
    USAGE,
    CommandError,
    cli_arguments,
    cli_load,
    command_line,
    command_parser,
    input_paths,
)
from lib.i18n import t
from lib.review.api import in_language, review, rules_frame, severity_labels
from lib.review.rules import RULES


@command_line
def main(argv: list[str] | None = None) -> int:
    """Command-line entry: 0 when something loaded, 1 when nothing did, 2 for bad arguments (``--help`` says).

    Examples
    --------
    >>> main(["--rules", "R09"])  # doctest: +ELLIPSIS
    高 R09 ...
    0
    """
    parser = command_parser(
        "python -m lib.review", "按审核规则检查部门预算绩效目标", statuses=(OK, NOTHING_LOADED, USAGE)
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, help="documents to review (default: the library's current documents in data/)"
    )
    parser.add_argument("--json", action="store_true", help='print {"findings": [...], "rules": [...]} as JSON')
    parser.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the findings' lines and of the rules"
    )
    parser.add_argument("--rules", help="comma-separated rule ids to apply (default: all)")
    args = cli_arguments(parser, argv)
    if isinstance(args, int):
        return args
    selected = [r.strip() for r in args.rules.split(",")] if args.rules else None
    if selected is not None and (unknown := set(selected) - {r.id for r in RULES}):
        raise CommandError(f"unknown rule ids: {', '.join(sorted(unknown))}", USAGE)
    corpus = cli_load(input_paths(args.paths))
    findings = review(corpus, rules=selected)
    if args.json:
        payload = {"findings": findings.to_dicts(), "rules": rules_frame(args.lang).to_dicts()}
        json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        names = dict(corpus.projects.select("project_id", "name").iter_rows())
        severities, sep = severity_labels(args.lang), t("label_sep", args.lang)
        for f in in_language(findings, args.lang).iter_rows(named=True):
            name = names.get(f["project_id"], f["project_id"])
            print(f"{severities[f['severity']]} {f['rule_id']} {name}{sep}{f['message']}")
        print(f"{findings.height} findings, {corpus.projects.height} projects")
    return OK if corpus.projects.height else NOTHING_LOADED


if __name__ == "__main__":
    sys.exit(main())
