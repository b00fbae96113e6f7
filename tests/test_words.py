"""Every word the dashboard shows is in the chosen language; the documents' own words stay as written.

Two kinds of checks. The review's findings: every rule, on the reference,
a synthetic corpus and the single defects of ``test_review``, says what it
found in English with no Chinese left but the document's words (names,
values, quoted goal text). The pages: AppTests walk every page in English
and read every string the app sends to the browser -- titles, captions,
metrics, headers, widget labels, placeholders, options, chart titles and
legends, table headers, the findings' cells -- and find no Chinese in them
once the documents' own text is taken out.

What counts as the documents' text is read from the corpus itself (names,
values, goals, departments, file names), never guessed from the shown
string; project types, levels and categories are left out of it on
purpose, so one shown in Chinese in English mode is caught.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections.abc import Iterable, Iterator
from datetime import date

import polars as pl
import pytest
from pptx import Presentation
from python_calamine import CalamineWorkbook
from streamlit.testing.v1 import AppTest

from lib import export, review
from lib.export import deck
from lib.i18n import TEXT, project_level, project_type
from lib.loader import load_documents
from lib.model.corpus import Corpus
from lib.review.vocabulary import show
from lib.testing.synth import generate_corpus, generate_document, generate_year_pair
from support import REFERENCE, ROOT
from test_review import CLEAN, DEFECTS

APP = str(ROOT / "app.py")
# Ideographs and CJK punctuation, full-width forms included (：，（）、。【】); the
# ideographic space U+3000 is spacing, not a word.
CJK = re.compile(r"[\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\U00020000-\U0002ffff]")
QUOTED = re.compile(r"“([^“”]*)”")
# Columns whose values the app translates (types, levels, categories, kinds):
# never counted as document text, so an untranslated one shows up.
TRANSLATED = {"type", "level", "level1", "level2", "level1_raw", "level2_raw"}


# ---------------------------------------------------------------- what is the documents' text


class DocumentWords:
    """Every string the corpus' documents hold (names, values, goals, departments, files).

    The 一级/二级 cells as written are left out with the translated columns:
    English shows the category the taxonomy read from them.
    """

    def __init__(self, corpus: Corpus) -> None:
        words: set[str] = set()
        for frame in (corpus.documents, corpus.projects, corpus.indicators):
            for column, dtype in frame.schema.items():
                if column in TRANSLATED or column.endswith("_unit") or dtype != pl.String:
                    continue
                values = [v for v in frame[column].drop_nulls().unique().to_list() if v.strip()]
                words.update(values)
                # Findings quote values without the spaces some documents put after ≤.
                words.update(show(v) for v in values)
                if column == "department":
                    # Charts name departments without the place they share: 东莞市教育局 as 教育局.
                    words.update(v[i + 1 :] for v in values for i, c in enumerate(v) if c in "省市区县")
        self.words = sorted(words, key=len, reverse=True)
        self._joined = "\0".join(self.words)

    def holds(self, piece: str) -> bool:
        """Whether ``piece`` is part of some document's text."""
        return bool(piece) and "\0" not in piece and piece in self._joined

    def ours(self, text: str, *, evidence: bool = False) -> str:
        """``text`` with the documents' words blanked out: what is left is the app's own.

        Blanked: every occurrence of a document's string (a name, a value),
        and every “quoted” part that is a piece of a document's text (a
        goal's sentence, a vague word, a name's bracketed note; "…" marks a
        cut), and a piece cut short with "…". With ``evidence`` (a finding's
        evidence column), a text that is all a piece of a document is theirs.
        """
        if evidence and self.holds(text.rstrip("…").strip()):
            return ""
        covered = [False] * len(text)
        for word in (w for w in self.words if w in text):
            start = text.find(word)
            while start >= 0:
                covered[start : start + len(word)] = [True] * len(word)
                start = text.find(word, start + 1)
        for match in QUOTED.finditer(text):
            if self.holds(match.group(1).rstrip("…").strip()):
                covered[match.start() : match.end()] = [True] * (match.end() - match.start())
        for end in (i for i, char in enumerate(text) if char == "…"):
            # The longest piece of a document that ends at the cut.
            start = end
            while start > 0 and self.holds(text[start - 1 : end]):
                start -= 1
            covered[start : end + 1] = [True] * (end + 1 - start)
        return "".join(" " if hidden else char for char, hidden in zip(text, covered))


# The language switch names each language in itself.
OWN_NAMES = {"中文"}


def chinese_left(
    texts: Iterable[tuple[str, str]], words: DocumentWords, *, evidence: bool = False
) -> list[tuple[str, str]]:
    """The (where, text) pairs with Chinese left once the documents' words are blanked out."""
    return [
        (where, text)
        for where, text in texts
        if text not in OWN_NAMES and CJK.search(words.ours(text, evidence=evidence))
    ]


