"""The loader against generated documents of the other template families, whose truth is known by construction.

lib/synth_families.py writes flat, horizons, lead-label and two-row-header
documents with the :class:`~lib.synth.Truth` they encode; each must parse to
exactly that truth, as text and in the forms the genre is published in (web
page, Word, Excel, and a PDF printed by Chromium).
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
from forms import to_docx, to_html
from playwright.sync_api import Browser, Page
from polars.testing import assert_frame_equal

from lib.excel import write_workbook
from lib.loader import Corpus, load_documents
from lib.synth_families import (
    TEMPLATES,
    FamilyTruth,
    generate_family_document,
    generate_family_document_with_truth,
)

PROJECT_COLUMNS = [
    "name",
    "unit",
    "department",
    "start_year",
    "end_year",
    "budget_year",
    "budget_yuan",
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


def _assert_parses_to_truth(
    corpus: Corpus, truth: FamilyTruth, *, projects: list[str], indicators: list[str]
) -> None:
    assert_frame_equal(corpus.projects.select(projects), truth.projects_frame().select(projects))
    assert corpus.projects["budget_yuan"].to_list() == [p.budget_yuan for p in truth.projects]
    assert corpus.indicators.height == truth.indicator_count
    assert_frame_equal(
        corpus.indicators.select(indicators), truth.indicators_frame().select(indicators)
    )
    assert corpus.diagnostics.filter(pl.col("severity") == "error").is_empty()


# ---------------------------------------------------------------- the generator


@pytest.mark.parametrize("template", TEMPLATES)
def test_same_arguments_give_the_same_document_and_other_seeds_another(template):
    text, truth = generate_family_document_with_truth(template, 3, seed=7)
    assert generate_family_document(template, 3, seed=7) == text
    assert generate_family_document_with_truth(template, 3, seed=7)[1] == truth
    assert generate_family_document(template, 3, seed=8) != text
    assert text.splitlines()[0] == truth.title
    assert truth.title.startswith(f"2021年{truth.department}项目支出绩效目标申报表")


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_indicator_of_the_truth_is_a_row_of_the_text(template):
    text, truth = generate_family_document_with_truth(template, 3, seed=2)
    lines = text.splitlines()
    for project in truth.projects:
        for indicator in project.indicators:
            assert indicator.name in lines[indicator.line - 1].split("\t")


def test_weights_and_directions_only_where_the_layout_has_those_columns():
    for template in TEMPLATES:
        frame = generate_family_document_with_truth(template, 2, seed=1)[1].indicators_frame()
        weighted = template in ("flat", "two_row_header")
        assert frame["weight"].is_not_null().all() == weighted, template
        assert frame["direction"].is_not_null().all() == weighted, template
        if weighted:
            by_project = frame.group_by("project_name").agg(pl.col("weight").sum())
            assert by_project["weight"].to_list() == [100.0] * by_project.height


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
    _assert_parses_to_truth(
        corpus, truth, projects=PROJECT_COLUMNS, indicators=["line", *INDICATOR_COLUMNS]
    )


# ---------------------------------------------------------------- published forms


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_generated_family_document_published_as_html_word_or_excel_parses_to_its_truth(
    template, form, seed
):
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
    _assert_parses_to_truth(
        corpus, truth, projects=PDF_PROJECT_COLUMNS, indicators=INDICATOR_COLUMNS
    )
