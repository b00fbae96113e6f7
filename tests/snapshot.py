"""Everything the dashboard computes, written to a folder, so a refactor can be shown to change nothing.

    .venv/bin/python tests/snapshot.py write OUT          # this tree's outputs into OUT
    .venv/bin/python tests/snapshot.py compare OLD NEW    # exit 1 and name every file that differs

Run ``write`` in a worktree of the commit before a refactor and in the tree
after it, then ``compare``. The outputs, for the reference document and a
1,000-project synthetic corpus (seed 4): the four frames and the review's
findings as CSV; every chart builder's figure as Plotly JSON; the CSV and
Parquet exports' bytes; every sheet of the Excel export read back as
cells. PNG and PowerPoint files carry timestamps and renderer versions, so
they are compared through the figures and tables they are made from.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _corpora():
    from lib.loader import load_documents
    from lib.testing.synth import write_corpus

    yield "reference", load_documents([ROOT / "data" / "000_a5ef52d3e8690c0f.txt"])
    with tempfile.TemporaryDirectory() as folder:
        yield "synthetic-1000", load_documents(write_corpus(Path(folder), 1_000, seed=4))


def write(out: Path) -> int:
    import polars as pl
    from python_calamine import CalamineWorkbook

    from lib import charts, export, review

    out.mkdir(parents=True, exist_ok=True)
    for name, corpus in _corpora():
        folder = out / name
        folder.mkdir(exist_ok=True)
        for frame_name, frame in corpus.frames().items():
            frame.write_csv(folder / f"{frame_name}.csv")
        findings = review.review(corpus)
        findings.write_csv(folder / "findings.csv")
        rules = review.rules_frame("zh").rename({"id": "rule_id"})
        figures = {
            "budget_by_project": lambda lang: charts.budget_by_project(corpus.projects, lang=lang),
            "budget_by_type": lambda lang: charts.budget_by_type(corpus.projects, lang=lang),
            "budget_treemap": lambda lang: charts.budget_treemap(corpus.projects, lang=lang),
            "pareto": lambda lang: charts.pareto(corpus.projects, lang=lang),
            "period_timeline": lambda lang: charts.period_timeline(corpus.projects, lang=lang, budget_year=2026),
            "budget_vs_caps": lambda lang: charts.budget_vs_caps(corpus.projects, corpus.indicators, lang=lang),
            "level_sunburst": lambda lang: charts.level_sunburst(corpus.indicators, lang=lang),
            "category_heatmap": lambda lang: charts.category_heatmap(corpus.projects, corpus.indicators, lang=lang),
            "value_kind_chart": lambda lang: charts.value_kind_chart(corpus.projects, corpus.indicators, lang=lang),
            "percent_distribution": lambda lang: charts.percent_distribution(corpus.indicators, lang=lang),
            "findings_by_rule": lambda lang: charts.findings_by_rule(findings, rules, lang=lang),
            "projects_by_findings": lambda lang: charts.projects_by_findings(findings, corpus.projects, lang=lang),
        }
        for figure_name, build in figures.items():
            for lang in ("zh", "en"):
                spec = json.loads(build(lang).to_json())
                (folder / f"chart-{figure_name}-{lang}.json").write_text(
                    json.dumps(spec, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8"
                )
        for frame_name, frame in corpus.frames().items():
            (folder / f"export-{frame_name}.csv").write_bytes(export.csv_bytes(frame))
            (folder / f"export-{frame_name}.parquet.csv").write_text(
                pl.read_parquet(export.parquet_bytes(frame)).write_csv(), encoding="utf-8"
            )
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(export.workbook_bytes(corpus)))
        for sheet in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(sheet).to_python()
            (folder / f"workbook-{sheet}.json").write_text(
                json.dumps(rows, ensure_ascii=False, default=str, indent=0), encoding="utf-8"
            )
    print(f"wrote {sum(1 for _ in out.rglob('*'))} files to {out}")
    return 0


def compare(old: Path, new: Path) -> int:
    names = sorted(
        {p.relative_to(old) for p in old.rglob("*") if p.is_file()}
        | {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    )
    differ = [
        str(name)
        for name in names
        if not (old / name).is_file()
        or not (new / name).is_file()
        or (old / name).read_bytes() != (new / name).read_bytes()
    ]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} of {len(names)} files identical")
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "write":
        return write(Path(argv[1]))
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