# ---------------------------------------------------------------- the findings


def _defect_corpus() -> Corpus:
    """The single defects test_review plants in a clean project: each rule, each way it speaks."""
    documents = []
    for i, (replacements, _) in enumerate(DEFECTS.values()):
        text = CLEAN
        for old, new in replacements:
            text = text.replace(old, new)
        documents.append((f"defect_{i:02d}.txt", text.encode()))
    return load_documents(documents)


@pytest.fixture(scope="module")
def corpora() -> dict[str, Corpus]:
    synthetic = [(name, text.encode()) for name, text in generate_corpus(300, seed=4)]
    return {
        "reference": load_documents([REFERENCE]),
        "synthetic": load_documents(synthetic),
        "defects": _defect_corpus(),
    }


@pytest.fixture(scope="module")
def findings(corpora) -> dict[str, pl.DataFrame]:
    return {name: review.review(corpus) for name, corpus in corpora.items()}


def test_the_corpora_raise_every_rule(findings):
    raised = set().union(*(set(found["rule_id"]) for found in findings.values()))
    assert raised == {rule.id for rule in review.RULES}


@pytest.mark.parametrize("corpus_name", ["reference", "synthetic", "defects"])
def test_every_finding_is_in_english_but_the_documents_words(corpora, findings, corpus_name):
    found = findings[corpus_name]
    words = DocumentWords(corpora[corpus_name])
    assert found["message_en"].null_count() == 0
    assert (found["detail_en"].is_null() == found["detail"].is_null()).all()
    rows = list(found.iter_rows(named=True))
    left = chinese_left([(row["rule_id"], row["message_en"]) for row in rows], words)
    # The evidence may be all a piece of the document: a goal's sentence (R15).
    left += chinese_left([(row["rule_id"], row["detail_en"]) for row in rows if row["detail_en"]], words, evidence=True)
    assert not left, left[:5]


def test_english_messages_keep_the_documents_numbers_and_names(corpora, findings):
    row = findings["reference"].filter(pl.col("rule_id") == "R09").row(0, named=True)
    assert row["message_en"] == (
        "“费用标准” 760元/天/人 × 950 people (“会议人数（人）”) × 3 days (“会议天数（天）”) = 2,166,000 yuan, "
        "above the project budget of 1,976,800 yuan (1.096 times)"
    )
    # The Chinese message is the one review() always gave.
    assert row["message"].startswith("费用标准 760元/天/人 × 950 人（会议人数（人））")


def test_the_check_sees_an_untranslated_word(corpora):
    words = DocumentWords(corpora["reference"])
    assert not chinese_left([("ok", "“立法基地数量” has the value 1 without a unit")], words)
    assert chinese_left([("left", "“立法基地数量” has the value 1 没有计量单位")], words)
    # A quoted phrase that no document holds is ours, not theirs.
    assert chinese_left([("ours", "the “年度值” is empty")], words)


def test_rules_are_described_in_english_with_only_quoted_examples_in_chinese():
    rules = review.rules_frame("en")
    for row in rules.iter_rows(named=True):
        for column in ("title", "checks", "basis"):
            assert not CJK.search(QUOTED.sub("", row[column])), (row["id"], column, row[column])
    assert rules["checks"].to_list() != review.rules_frame("zh")["checks"].to_list()


def test_in_language_gives_one_message_per_finding(findings):
    found = findings["reference"]
    english, chinese = review.in_language(found, "en"), review.in_language(found, "zh")
    assert english.columns == chinese.columns == [c for c in found.columns if not c.endswith("_en")]
    assert english["message"].to_list() == found["message_en"].to_list()
    assert chinese["message"].to_list() == found["message"].to_list()


def test_standard_types_and_levels_have_english_names_and_others_stay_as_written(corpora):
    types = set().union(*(set(c.projects["type"].drop_nulls()) for c in corpora.values()))
    levels = set().union(*(set(c.projects["level"].drop_nulls()) for c in corpora.values()))
    assert types and levels
    for value in types:
        assert not CJK.search(project_type(value, "en")), value
    for value in levels:
        assert not CJK.search(project_level(value, "en")), value
    assert project_type("某某专项类（试点）", "en") == "某某专项类（试点）"


def test_every_label_has_english():
    assert not [(key, en) for key, (_, en) in TEXT.items() if CJK.search(en)]


