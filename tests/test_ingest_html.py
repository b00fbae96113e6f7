"""Web pages: the reference as a finance bureau's page, merges, charsets, layout tables, pages without tables."""

from __future__ import annotations

from lib.cli import loader_main

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from lib.testing.forms import to_html
from lib.ingest.grid import Place, Unreadable
from lib.ingest.html import looks_like_html, read_html
from lib.loader import load_documents
from support import REFERENCE

TEXT = REFERENCE.read_text(encoding="utf-8")
#: Columns that say where a record sits in its file, which differs between forms.
_POSITION = ("place", "line", "project_id", "indicator_id", "document_id")


def _without_positions(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.drop([column for column in _POSITION if column in frame.columns])


@pytest.fixture(scope="module")
def pages():
    page = to_html(TEXT, title="2026年东莞市人民代表大会常务委员会办公室部门预算绩效目标批复情况_东莞市财政局")
    return load_documents([("目标.html", page.encode("utf-8")), REFERENCE])


def test_reference_page_parses_exactly_as_its_text(pages):
    html_id, text_id = pages.documents["document_id"].to_list()
    projects = pages.projects.partition_by("document_id", as_dict=True)
    indicators = pages.indicators.with_columns(pl.col("project_id").str.slice(0, 16).alias("document_id"))
    by_document = indicators.partition_by("document_id", as_dict=True)
    assert projects[(html_id,)].height == 15 and by_document[(html_id,)].height == 172
    assert projects[(html_id,)]["budget_yuan"].sum() == pytest.approx(10_882_500.00)
    assert_frame_equal(_without_positions(projects[(html_id,)]), _without_positions(projects[(text_id,)]))
    assert_frame_equal(_without_positions(by_document[(html_id,)]), _without_positions(by_document[(text_id,)]))
    documents = pages.documents.drop("document_id", "source", "form")
    assert documents.row(0) == documents.row(1)  # title, year, department, project count, preamble


def test_page_rows_point_at_table_and_row(pages):
    html_id = pages.documents["document_id"][0]
    first = pages.indicators.filter(pl.col("project_id").str.starts_with(html_id)).row(0, named=True)
    assert (first["name"], first["place"], first["line"]) == ("代表小组活动次数", "表1", 13)  # row 13 of table 1
    last = pages.indicators.filter(pl.col("project_id").str.starts_with(html_id)).row(-1, named=True)
    assert (last["name"], last["place"], last["line"]) == ("预算控制数", "表15", 21)
    # A project starts at its title, a heading of the page's body: paragraph 3 for the first.
    first_project = pages.projects.filter(pl.col("document_id") == html_id).row(0, named=True)
    assert (first_project["place"], first_project["line"]) == ("正文", 3)
    text_id = pages.documents["document_id"][1]
    assert pages.projects.filter(pl.col("document_id") == text_id)["place"].null_count() == 15
    shifted = pages.diagnostics.filter((pl.col("document_id") == html_id) & (pl.col("code") == "shifted_row"))
    assert shifted.height > 0
    assert all(source.startswith("目标.html#表") for source in shifted["source"].to_list())
    # Where it points is in source and line; the message says what, once.
    assert not any(message.startswith("目标.html") for message in shifted["message"])


def test_merged_cells_expand_into_empty_cells_under_and_beside_their_text():
    page = (
        "<table><tr><td rowspan=3>绩效指标</td><td>一级指标</td><td>二级指标</td><td>三级指标</td><td colspan=2>指标值</td></tr>"
        "<tr><td rowspan=2>产出指标</td><td rowspan=2>数量指标</td><td>次数</td><td>64</td><td>64</td></tr>"
        "<tr><td>人数</td><td colspan=2>440</td></tr></table>"
    )
    grid = read_html(page.encode())
    assert [row.cells for row in grid.rows] == [
        ("绩效指标", "一级指标", "二级指标", "三级指标", "指标值"),
        ("", "产出指标", "数量指标", "次数", "64", "64"),
        ("", "", "", "人数", "440"),
    ]
    assert grid.places == [Place(None, 1, 1), Place(None, 1, 2), Place(None, 1, 3)]


def test_cell_paragraphs_breaks_and_nbsp_become_text():
    page = (
        "<html><body><table><tr><td>总体绩效目标</td><td><p>&nbsp;1、组织评选</p><p>2、宣传<br>报道</p></td></tr>"
        "<tr><td>项目名称</td><td>&nbsp;市人大代表\n   履职经费&nbsp;</td></tr></table></body></html>"
    )
    rows = [row.cells for row in read_html(page.encode()).rows]
    assert rows == [("总体绩效目标", "1、组织评选\n2、宣传\n报道"), ("项目名称", "市人大代表履职经费")]


def test_charset_from_the_meta_tag():
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><table><tr><td>项目名称</td><td>镕基金</td></tr></table>'
    # 镕 is outside GB2312: sites that say gb2312 write GBK/GB18030.
    assert read_html(page.encode("gb18030")).rows[0].cells == ("项目名称", "镕基金")


def test_layout_table_is_read_as_text_and_the_tables_inside_it():
    inner = to_html(TEXT.split("\n## ")[0] + "\n## " + TEXT.split("\n## ")[1])
    body = inner.split("<body>")[1].split("</body>")[0]
    page = f"<html><body><table width=960><tr><td>首页 &gt; 通知公告</td></tr><tr><td>{body}</td></tr></table></body></html>"
    corpus = load_documents([("layout.html", page.encode())])
    assert corpus.projects["name"].to_list() == ["市人大代表履职经费"]
    assert corpus.indicators.height == 12
    assert corpus.documents["year"].to_list() == [2026]


def test_page_title_names_the_document_when_the_body_does_not():
    body = TEXT.split("\n## ", 1)[1]
    page = to_html("## " + body, title="2025年东莞市示例局部门预算绩效目标表")
    corpus = load_documents([("t.html", page.encode())])
    assert corpus.documents.select("year", "department").row(0) == (2025, "东莞市示例局")


def test_page_without_tables_is_refused_with_a_reason(tmp_path, capsys):
    page = "<html><head><title>通知</title></head><body><p>2026年部门预算绩效目标见附件。</p><a href='x.pdf'>附件</a></body></html>"
    with pytest.raises(Unreadable) as raised:
        read_html(page.encode())
    assert raised.value.code == "no_table_html" and "附件" in raised.value.message
    path = tmp_path / "notice.html"
    path.write_text(page, encoding="utf-8")
    assert loader_main([str(path)]) == 1
    assert "notice.html: 网页中没有表格" in capsys.readouterr().err


def test_text_document_with_html_in_a_goal_is_not_a_page():
    assert not looks_like_html(TEXT.encode())
    assert looks_like_html(to_html(TEXT).encode())
    assert looks_like_html(b"\xef\xbb\xbf  <HTML><BODY><TABLE>")


def test_broken_markup_never_raises_anything_but_unreadable():
    for page in (
        "<table><tr><td>a<td>b</tr><tr><td rowspan=x>c</table>",
        "<table><td rowspan=99999>x</td></table>",
        "<html><table></td></tr>",
    ):
        try:
            read_html(page.encode())
        except Unreadable:
            pass


def test_page_saved_as_one_file_reads_like_the_page():
    import quopri

    page = to_html(TEXT).encode("utf-8")
    mhtml = (
        b"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://czj.dg.gov.cn/x.html\r\n"
        b"Subject: =?utf-8?Q?2026?=\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary--abc----"\r\n\r\n'
        b"------MultipartBoundary--abc----\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: http://czj.dg.gov.cn/x.html\r\n\r\n"
        + quopri.encodestring(page)
        + b"\r\n------MultipartBoundary--abc------\r\n"
    )
    as_page, as_mhtml = (load_documents([(name, data)]) for name, data in (("a.html", page), ("a.mhtml", mhtml)))
    assert as_mhtml.documents["form"].to_list() == ["html"]
    assert_frame_equal(_without_positions(as_mhtml.projects), _without_positions(as_page.projects))
    assert_frame_equal(_without_positions(as_mhtml.indicators), _without_positions(as_page.indicators))


def test_page_with_a_leading_browser_comment_is_a_page():
    page = "<!-- saved from url=(0040)http://czj.dg.gov.cn/a.html -->\n" + to_html(TEXT)
    corpus = load_documents([("saved.htm", page.encode())])
    assert corpus.documents["form"].to_list() == ["html"] and corpus.projects.height == 15
