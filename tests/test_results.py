"""Self-evaluation tables (绩效自评表) read into the results and execution frames, against the fixtures' truth."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from lib import schema
from lib.loader import combine, load_documents
from lib.values import parse_value

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "results"
REFERENCE = ROOT / "data" / "000_a5ef52d3e8690c0f.txt"
MoF = FIXTURES / "2026_self_evaluation.txt"
LOCAL = FIXTURES / "2026_local_layout.txt"
EXECUTION_FIGURES = ("budget_initial_yuan", "budget_full_year_yuan", "executed_yuan", "execution_rate")
EXECUTION_SCORES = ("weight", "score", "total_score", "grade")
RESULT_FIELDS = ("level1", "level2_raw", "name", "target_value", "actual_value", "weight", "score", "deviation_note")


def _truth(path: Path) -> dict:
    return json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def both():
    return load_documents([REFERENCE, MoF])


@pytest.mark.parametrize("path", [MoF, LOCAL], ids=["ministry_layout", "local_layout"])
def test_self_evaluation_reads_into_exactly_its_truth(path):
    truth = _truth(path)
    corpus = load_documents([path])
    execution = corpus.execution.to_dicts()
    assert [row["name"] for row in execution] == [project["name"] for project in truth["projects"]]
    for row, project in zip(execution, truth["projects"]):
        expected = project["execution"]
        assert {key: row[key] for key in (*EXECUTION_FIGURES, *EXECUTION_SCORES)} == {
            key: expected[key] for key in (*EXECUTION_FIGURES, *EXECUTION_SCORES)
        }, project["name"]
        assert (row["department"], row["unit"]) == (project["department"], project["unit"])
        assert (row["goal_planned"], row["goal_actual"]) == (project["goal_planned"], project["goal_actual"])
        results = corpus.results.filter(pl.col("project_id") == row["project_id"]).to_dicts()
        assert [{key: result[key] for key in RESULT_FIELDS} for result in results] == [
            {key: indicator[key] for key in RESULT_FIELDS} for indicator in project["indicators"]
        ], project["name"]
        for result in results:
            for side in ("target", "actual"):
                parsed = parse_value(result[f"{side}_value"])
                assert (
                    result[f"{side}_kind"], result[f"{side}_op"], result[f"{side}_number"], result[f"{side}_unit"]
                ) == (parsed.kind, parsed.op, parsed.number, parsed.unit)  # fmt: skip
    assert corpus.results.schema == pl.Schema(schema.RESULTS)
    assert corpus.execution.schema == pl.Schema(schema.EXECUTION)
    assert corpus.projects.is_empty() and corpus.indicators.is_empty()
    assert corpus.documents.select("kind", "year", "department", "project_count").row(0) == (
        "results", truth["year"], truth["department"], len(truth["projects"])
    )  # fmt: skip
    assert corpus.diagnostics.filter(pl.col("severity") != "info").is_empty()


def test_the_truth_encodes_the_reference_targets_it_claims():
    """The truth's links are real: every named target project and indicator is in the reference document."""
    reference = load_documents([REFERENCE])
    names = reference.indicators.join(
        reference.projects.select("project_id", pl.col("name").alias("project")), on="project_id"
    )
    targets = set(names.select("project", "name").iter_rows())
    truth = _truth(MoF)
    linked = [(p["target_project"], i["target_indicator"]) for p in truth["projects"] for i in truth_indicators(p)]
    assert linked and all(pair in targets for pair in linked)
    assert {p["target_project"] for p in truth["projects"]} == set(reference.projects["name"])
    assert sum(p["execution"]["budget_initial_yuan"] for p in truth["projects"]) == 10_882_500


def truth_indicators(project: dict) -> list[dict]:
    return [indicator for indicator in project["indicators"] if indicator["target_indicator"] is not None]


def test_documents_frame_says_which_is_targets_and_which_results(both):
    kinds = dict(both.documents.select("source", "kind").iter_rows())
    assert kinds == {REFERENCE.name: "targets", MoF.name: "results"}


def test_loading_both_leaves_the_reference_unchanged_and_adds_the_results(both):
    reference = load_documents([REFERENCE])
    assert (both.projects.height, both.indicators.height, both.projects["budget_yuan"].sum()) == (15, 172, 10_882_500)
    assert both.projects.equals(reference.projects) and both.indicators.equals(reference.indicators)
    assert (both.execution.height, both.results.height) == (15, 171)


def test_combine_carries_the_results_and_drops_a_repeated_document(both):
    again = combine(both, load_documents([("copy.txt", MoF.read_bytes())]))
    assert again.results.equals(both.results) and again.execution.equals(both.execution)
    added = combine(load_documents([REFERENCE]), load_documents([MoF]))
    assert added.results.height == 171 and added.execution.height == 15


def test_a_document_of_neither_kind_says_so():
    corpus = load_documents([("notes.txt", "会议纪要\n没有表格".encode())])
    assert corpus.documents["kind"].to_list() == ["neither"]
    assert "no_table" in corpus.diagnostics["code"].to_list()


def _load_text(text: str):
    return load_documents([("bad.txt", text.encode())])


_HEADER = "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"
_TABLE = [
    "2026年某局项目支出绩效自评表",
    "项目名称\t示例项目",
    "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
    "\t年度资金总额\t10\t10\t9\t10\t90%\t9",
    _HEADER,
    "\t产出指标\t数量指标\t培训人数\t100\t100\t90\t90",
    "总分\t\t\t\t\t\t100\t99",
]


def test_a_results_table_with_a_missing_column_names_file_line_and_column():
    lines = list(_TABLE)
    lines[4] = _HEADER.replace("\t得分", "")
    lines[5] = "\t产出指标\t数量指标\t培训人数\t100\t100\t90"
    corpus = _load_text("\n".join(lines))
    missing = corpus.diagnostics.filter(pl.col("code") == "missing_column").to_dicts()
    assert [(d["source"], d["line"]) for d in missing] == [("bad.txt", 5)]
    assert "得分" in missing[0]["message"]
    assert corpus.results.select("name", "weight", "score").row(0) == ("培训人数", 90.0, None)


def test_a_row_of_text_in_a_results_table_is_a_diagnostic_and_the_rest_loads():
    lines = list(_TABLE)
    lines.insert(6, "本项目由办公室负责实施，资金已按规定拨付。")
    corpus = _load_text("\n".join(lines))
    found = corpus.diagnostics.filter(pl.col("code") == "unrecognised_row").select("source", "line", "message").rows()
    assert [(source, line) for source, line, _ in found] == [("bad.txt", 7)]
    assert "资金已按规定拨付" in found[0][2]
    assert corpus.execution.select("executed_yuan", "total_score").row(0) == (90_000.0, 99.0)
    assert corpus.results.height == 1


def test_cli_json_prints_results_and_execution():
    done = subprocess.run(
        [sys.executable, "-m", "lib.loader", str(REFERENCE), str(MoF), "--json"],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, check=True,
    )  # fmt: skip
    payload = json.loads(done.stdout)
    assert list(payload) == ["documents", "projects", "indicators", "diagnostics", "results", "execution"]
    assert (len(payload["projects"]), len(payload["results"]), len(payload["execution"])) == (15, 171, 15)
    assert {row["kind"] for row in payload["documents"]} == {"targets", "results"}