def test_the_english_workbook_and_deck_show_findings_types_and_severities_in_english(corpora, findings):
    corpus, found = corpora["reference"], findings["reference"]
    words = DocumentWords(corpus)
    data = export.workbook_bytes(corpus, findings=found, rules=review.rules_frame("en"), lang="en")
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    cells, evidence = [], []
    for sheet in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(sheet).to_python()
        # Columns "as written" and the values' units (元/人/年) are the documents' words; the loader's
        # own diagnostic messages are Chinese, the one part of the workbook left out.
        skip = {c for c, header in enumerate(rows[0]) if str(header).endswith(("as written", " unit"))}
        skip |= {rows[0].index("Message")} if sheet == "Loader diagnostics" else set()
        # A rule's description quotes its examples of the documents' words (checked above).
        shown = (lambda v: QUOTED.sub("", str(v))) if sheet == "Review rules" else str
        found_in = {rows[0].index("Evidence")} if sheet == "Review findings" else set()
        cells += [
            (f"{sheet}!{c}", shown(v))
            for row in rows
            for c, v in enumerate(row)
            if v != "" and c not in skip | found_in
        ]
        evidence += [
            (f"{sheet}!{c}", str(v)) for row in rows[1:] for c, v in enumerate(row) if v != "" and c in found_in
        ]
    assert ("Review findings!5", found["message_en"][0]) in cells
    assert evidence and not chinese_left(evidence, words, evidence=True)
    assert not chinese_left(cells, words), chinese_left(cells, words)[:5]
    deck_bytes = deck.build_deck(corpus, filters_text="", findings=found, lang="en", today=date(2026, 11, 28))
    texts = [
        ("slide", text)
        for slide in Presentation(io.BytesIO(deck_bytes)).slides
        for shape in slide.shapes
        for text in (
            [shape.text_frame.text]
            if shape.has_text_frame
            else [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_table
            else []
        )
        if text
    ]
    assert any(text.startswith("“费用标准” 760元/天/人 × 950 people") for _, text in texts)
    # A message cut to two lines keeps the space it wrapped at.
    assert any("but the 2026 budget is 363,300 yuan" in text for _, text in texts)
    # A goal continued over slides is split mid-sentence: a text box that is wholly a piece of a document is theirs.
    assert not chinese_left(texts, words, evidence=True), chinese_left(texts, words, evidence=True)[:5]


# ---------------------------------------------------------------- the pages, through AppTest

PAGES = [
    "views/overview.py",
    "views/budget.py",
    "views/indicators.py",
    "views/card.py",
    "views/review.py",
    "views/compare.py",
    "views/data.py",
    "views/library.py",
]
# Plotly keys that are shown (titles, names, labels, hover text); ids and parents are not.
_CHART_KEYS = {"text", "name", "title", "labels", "x", "y", "hovertemplate", "hovertext", "customdata", "ticktext"}
_HIDDEN_PROTO_FIELDS = {"id", "form_id", "key", "spec", "columns", "icon", "url_path", "page", "mime", "theme"}
_CELLS = ("severity", "type", "level", "level1", "level2", "annual_kind", "rule_title", "status", "direction")


def _proto_strings(message) -> Iterator[tuple[str, str]]:
    for field, value in message.ListFields():
        repeated = (
            not isinstance(value, (str, bytes)) and not hasattr(value, "ListFields") and hasattr(value, "__len__")
        )
        items = list(value) if repeated else [value]
        if field.type == field.TYPE_STRING and field.name not in _HIDDEN_PROTO_FIELDS:
            yield from ((field.name, item) for item in items if item)
        elif field.type == field.TYPE_MESSAGE:
            for item in items:
                yield from _proto_strings(item)


def _chart_strings(node: object, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in ("ids", "parents", "legendgroup", "uid", "template", "meta"):
                yield from _chart_strings(v, k if k in _CHART_KEYS else key)
    elif isinstance(node, list):
        for item in node:
            yield from _chart_strings(item, key)
    elif isinstance(node, str) and key:
        # A label wrapped with <br> is one text; other markup (a department's grey line) parts texts.
        text = re.sub(r"%\{[^}]*\}", "", node).replace("<br>", "")
        yield from (part for part in re.split(r"<[^>]+>", text) if part.strip())


def shown_strings(at: AppTest) -> list[tuple[str, str]]:
    """Every string the run sent to the browser, with where it came from; table cells of translated columns only."""
    out: list[tuple[str, str]] = []

    def visit(node) -> None:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", type(node).__name__)
        if proto is not None:
            out.extend((f"{kind}.{name}", text) for name, text in _proto_strings(proto))
            if kind == "plotly_chart":
                out.extend(("chart", text) for text in _chart_strings(json.loads(proto.spec)))
            if kind == "arrow_data_frame" or kind == "dataframe":
                config = json.loads(proto.columns or "{}")
                out.extend((f"table header {c}", v["label"]) for c, v in config.items() if v.get("label"))
                frame = node.value
                for column in (c for c in _CELLS if c in frame.columns):
                    out.extend((f"table cell {column}", str(v)) for v in frame[column].dropna().unique())
                if "message" in frame.columns and "rule_id" in frame.columns:
                    out.extend(("finding", str(v)) for v in frame["message"].dropna())
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)  # noqa: SLF001
    return out


@pytest.fixture()
def library(tmp_path, monkeypatch):
    """A library of four documents: the reference, another department, and two years of a third."""
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copy(REFERENCE, directory / REFERENCE.name)
    (directory / "education.txt").write_text(
        generate_document(6, seed=11, department="东莞市教育局", year=2026), encoding="utf-8"
    )
    for name, data in generate_year_pair(8, seed=2, department="东莞市卫生健康局").sources():
        (directory / name).write_bytes(data)
    monkeypatch.setenv("BUDGET_DATA_DIR", str(directory))
    return directory


def _english(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _walk(at: AppTest) -> Iterator[tuple[str, AppTest]]:
    """Every page in turn, and each of the data page's tables and the compare page's modes."""
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        yield page, at
        if page == "views/data.py":
            for frame in ("indicators", "diagnostics", "documents"):
                at.button_group(key="data_frame").set_value(frame).run()
                yield f"{page} {frame}", at
        if page == "views/compare.py" and at.button_group(key="compare_mode").value == "departments":
            at.button_group(key="compare_mode").set_value("years").run()
            yield f"{page} years", at


def test_every_page_in_english_shows_no_chinese_but_the_documents(library):
    words = DocumentWords(load_documents(sorted(library.glob("*.txt"))))
    at = _english()
    sidebar = shown_strings(at)
    assert any(where.startswith("multiselect.options") for where, _ in sidebar), sidebar[:20]
    left = chinese_left(sidebar, words)
    for page, shown in _walk(at):
        left += [(f"{page}: {where}", text) for where, text in chinese_left(shown_strings(shown), words)]
    assert not left, left[:40]


def test_the_review_page_in_english_names_severities_types_and_findings_in_english(library):
    at = _english()
    at.switch_page("views/review.py").run()
    assert at.button_group(key="review_severity").options  # the pills
    table = next(frame.value for frame in at.dataframe if "rule_title" in frame.value.columns)
    assert set(table["severity"]) <= {"High", "Medium", "Low"}
    assert not table["message"].str.contains("缺少|高于|没有").any()
    at.switch_page("views/budget.py").run()
    budget = next(frame.value for frame in at.dataframe if "share" in frame.value.columns)
    assert "Other operating (IT operation and maintenance)" in set(budget["type"])


def test_one_document_compare_page_says_what_comparing_needs_and_where_documents_come_from(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copy(REFERENCE, directory / REFERENCE.name)
    monkeypatch.setenv("BUDGET_DATA_DIR", str(directory))
    for lang, needs, library_label in (
        ("en", "two departments, or of two years of one department", "Library"),
        ("zh", "两个部门的文档，或同一部门两个年度的文档", "文档库"),
    ):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page("views/compare.py").run()
        assert not at.exception
        note = at.info[0].value
        assert needs in note
        assert ("Documents now: 1; departments: 1; years: 1." if lang == "en" else "现有文档 1 份") in note
        links = [el for el in at.get("page_link") if el.proto.label == library_label]
        assert links, [el.proto.label for el in at.get("page_link")]


def test_data_page_names_diagnostic_severities_in_the_chosen_language(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copy(REFERENCE, directory / REFERENCE.name)
    # The reference draws one warning from the loader.
    monkeypatch.setenv("BUDGET_DATA_DIR", str(directory))
    for lang, labels in (("en", {"Info", "Warning", "Error"}), ("zh", {"提示", "警告", "错误"})):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page("views/data.py").run()
        at.button_group(key="data_frame").set_value("diagnostics").run()
        table = next(frame.value for frame in at.dataframe if "code" in frame.value.columns)
        assert len(table) and set(table["severity"]) <= labels, set(table["severity"])


def test_the_sidebars_widgets_speak_the_chosen_language(library):
    at = _english()
    types = at.multiselect(key="f_type")
    assert types.proto.placeholder == "All"
    assert "Other operating (IT operation and maintenance)" in types.options
    uploader = at.get("file_uploader")[0].proto
    assert uploader.label.startswith("Upload documents") and "20 MB" in uploader.help
    # The filters' empty state is "All": Streamlit's English-only "Select all" is switched off.
    assert [select.proto.select_all for select in at.multiselect] == [0] * len(at.multiselect)
    keyword = at.text_input(key="f_q").label
    at.switch_page("views/indicators.py").run()
    search = at.text_input(key="ind_search").label
    assert search == "Find in the table below (indicator, value, category or project)" and search != keyword
