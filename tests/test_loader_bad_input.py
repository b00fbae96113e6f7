"""Bad input: diagnostics naming file and line, never an exception; the rest still loads."""

from __future__ import annotations

from lib.cli import loader_main

import json

import polars as pl
import pytest

from lib.ingest import document
from lib.loader import load_documents
from support import REFERENCE, shown

SEED = REFERENCE.read_text(encoding="utf-8")


def _errors(corpus) -> list[str]:
    return corpus.diagnostics.filter(pl.col("severity") == "error")["code"].to_list()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", "empty_file"),
        ("blank.txt", b"\n\n  \r\n", "empty_file"),
        ("junk.bin", bytes(range(256)) * 8, "binary_file"),
        ("zip.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 100, "damaged_zip"),
        ("novel.txt", "第一章\n天下大势，分久必合，合久必分。\n".encode(), "no_table"),
    ],
)
def test_bad_file_is_an_error_diagnostic_and_the_reference_still_loads(name, data, code):
    corpus = load_documents([(name, data), REFERENCE])
    assert corpus.projects.height == 15
    assert _errors(corpus) == [code]
    assert shown(corpus.diagnostics.filter(pl.col("code") == code))[0].startswith(f"{name}: ")


def test_unreadable_path_is_reported():
    corpus = load_documents([REFERENCE.parent / "does-not-exist.txt", REFERENCE])
    assert corpus.projects.height == 15
    assert _errors(corpus) == ["unreadable"]


def test_table_cut_off_mid_way_keeps_the_projects_before_it():
    lines = SEED.splitlines()
    cut = "\n".join(lines[: lines.index("绩效指标\t一级指标\t二级指标\t三级指标\t实施周期指标值\t年度指标值", 40) - 1])
    corpus = load_documents([("cut.txt", cut.encode())])
    assert corpus.projects["name"].to_list() == ["市人大代表履职经费", "财政预算审查经费"]
    assert corpus.projects["budget_yuan"].to_list() == [1_416_000.0, 50_000.0]
    no_indicators = corpus.diagnostics.filter(pl.col("code") == "no_indicators")
    assert no_indicators["project_id"].to_list() == [corpus.projects["project_id"][1]]
    assert no_indicators["line"].to_list() == [34]  # the table title of the cut project


def test_cut_inside_the_indicator_rows_keeps_the_rows_read():
    lines = SEED.splitlines()
    corpus = load_documents([("cut.txt", "\n".join(lines[:25]).encode())])
    assert corpus.projects.height == 1
    assert corpus.indicators["name"].to_list() == [
        "代表小组活动次数",
        "发放代表人数",
        "代表履职功能得到提升",
        "增强代表履职实效",
        "履职能力水平提高",
    ]


def test_project_without_budget_loads_with_null_budget_and_a_warning():
    text = SEED.replace("2026年预算金额(元)\t50,000.00\t\t\t\t\n", "")
    corpus = load_documents([("nobudget.txt", text.encode())])
    assert corpus.projects.height == 15
    project = corpus.projects.filter(pl.col("name") == "财政预算审查经费").row(0, named=True)
    assert project["budget_yuan"] is None
    warning = corpus.diagnostics.filter(pl.col("code") == "no_budget").row(0, named=True)
    assert (warning["severity"], warning["line"], warning["project_id"]) == ("warning", 34, project["project_id"])
    assert corpus.projects["budget_yuan"].sum() == pytest.approx(10_882_500.00 - 50_000.00)


def test_undecodable_bytes_are_replaced_and_reported():
    data = REFERENCE.read_bytes().replace("人代会".encode(), b"\xff\xfe\xfa")
    corpus = load_documents([("broken.txt", data)])
    assert corpus.projects.height == 15
    assert corpus.diagnostics.filter(pl.col("code") == "encoding")["severity"].to_list() == ["warning"]


