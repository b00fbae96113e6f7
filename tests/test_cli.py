"""The command lines: what --out writes and how it is named, what they refuse, and how they say so.

The deck's own command line, which renders charts, is tested in test_deck.py;
here the deck stops before rendering.
"""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from python_calamine import CalamineWorkbook
from support import REFERENCE

from lib import cli, export, review
from lib.cli import loader_main
from lib.export import deck, images
from lib.loader import load_documents
from lib.pages.__main__ import main as pages_main
from lib.review.__main__ import main as review_main

DEPARTMENT = "东莞市人民代表大会常务委员会办公室"
COMMANDS = {"loader": loader_main, "review": review_main, "deck": deck.main, "pages": pages_main}


@pytest.fixture(scope="module")
def corpus():
    return load_documents([REFERENCE])


@pytest.fixture
def no_loading(monkeypatch):
    """Reading a document fails the test: the command had to refuse before any work."""

    def refuse(*args, **kwargs):
        raise AssertionError("documents were read before the output was checked")

    monkeypatch.setattr(cli, "load_documents", refuse)


def _stamp(what: str, suffix: str) -> str:
    return f"{DEPARTMENT}_2026_{what}_{date.today().isoformat()}{suffix}"


def _sheets(data: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err


# ---------------------------------------------------------------- what --out writes


def test_workbook_is_the_data_pages_chinese_workbook_named_after_department_year_and_date(tmp_path, corpus, capsys):
    assert loader_main([str(REFERENCE), "--out", str(tmp_path), "--format", "xlsx"]) == 0
    path = tmp_path / _stamp("数据", ".xlsx")
    assert capsys.readouterr().out == f"{path}\n"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    # Built as views/data.py builds its download, for a view without filters.
    app = export.workbook_bytes(
        corpus,
        findings=review.review(corpus),
        rules=review.rules_frame("zh"),
        filters_text="未筛选",
        lang="zh",
        today=date.today(),
    )
    written = _sheets(path.read_bytes())
    assert list(written) == ["说明", "项目", "绩效指标", "审核发现", "审核规则", "解析诊断", "文档"]
    assert written == _sheets(app)
    assert len(written["审核发现"]) == 1 + review.review(corpus).height


def test_lang_en_writes_english_sheet_names(tmp_path):
    assert loader_main([str(REFERENCE), "--out", str(tmp_path), "--format", "xlsx", "--lang", "en"]) == 0
    (path,) = tmp_path.iterdir()
    assert path.name == _stamp("Data", ".xlsx")
    assert list(_sheets(path.read_bytes())) == [
        "About",
        "Projects",
        "Indicators",
        "Review findings",
        "Review rules",
        "Loader diagnostics",
        "Documents",
    ]


def test_lang_schema_keeps_the_schemas_names_with_the_findings(tmp_path, corpus):
    assert loader_main([str(REFERENCE), "--out", str(tmp_path), "--format", "xlsx", "--lang", "schema"]) == 0
    path = tmp_path / _stamp("corpus", ".xlsx")
    sheets = _sheets(path.read_bytes())
    assert list(sheets) == ["about", "projects", "indicators", "findings", "rules", "diagnostics", "documents"]
    findings = pl.read_excel(path, sheet_name="findings", engine="openpyxl")
    assert findings["rule_id"].to_list() == review.review(corpus)["rule_id"].to_list()
    assert pl.read_excel(path, sheet_name="projects", engine="openpyxl")["budget_yuan"].sum() == pytest.approx(
        10_882_500.0
    )


def test_csv_headers_are_chinese_by_default_and_parquet_keeps_the_schema(tmp_path, corpus):
    csv_folder, parquet_folder = tmp_path / "csv", tmp_path / "parquet"
    assert loader_main([str(REFERENCE), "--out", str(csv_folder)]) == 0
    assert loader_main([str(REFERENCE), "--out", str(parquet_folder), "--format", "parquet", "--lang", "zh"]) == 0
    labels = {"documents": "文档", "projects": "项目", "indicators": "绩效指标", "diagnostics": "解析诊断"}
    for name, frame in corpus.frames().items():
        data = (csv_folder / _stamp(labels[name], ".csv")).read_bytes()
        assert data == export.csv_bytes(frame, lang="zh")
        assert_frame_equal(pl.read_parquet(parquet_folder / _stamp(name, ".parquet")), frame)
    header = (csv_folder / _stamp("项目", ".csv")).read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.split(",")[:5] == ["项目编号", "文档编号", "位置", "行号", "项目名称"]


@pytest.mark.parametrize("fmt", ["XLSX", "Csv", "PARQUET"])
def test_format_is_case_insensitive(tmp_path, fmt):
    assert loader_main([str(REFERENCE), "--out", str(tmp_path), "--format", fmt]) == 0
    assert {p.suffix for p in tmp_path.iterdir()} == {f".{fmt.lower()}"}


def test_a_missing_folder_whose_parent_exists_is_made(tmp_path):
    out = tmp_path / "new"
    assert loader_main([str(REFERENCE), "--out", str(out), "--format", "xlsx"]) == 0
    assert [p.name for p in out.iterdir()] == [_stamp("数据", ".xlsx")]


def test_nothing_loaded_writes_nothing(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    assert loader_main([str(empty), "--out", str(out)]) == cli.NOTHING_LOADED
    assert not out.exists()
    assert capsys.readouterr().err.splitlines()[-1] == "error: no project loaded, nothing written"


# ---------------------------------------------------------------- never overwrite without --force


def test_a_second_run_refuses_to_overwrite_and_force_replaces(tmp_path, capsys):
    argv = [str(REFERENCE), "--out", str(tmp_path), "--format", "xlsx"]
    assert loader_main(argv) == 0
    (path,) = tmp_path.iterdir()
    path.write_bytes(b"first run's file")
    capsys.readouterr()
    assert loader_main(argv) == cli.EXISTS
    assert _one_error_line(capsys) == f"error: {path} exists already; give --force to replace it\n"
    assert path.read_bytes() == b"first run's file"
    assert loader_main([*argv, "--force"]) == 0
    assert list(_sheets(path.read_bytes()))[:2] == ["说明", "项目"]


def test_one_existing_file_stops_every_file_of_the_run(tmp_path, capsys):
    taken = tmp_path / _stamp("绩效指标", ".csv")
    taken.write_bytes(b"kept")
    assert loader_main([str(REFERENCE), "--out", str(tmp_path)]) == cli.EXISTS
    assert str(taken) in _one_error_line(capsys)
    assert [p.name for p in tmp_path.iterdir()] == [taken.name]


def test_a_file_that_appears_after_the_check_is_not_replaced_either(tmp_path):
    path = tmp_path / "made.csv"
    path.write_bytes(b"someone else's")
    with pytest.raises(cli.CommandError, match="exists already") as refused:
        cli.write_files({path: lambda: b"ours"}, force=False)
    assert refused.value.status == cli.EXISTS
    assert path.read_bytes() == b"someone else's"
    assert cli.write_files({path: lambda: b"ours"}, force=True) == [path]
    assert path.read_bytes() == b"ours"


def test_deck_refuses_an_existing_file_before_reading_documents(tmp_path, capsys, no_loading):
    out = tmp_path / "deck.pptx"
    out.write_bytes(b"earlier deck")
    assert deck.main([str(REFERENCE), "--out", str(out)]) == cli.EXISTS
    assert str(out) in _one_error_line(capsys)
    assert out.read_bytes() == b"earlier deck"


# ---------------------------------------------------------------- output checked before any work


@pytest.mark.parametrize("command", ["loader", "deck"])
@pytest.mark.parametrize("below", ["file", "missing"])
def test_an_output_that_cannot_be_a_folder_fails_before_reading_documents(tmp_path, capsys, no_loading, command, below):
    blocker = tmp_path / "blocker"
    if below == "file":
        blocker.write_text("a file, not a folder")  # refused even for root
    out = blocker / "out"
    argv = [str(REFERENCE), "--out", str(out / "deck.pptx" if command == "deck" else out)]
    assert COMMANDS[command](argv) == cli.NOT_WRITABLE
    problem = "is not a folder" if below == "file" else "does not exist"
    assert _one_error_line(capsys).endswith(f"{blocker} {problem}\n")
    assert not out.exists()


def test_an_output_path_that_is_a_file_fails(tmp_path, capsys, no_loading):
    out = tmp_path / "out"
    out.write_text("")
    assert loader_main([str(REFERENCE), "--out", str(out)]) == cli.NOT_WRITABLE
    assert _one_error_line(capsys) == f"error: cannot write: {out} is not a folder\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a folder without write permission")
@pytest.mark.parametrize("command", ["loader", "deck"])
def test_a_folder_without_write_permission_fails_before_reading_documents(tmp_path, capsys, no_loading, command):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    out = locked / "deck.pptx" if command == "deck" else locked
    assert COMMANDS[command]([str(REFERENCE), "--out", str(out)]) == cli.NOT_WRITABLE
    assert _one_error_line(capsys).endswith(f"{locked} is not writable\n")


def test_deck_that_cannot_render_its_charts_writes_nothing(tmp_path, capsys, monkeypatch):
    def no_browser(*args, **kwargs):
        raise images.ExportError("charts cannot be rendered: kaleido found no Chromium")

    monkeypatch.setattr(images, "chart_pngs", no_browser)
    assert deck.main([str(REFERENCE), "--out", str(tmp_path)]) == cli.RENDER_FAILED
    assert _one_error_line(capsys) == "error: charts cannot be rendered: kaleido found no Chromium\n"
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- errors and --help, the same everywhere


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ("loader", ["--format", "doc"]),
        ("review", ["--lang", "fr"]),
        ("review", ["--rules", "R99"]),
        ("deck", []),
        ("pages", ["nowhere"]),
        ("loader", ["missing.txt"]),
        ("pages", ["overview", "missing.txt"]),
    ],
)
def test_a_bad_argument_is_one_error_line_and_status_2(command, argv, capsys, no_loading):
    assert COMMANDS[command](argv) == cli.USAGE
    _one_error_line(capsys)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_lists_the_exit_statuses(command, capsys):
    assert COMMANDS[command](["--help"]) == 0
    out = capsys.readouterr().out
    epilog = out[out.index("exit status:") :]
    assert "  0  done" in epilog and "  2  bad arguments" in epilog
    assert ("  4  an output file exists already" in epilog) == (command in ("loader", "deck"))


def test_readme_documents_every_exit_status():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for status in range(6):
        assert f"| {status} |" in readme, status


def test_pages_says_when_nothing_loaded(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert pages_main(["overview", str(empty)]) == cli.NOTHING_LOADED
    assert '"empty": true' in capsys.readouterr().out
