"""Tables at more rows than they show: the first TABLE_ROWS rows, a note with the total, downloads with every row."""

from __future__ import annotations

import io
from collections.abc import Callable

import polars as pl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest, app_test

from lib import metrics, review
from lib.loader import load_documents
from lib.testing.synth import write_corpus
from views.common import SELECT_PROJECTS, TABLE_ROWS
from support import ROOT

APP = str(ROOT / "app.py")
PROJECTS = 1_010


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """A library of 1,010 synthetic projects, and its corpus as the loader reads it."""
    directory = tmp_path_factory.mktemp("data")
    paths = write_corpus(directory, PROJECTS, seed=4)
    return directory, load_documents(paths)


@pytest.fixture()
def large(library, monkeypatch, tmp_path):
    directory, corpus = library
    monkeypatch.setenv("BUDGET_DATA_DIR", str(directory))
    monkeypatch.setenv("BUDGET_CACHE_DIR", str(tmp_path / "cache"))
    return corpus


def _page(path: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _notes(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if c.value.startswith(("显示前", "Showing the first"))]


def _download_keys(at: AppTest) -> list[str]:
    return [b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")]


@pytest.fixture()
def downloads(monkeypatch) -> dict[str, Callable[[], bytes]]:
    """The callables behind this test's deferred download buttons, by file id."""
    made: dict[str, Callable[[], bytes]] = {}

    class Recording(MediaFileManager):
        def add_deferred(self, data_callable, *args, **kwargs):
            file_id = super().add_deferred(data_callable, *args, **kwargs)
            made[file_id] = data_callable
            return file_id

    # AppTest makes a media manager of this name for every run.
    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return made


def _downloaded_csv(at: AppTest, downloads: dict[str, Callable[[], bytes]], key: str) -> pl.DataFrame:
    """What pressing the download button ``key`` gives, read back as a frame."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    content = downloads[button.proto.deferred_file_id]()
    return pl.read_csv(io.BytesIO(content.removeprefix(b"\xef\xbb\xbf")), infer_schema=False)


def test_table_rows_cap_is_a_thousand():
    assert TABLE_ROWS == 1_000


def test_budget_table_shows_the_largest_thousand_projects_and_offers_all_as_csv(large, downloads):
    at = _page("views/budget.py")
    table = at.dataframe[0].value
    expected = metrics.allocation_table(large.projects).head(TABLE_ROWS)
    assert len(table) == TABLE_ROWS
    assert table["name"].tolist() == expected["name"].to_list()
    assert table["budget_wan"].tolist() == expected["budget_wan"].to_list()
    assert _notes(at) == ["显示前 1,000 行，共 1,010 行；完整数据请下载。"]
    csv = _downloaded_csv(at, downloads, "budget_table_csv")
    # The corpus spans departments: the table names each project's and its share of it.
    assert large.projects["department"].n_unique() > 1
    assert csv.columns == ["项目名称", "部门", "项目类型", "预算（万元）", "占比", "部门内占比", "累计占比"]
    assert csv["项目名称"].to_list() == metrics.allocation_table(large.projects)["name"].to_list()


def test_indicator_search_table_offers_every_indicator_as_csv(large, downloads):
    at = _page("views/indicators.py")
    assert len(at.dataframe[0].value) == TABLE_ROWS
    assert _notes(at) == [f"显示前 1,000 行，共 {large.indicators.height:,} 行；完整数据请下载。"]
    csv = _downloaded_csv(at, downloads, "ind_table_csv")
    assert csv["指标编号"].to_list() == large.indicators["indicator_id"].to_list()
    # Every indicator with its project's name, which the table shows too.
    names = dict(large.projects.select("project_id", "name").iter_rows())
    assert csv["项目名称"].to_list() == [names[p] for p in large.indicators["project_id"]]


def test_data_page_caps_projects_and_indicators_and_keeps_every_row_for_download(large, downloads):
    at = _page("views/data.py")
    projects = at.dataframe[0].value
    assert len(projects) == TABLE_ROWS
    # In the frames' own order: document, then line.
    assert projects["name"].tolist() == large.projects["name"].head(TABLE_ROWS).to_list()
    assert _notes(at) == [f"显示前 1,000 行，共 {PROJECTS:,} 行；完整数据请下载。"]
    # The page's own downloads (workbook, CSV, Parquet) hold every row of the table shown; no extra button.
    assert not [key for key in _download_keys(at) if key.endswith("_csv") and key != "data_csv"]
    assert _downloaded_csv(at, downloads, "data_csv")["项目编号"].to_list() == large.projects["project_id"].to_list()

    downloads.clear()
    at.segmented_control(key="data_frame").set_value("indicators").run()
    assert [len(table.value) for table in at.dataframe] == [TABLE_ROWS]
    assert at.dataframe[0].value["name"].tolist() == large.indicators["name"].head(TABLE_ROWS).to_list()
    assert _notes(at) == [f"显示前 1,000 行，共 {large.indicators.height:,} 行；完整数据请下载。"]
    assert (
        _downloaded_csv(at, downloads, "data_csv")["指标编号"].to_list() == large.indicators["indicator_id"].to_list()
    )


def test_review_table_caps_the_findings_in_severity_order(large):
    found = review.review(large)
    assert found.height > TABLE_ROWS
    at = _page("views/review.py")
    table = at.dataframe[0].value
    assert len(table) == TABLE_ROWS
    assert _notes(at) == [f"显示前 1,000 行，共 {found.height:,} 行；完整数据请下载。"]
    assert next(m.value for m in at.metric if m.label == "审核意见") == f"{found.height:,}"
    # 高 first: the rows left out are the least severe.
    high = found.filter(found["severity"] == "高").height
    assert table["severity"].tolist()[: min(high, TABLE_ROWS)] == ["高"] * min(high, TABLE_ROWS)
    # A row still knows its project, for opening the card from a selection.
    assert set(table["project_id"]) <= set(large.projects["project_id"])


def test_cap_note_in_english(large):
    at = _page("views/budget.py", lang="en")
    assert _notes(at) == ["Showing the first 1,000 of 1,010 rows; download for the complete data."]


def test_reference_tables_are_whole_without_a_note():
    at = _page("views/budget.py")
    assert len(at.dataframe[0].value) == 15
    assert _notes(at) == []
    assert not any(key.endswith("budget_table_csv") for key in _download_keys(at))


def test_card_selector_lists_the_largest_projects_and_keeps_the_chosen_one(large):
    at = _page("views/card.py")
    selector = at.selectbox(key="project")
    largest = large.projects.top_k(SELECT_PROJECTS, by="budget_yuan")["project_id"].to_list()
    assert len(selector.options) == SELECT_PROJECTS
    names = dict(large.projects.select("project_id", "name").iter_rows())
    assert sorted(selector.options) == sorted(names[i] for i in largest)
    assert f"列表中是预算最大的 1,000 个项目（共 {PROJECTS:,} 个）" in " ".join(c.value for c in at.caption)
    # A small project opened from the URL (as from the review page) is listed and shown.
    smallest = large.projects.sort("budget_yuan")["project_id"][0]
    at = _page("views/card.py", project=smallest)
    assert at.subheader[0].value == names[smallest]
    assert at.selectbox(key="project").value == smallest
    assert len(at.selectbox(key="project").options) == SELECT_PROJECTS + 1