def test_unknown_key_row_and_extra_cell_are_diagnostics_with_their_text():
    text = SEED.replace("项目等级\t二级项目\t\t\t\t\n", "项目等级\t二级项目\t\t\t\t\n项目负责人\t张三\n", 1)
    text = text.replace("代表小组活动次数\t64\t64", "代表小组活动次数\t64\t64\t多余", 1)
    corpus = load_documents([("extra.txt", text.encode())])
    assert corpus.projects.height == 15
    messages = shown(corpus.diagnostics)
    assert any("张三" in m and "extra.txt:12:" in m for m in messages)
    assert any("多余" in m and "extra.txt:22:" in m for m in messages)


def test_cli_json_prints_every_frame(capsys):
    assert loader_main(["--json", str(REFERENCE)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == ["documents", "projects", "indicators", "diagnostics", "results", "execution"]
    assert payload["results"] == [] and payload["execution"] == []
    assert len(payload["projects"]) == 15 and len(payload["indicators"]) == 172
    assert sum(p["budget_yuan"] for p in payload["projects"]) == pytest.approx(10_882_500.0)


def test_cli_defaults_to_data_directory(capsys):
    assert loader_main([]) == 0
    assert "15 projects, 172 indicators, 10,882,500.00 元" in capsys.readouterr().out


def test_cli_without_paths_reads_the_librarys_current_documents_not_the_trash(tmp_path, monkeypatch, capsys):
    import shutil

    from lib import library

    shutil.copy(REFERENCE, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text(
        REFERENCE.read_text(encoding="utf-8").replace("东莞市人民代表大会常务委员会办公室", "东莞市水务局"),
        encoding="utf-8",
    )
    monkeypatch.setenv("BUDGET_DATA_DIR", str(tmp_path))
    assert loader_main([]) == 0
    assert "30 projects" in capsys.readouterr().out
    assert library.remove("b.txt", directory=tmp_path)
    assert (tmp_path / "b.txt").exists()  # trashed, not deleted: the folder still holds it
    assert loader_main([]) == 0
    assert "15 projects, 172 indicators, 10,882,500.00 元" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_cli_out_with_schema_names_writes_files_scripts_read_back(tmp_path, fmt):
    assert loader_main([str(REFERENCE), "--out", str(tmp_path), "--format", fmt, "--lang", "schema"]) == 0
    if fmt == "csv":
        (path,) = tmp_path.glob("*_projects_*.csv")
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert pl.read_csv(data[3:])["budget_yuan"].sum() == pytest.approx(10_882_500.0)
    elif fmt == "parquet":
        (path,) = tmp_path.glob("*_indicators_*.parquet")
        assert pl.read_parquet(path).height == 172
    else:
        (path,) = tmp_path.glob("*_corpus_*.xlsx")
        assert pl.read_excel(path, sheet_name="projects", engine="openpyxl").height == 15


def test_cli_exit_codes(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert loader_main([str(empty)]) == 1
    # The error names its file: the command line writes the place before the message.
    assert capsys.readouterr().err.splitlines() == ["empty.txt: 文件为空，未载入任何项目"]
    assert loader_main([str(tmp_path / "missing.txt")]) == 2
    assert loader_main(["--format", "doc"]) == 2


def test_oversized_document_is_refused_with_a_reason(monkeypatch):
    monkeypatch.setattr(document, "MAX_DOCUMENT_BYTES", 1000)
    corpus = load_documents([("huge.txt", b"x" * 5000), ("small.txt", b"")])
    message = shown(corpus.diagnostics.filter(pl.col("code") == "too_large"))[0]
    assert message.startswith("huge.txt: ") and "上限" in message


def test_document_with_absurdly_wide_lines_is_refused():
    corpus = load_documents([("wide.txt", ("\t".join(["格"] * 2000) + "\n").encode()), REFERENCE])
    assert corpus.projects.height == 15
    assert corpus.diagnostics.filter(pl.col("code") == "too_large")["source"].to_list() == ["wide.txt"]
