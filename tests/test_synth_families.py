"""The loader against generated documents of the other template families, whose truth is known by construction.

lib/testing/synth_families.py writes flat, horizons, lead-label, two-row-header,
two-level and department-wide documents with the :class:`~lib.testing.synth.Truth`
they encode; each must parse to
exactly that truth, as text and in the forms the genre is published in (web
page, Word, Excel, and a PDF printed by Chromium).
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
from lib.testing.forms import to_docx, to_html
from playwright.sync_api import Browser, Page
from polars.testing import assert_frame_equal

from lib.testing.forms import write_workbook
from lib.loader import load_documents
from lib.model.corpus import Corpus
from lib.testing.synth_families import (
    TEMPLATES,
    FamilyTruth,
    generate_family_document,
    generate_family_document_with_truth,
)

PROJECT_COLUMNS = [
    "name",
    "type",
    "unit",
    "department",
    "start_year",
    "end_year",
    "budget_year",
    "budget_yuan",
    "budget_raw",
    "goal_period",
    "goal_annual",
]
INDICATOR_COLUMNS = [
    "level1",
    "level2",
    "level1_raw",
    "level2_raw",
    "name",
    "period_value",
    "annual_value",
    "weight",
    "direction",
]
#: What a PDF must give back exactly: goals wrap over lines, so they are left to the other forms.
PDF_PROJECT_COLUMNS = [
    "name",
    "type",
    "unit",
    "department",
    "start_year",
    "end_year",
    "budget_year",
    "budget_yuan",
]

FORMS = {
    "html": lambda text: ("document.html", to_html(text).encode()),
    "docx": lambda text: ("document.docx", to_docx(text)),
    "xlsx": lambda text: ("document.xlsx", write_workbook(text)),
}


def _assert_parses_to_truth(corpus: Corpus, truth: FamilyTruth, *, projects: list[str], indicators: list[str]) -> None:
    assert_frame_equal(corpus.projects.select(projects), truth.projects_frame().select(projects))
    assert corpus.projects["budget_yuan"].to_list() == [p.budget_yuan for p in truth.projects]
    assert corpus.indicators.height == truth.indicator_count
    assert_frame_equal(corpus.indicators.select(indicators), truth.indicators_frame().select(indicators))
    assert corpus.diagnostics.filter(pl.col("severity") == "error").is_empty()


# ---------------------------------------------------------------- the generator


@pytest.mark.parametrize("template", TEMPLATES)
def test_same_arguments_give_the_same_document_and_other_seeds_another(template):
    text, truth = generate_family_document_with_truth(template, 3, seed=7)
    assert generate_family_document(template, 3, seed=7) == text
    assert generate_family_document_with_truth(template, 3, seed=7)[1] == truth
    assert generate_family_document(template, 3, seed=8) != text
    assert text.splitlines()[0] == truth.title
    table = "部门整体支出绩效目标" if template == "department" else "项目支出绩效目标申报表"
    assert truth.title.startswith(f"2021年{truth.department}{table}")


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_indicator_of_the_truth_is_a_row_of_the_text(template):
    text, truth = generate_family_document_with_truth(template, 3, seed=2)
    lines = text.splitlines()
    for project in truth.projects:
        for indicator in project.indicators:
            assert indicator.name in lines[indicator.line - 1].split("\t")


def test_weights_and_directions_only_where_the_layout_has_those_columns():
    for template in TEMPLATES:
        truth = generate_family_document_with_truth(template, 4, seed=1)[1]
        directed = template in ("flat", "two_row_header")
        for weights, directions in zip(truth.weights, truth.directions, strict=True):
            assert all(d is not None for d in directions) == directed, template
            assert all(d is None for d in directions) != directed, template
            # A two-level table has a 分值 column or not; the others always or never.
            if directed or None not in weights:
                assert sum(weights) == 100.0, template
            else:
                assert set(weights) == {None}, template
        if template == "two_level":
            assert {w is None for ws in truth.weights for w in ws} == {True, False}


def test_two_level_files_level_2_by_the_taxonomy_default_and_never_by_the_name():
    for seed in range(6):
        for template in ("two_level", "department"):
            truth = generate_family_document_with_truth(template, 3, seed=seed)[1]
            for project in truth.projects:
                for indicator in project.indicators:
                    if indicator.level1_raw is not None and indicator.level2_raw is None:
                        default = {"满意度指标": "服务对象满意度指标", "成本指标": "经济成本指标"}
                        assert indicator.level2 == default.get(indicator.level1, "未分类")


def test_department_tables_are_one_project_each_typed_department_wide():
    truth = generate_family_document_with_truth("department", 3, seed=3)[1]
    assert [p.type for p in truth.projects] == ["部门整体支出"] * 3
    assert truth.projects[0].unit == truth.projects[0].department == truth.department
    assert {p.department for p in truth.projects} == {truth.department}
    assert len({p.unit for p in truth.projects}) == 3


def test_unknown_template_or_department_is_refused():
    with pytest.raises(ValueError, match="unknown template"):
        generate_family_document("key_value", 1)
    with pytest.raises(ValueError, match="unknown department"):
        generate_family_document("flat", 1, department="某某局")


# ---------------------------------------------------------------- text


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("template", TEMPLATES)
def test_generated_family_document_parses_to_its_truth(template, seed):
    text, truth = generate_family_document_with_truth(template, 4, seed=seed)
    corpus = load_documents([(f"{template}-{seed}.txt", text.encode())])
    document = corpus.documents.row(0, named=True)
    assert (document["title"], document["year"], document["department"]) == (
        truth.title,
        truth.year,
        truth.department,
    )
    _assert_parses_to_truth(corpus, truth, projects=PROJECT_COLUMNS, indicators=["line", *INDICATOR_COLUMNS])


# ---------------------------------------------------------------- published forms


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_generated_family_document_published_as_html_word_or_excel_parses_to_its_truth(template, form, seed):
    text, truth = generate_family_document_with_truth(template, 3, seed=seed)
    corpus = load_documents([FORMS[form](text)])
    _assert_parses_to_truth(corpus, truth, projects=PROJECT_COLUMNS, indicators=INDICATOR_COLUMNS)


@pytest.fixture(scope="module")
def printer(browser: Browser) -> Iterator[Page]:
    """A Chromium page that prints HTML to PDF (skipped without Chromium, an error in CI)."""
    page = browser.new_page()
    yield page
    page.close()


@pytest.mark.parametrize("template", TEMPLATES)
def test_generated_family_document_printed_to_pdf_parses_to_its_truth(printer, template):
    text, truth = generate_family_document_with_truth(template, 2, seed=5)
    printer.set_content(to_html(text))
    corpus = load_documents([("document.pdf", printer.pdf(format="A4"))])
    _assert_parses_to_truth(corpus, truth, projects=PDF_PROJECT_COLUMNS, indicators=INDICATOR_COLUMNS)
