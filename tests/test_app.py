"""AppTests: every page runs, shows values computed from the reference document, and keeps the view in the URL."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from support import ROOT

APP = str(ROOT / "app.py")
PAGES = ["views/overview.py", "views/budget.py", "views/indicators.py", "views/card.py", "views/data.py"]
IT_TYPE = "其他运转类（信息化运维类）"


# Streamlit 1.67 does not resend the sidebar's unchanged elements on a rerun of a
# multipage app, so AppTest's tree holds them after the first run only: tests
# interact with the sidebar right after the first run and read state afterwards.


def _app(**params: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def _metric(at: AppTest, label: str) -> str:
    matches = [m.value for m in at.metric if m.label == label]
    assert matches, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return matches[0]


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page):
    at = _app()
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value


def test_overview_shows_totals_of_the_reference_document():
    at = _app()
    at.run()
    assert not at.exception
    assert _metric(at, "预算总额（万元）") == "1,088.25"
    assert _metric(at, "项目数") == "15"
    assert _metric(at, "绩效指标数") == "172"
    # 人代会 1,976,800 of 10,882,500.
    assert _metric(at, "最大项目占比") == "18.16%"
    bars = _charts(at)[0]["data"]
    assert sum(sum(trace["x"]) for trace in bars if trace.get("orientation") == "h") == pytest.approx(1088.25)


def test_type_filter_shows_three_projects_and_writes_the_url():
    at = _app()
    at.run()
    at.multiselect(key="f_type").set_value([IT_TYPE]).run()
    assert _metric(at, "项目数") == "3"
    assert _metric(at, "预算总额（万元）") == "65.92"
    assert at.query_params["type"] == IT_TYPE


def test_url_parameters_reproduce_the_filters():
    at = _app(type=IT_TYPE, q="数字人大")
    at.run()
    assert not at.exception
    assert at.multiselect(key="f_type").value == [IT_TYPE]
    assert at.text_input(key="f_q").value == "数字人大"
    assert _metric(at, "项目数") == "2"


def test_unknown_and_malformed_parameters_are_ignored_with_a_notice():
    at = _app(type="不存在的类型", lang="fr", budget_min="abc", colour="red")
    at.run()
    assert not at.exception
    assert _metric(at, "项目数") == "15"
    notice = at.info[0].value
    for fragment in ("不存在的类型", "lang=fr", "colour=red"):
        assert fragment in notice


def test_reset_button_clears_every_filter():
    at = _app(type=IT_TYPE)
    at.run()
    at.button(key="reset").click().run()
    assert _metric(at, "项目数") == "15"
    assert at.session_state["f_type"] == []
    assert "type" not in at.query_params


def test_english_switch_translates_labels():
    at = _app(lang="en")
    at.run()
    assert _metric(at, "Total budget (10k yuan)") == "1,088.25"
    assert at.title[0].value == "Overview"


def test_budget_page_table_shares_sum_to_one():
    at = _app()
    at.run()
    at.switch_page("views/budget.py").run()
    table = at.dataframe[0].value
    assert len(table) == 15
    assert table["share"].sum() == pytest.approx(1.0)
    assert table["budget_wan"].sum() == pytest.approx(1088.25)


def test_indicator_page_sunburst_counts_all_indicators():
    at = _app()
    at.run()
    at.switch_page("views/indicators.py").run()
    sunburst = next(c for c in _charts(at) if c["data"][0]["type"] == "sunburst")["data"][0]
    roots = [v for v, p in zip(sunburst["values"], sunburst["parents"]) if p == ""]
    assert sum(roots) == 172


def test_card_page_follows_the_url_and_steps_with_buttons():
    at = _app()
    at.run()
    at.switch_page("views/card.py").run()
    first = at.selectbox(key="project").value
    at.button(key="card_next").click().run()
    second = at.selectbox(key="project").value
    assert second != first
    assert at.query_params["project"] == second
    assert at.subheader[0].value == "财政预算审查经费"


def test_card_page_opens_the_project_named_in_the_url():
    from lib.loader import load_documents

    projects = load_documents().projects
    meeting = projects.filter(projects["name"] == "人代会")["project_id"][0]
    at = _app(project=meeting)
    at.run()
    at.switch_page("views/card.py").run()
    assert at.subheader[0].value == "人代会"
    assert _metric(at, "预算金额（万元）") == "197.68"


def test_data_page_lists_diagnostics_with_lines():
    at = _app()
    at.run()
    at.switch_page("views/data.py").run()
    assert len(at.dataframe) == 1, "one table at a time: the projects"
    assert len(at.dataframe[0].value) == 15
    at.segmented_control(key="data_frame").set_value("diagnostics").run()
    assert len(at.dataframe) == 1
    diagnostics = at.dataframe[0].value
    assert len(diagnostics) == 19
    assert 259 in diagnostics["line"].tolist()


def test_indicator_table_search_finds_satisfaction_indicators():
    at = _app()
    at.run()
    at.switch_page("views/indicators.py").run()
    at.text_input(key="ind_search").set_value("满意度").run()
    table = at.dataframe[0].value
    from lib.loader import load_documents

    indicators = load_documents().indicators
    expected = indicators.filter(
        indicators["name"].str.contains("满意度")
        | indicators["level1"].cast(str).str.contains("满意度")
        | indicators["level2"].cast(str).str.contains("满意度")
    ).height
    assert len(table) == expected
    assert set(table["level1"]) <= {"满意度指标", "产出指标", "效益指标", "成本指标"}


def test_filtered_overview_keeps_type_colours():
    at = _app(type=IT_TYPE)
    at.run()
    bars = _charts(at)[0]["data"]
    colours = {
        c
        for trace in bars
        for c in (
            trace["marker"]["color"] if isinstance(trace["marker"]["color"], list) else [trace["marker"]["color"]]
        )
    }
    assert colours == {"#999933"}


def test_review_page_counts_the_reference_findings_and_offers_the_workbook():
    from lib import review
    from lib.loader import load_documents

    expected = review.review(load_documents())
    at = _app()
    at.run()
    at.switch_page("views/review.py").run()
    assert not at.exception
    assert _metric(at, "审核意见") == str(expected.height)
    assert _metric(at, "高") == str(expected.filter(expected["severity"] == "高").height)
    table = at.dataframe[0].value
    assert len(table) == expected.height
    # The unit cost × quantity finding of 人代会 is listed with its numbers.
    assert any("760元/天/人 × 950 人" in m and "216.60 万元" in m for m in table["message"])
    # The workbook is built on request, then offered (one file per filter state).
    assert not at.get("download_button") or all("xlsx" not in b.proto.label for b in at.get("download_button"))
    at.button(key="review_download_build").click().run()
    assert not at.exception
    offered = [b for b in at.get("download_button") if b.proto.label.endswith(".xlsx")]
    assert len(offered) == 1 and "审核发现" in offered[0].proto.label
    # A change of filter withdraws it: it was made for the other projects.
    at.multiselect(key="f_type").set_value([IT_TYPE]).run()
    assert not at.exception
    assert at.multiselect(key="f_type").value == [IT_TYPE]
    assert not [b for b in at.get("download_button") if b.proto.label.endswith(".xlsx")]


def test_review_page_follows_the_filters():
    at = _app(type=IT_TYPE)
    at.run()
    at.switch_page("views/review.py").run()
    table = at.dataframe[0].value
    assert set(table["project"]) <= {
        "东莞市人大常委会预算联网监督系统运营服务项目",
        "市人大常委会办公室“数字人大”运维项目",
        "市人大常委会办公室“数字人大”升级改造项目",
    }
    assert len(table) > 0


def test_card_shows_the_project_findings_and_marks_flagged_indicators():
    from lib.loader import load_documents

    projects = load_documents().projects
    meeting = projects.filter(projects["name"] == "人代会")["project_id"][0]
    at = _app(project=meeting)
    at.run()
    at.switch_page("views/card.py").run()
    texts = [t.value for t in at.text]
    assert any(t.startswith("【高】R09") and "216.60 万元" in t for t in texts)
    table = at.dataframe[0].value
    assert table.loc[table["name"] == "费用标准", "flags"].item() == "R09"


def test_overview_prepares_the_meeting_deck_with_progress():
    import io

    from pptx import Presentation

    at = _app()
    at.run()
    at.button(key="deck_build").click().run()
    assert not at.exception
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith("deck") or "pptx" in b.proto.label]
    assert buttons, [b.proto.label for b in at.get("download_button")]
    _, data = at.session_state["_deck"]  # (made for, bytes)
    deck = Presentation(io.BytesIO(data))
    texts = [shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame]
    assert any("东莞市人民代表大会常务委员会办公室" in text for text in texts)
    assert len(deck.slides) > 15


def test_a_chart_is_built_once_per_view_and_again_when_the_filters_change(tmp_path, monkeypatch):
    # The figure cache is keyed by documents, filters and language; a library of
    # the test's own gives this test keys no other test has filled.
    import shutil

    from lib import charts
    from support import REFERENCE

    shutil.copy(REFERENCE, tmp_path / REFERENCE.name)
    monkeypatch.setenv("BUDGET_DATA_DIR", str(tmp_path))
    built: list[int] = []
    original = charts.budget_by_project

    def counting(projects, **kwargs):
        built.append(projects.height)
        return original(projects, **kwargs)

    monkeypatch.setattr(charts, "budget_by_project", counting)

    def bar_total(at: AppTest) -> float:
        return sum(sum(trace["x"]) for trace in _charts(at)[0]["data"] if trace.get("orientation") == "h")

    at = _app()
    at.run()
    assert built == [15]
    assert bar_total(at) == pytest.approx(1088.25)
    at.multiselect(key="f_type").set_value([IT_TYPE]).run()
    assert built == [15, 3]
    assert bar_total(at) == pytest.approx(65.92)
    at.run()
    assert built == [15, 3]
    assert bar_total(at) == pytest.approx(65.92)

    again = _app()
    again.run()
    assert built == [15, 3], "a second session with the same documents and filters reuses the figure"
    assert bar_total(again) == pytest.approx(1088.25)


def test_card_says_which_cell_of_the_file_each_field_was_read_from():
    at = _app()
    at.run()
    at.switch_page("views/card.py").run()
    assert [e.label for e in at.expander] == ["数据出处（文件、行、列）"]
    cells = at.dataframe[-1].value
    # The first project, 市人大代表履职经费: its name is line 9, column 2 of the reference text.
    project = cells[cells["item"] == "（项目）"]
    assert project.iloc[0][["label", "source", "line", "column"]].tolist() == [
        "项目名称",
        "000_a5ef52d3e8690c0f.txt",
        9,
        2,
    ]
    assert "主管部门" in project["label"].tolist() and "年度目标" in project["label"].tolist()
    first = cells[cells["item"] == "代表小组活动次数"]
    assert first[["label", "line", "column"]].values.tolist() == [
        ["一级指标", 21, 2],
        ["二级指标", 21, 3],
        ["三级指标", 21, 4],
        ["实施周期指标值", 21, 5],
        ["年度指标值", 21, 6],
    ]


def test_data_page_has_no_place_column_for_text_files():
    at = _app()
    at.run()
    at.switch_page("views/data.py").run()
    assert "place" not in at.dataframe[0].value.columns


def test_a_file_that_does_not_load_is_named_in_the_pages_notice(tmp_path, monkeypatch):
    import shutil

    from support import REFERENCE

    shutil.copy(REFERENCE, tmp_path / REFERENCE.name)
    (tmp_path / "空白.txt").write_bytes(b"")
    monkeypatch.setenv("BUDGET_DATA_DIR", str(tmp_path))
    at = _app()
    at.run()
    assert not at.exception
    assert _metric(at, "项目数") == "15"
    warnings = [w.value for w in at.warning]
    # Markdown-escaped on the page (document text is data): compare without the escapes.
    assert any("空白.txt: 文件为空，未载入任何项目" in w.replace("\\", "") for w in warnings), warnings


def test_presentation_mode_links_the_pages_around_and_enlarges_every_text():
    at = _app(present="1")
    at.switch_page("views/budget.py").run()
    assert not at.exception
    links = [(el.proto.label, el.proto.page) for el in at.get("page_link")]
    assert [label for label, _ in links] == ["总览", "指标体系"]
    # Every text of every chart at least 24 px (12 pt on a 1920-wide slide), titles 40 px.
    for chart in _charts(at):
        layout = chart["layout"]
        assert layout["font"]["size"] >= 24 and layout["title"]["font"]["size"] >= 40
        for axis in (key for key in layout if key.startswith(("xaxis", "yaxis"))):
            assert layout[axis]["tickfont"]["size"] >= 24, axis
        for trace in chart["data"]:
            size = trace.get("textfont", {}).get("size")
            if size is not None:
                assert min(size if isinstance(size, list) else [size]) >= 24, trace["type"]
    at.switch_page("views/overview.py").run()
    assert [el.proto.label for el in at.get("page_link")] == ["预算分配"]
