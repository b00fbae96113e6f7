"""The command line: the findings of the documents, one line each or as JSON.

Command line::

    python -m lib.review [PATH ...] [--json] [--lang zh|en] [--rules R01,R09]

Without paths it reviews every document in ``data/``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lib.cli import cli_arguments, cli_load
from lib.review.api import review, rules_frame
from lib.review.rules import RULES


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: 0 when something loaded, 1 when nothing did, 2 for bad arguments.

    Examples
    --------
    >>> main(["--rules", "R09"])  # doctest: +ELLIPSIS
    高 R09 ...
    0
    """
    parser = argparse.ArgumentParser(prog="python -m lib.review", description="按审核规则检查部门预算绩效目标")
    parser.add_argument(
        "paths", nargs="*", type=Path, help="documents to review (default: the library's current documents in data/)"
    )
    parser.add_argument("--json", action="store_true", help='print {"findings": [...], "rules": [...]} as JSON')
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the rule titles")
    parser.add_argument("--rules", help="comma-separated rule ids to apply (default: all)")
    args = cli_arguments(parser, argv)
    if isinstance(args, int):
        return args
    selected = [r.strip() for r in args.rules.split(",")] if args.rules else None
    if selected is not None and (unknown := set(selected) - {r.id for r in RULES}):
        print(f"error: unknown rule ids: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    corpus = cli_load(args.paths)
    if corpus is None:
        return 2
    findings = review(corpus, rules=selected)
    if args.json:
        payload = {"findings": findings.to_dicts(), "rules": rules_frame(args.lang).to_dicts()}
        json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        names = dict(corpus.projects.select("project_id", "name").iter_rows())
        for f in findings.iter_rows(named=True):
            print(f"{f['severity']} {f['rule_id']} {names.get(f['project_id'], f['project_id'])}：{f['message']}")
        print(f"{findings.height} findings, {corpus.projects.height} projects")
    return 0 if corpus.projects.height else 1


if __name__ == "__main__":
    sys.exit(main())
