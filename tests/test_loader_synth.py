"""The loader against generated documents whose truth is known by construction."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from lib.loader import load_documents
from lib.testing.synth import generate_corpus_with_truth, generate_document_with_truth
from lib.ingest.text import decode
from support import unaccounted_cells

PROJECT_COLUMNS = [
    "name",
    "type",
    "level",
    "department",
    "unit",
    "start_year",
    "end_year",
    "budget_year",
    "budget_yuan",
    "budget_raw",
]
INDICATOR_COLUMNS = ["line", "level1", "level2", "level2_raw", "name", "period_value", "annual_value"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_quirky_generated_document_parses_to_its_truth(seed):
    text, truth = generate_document_with_truth(200, seed=seed)
    corpus = load_documents([(f"synth-{seed}.txt", text.encode())])
    assert_frame_equal(corpus.projects.select(PROJECT_COLUMNS), truth.projects_frame().select(PROJECT_COLUMNS))
    assert_frame_equal(corpus.indicators.select(INDICATOR_COLUMNS), truth.indicators_frame().select(INDICATOR_COLUMNS))
    # A level 2 written before its level 1 has no level 1 on its row: the parser
    # records none rather than borrowing the next row's; elsewhere they agree.
    both = pl.concat(
        [
            corpus.indicators.select("level1_raw"),
            truth.indicators_frame().select(pl.col("level1_raw").alias("expected")),
        ],
        how="horizontal",
    ).filter(pl.col("level1_raw").is_not_null())
    assert (both["level1_raw"] == both["expected"]).all()
    assert corpus.projects["budget_yuan"].sum() == pytest.approx(truth.budget_total_yuan)
    assert unaccounted_cells(text, corpus) == []


def test_generated_corpus_of_many_departments_loads_every_project():
    docs = list(generate_corpus_with_truth(600, seed=3, years=(2025, 2026)))
    corpus = load_documents([(name, text.encode()) for name, text, _ in docs])
    assert corpus.documents.height == len(docs)
    assert corpus.projects.height == 600
    assert corpus.indicators.height == sum(truth.indicator_count for _, _, truth in docs)
    assert corpus.diagnostics.filter(pl.col("severity") == "error").is_empty()
    assert set(corpus.documents["year"].to_list()) == {2025, 2026}


@pytest.mark.parametrize(("encoding", "newline"), [("gb18030", "\r\n"), ("utf-8-sig", "\n")])
def test_generated_document_in_other_encodings(encoding, newline):
    text, truth = generate_document_with_truth(30, seed=5)
    corpus = load_documents([("enc.txt", text.replace("\n", newline).encode(encoding))])
    assert corpus.projects["name"].to_list() == [p.name for p in truth.projects]
    assert corpus.indicators.height == truth.indicator_count
    assert unaccounted_cells(decode(text.encode()).text, corpus) == []


def test_records_turned_into_frames_in_batches_give_the_same_corpus(monkeypatch):
    """The loader builds frames every _BATCH_RECORDS records (memory); the result must not change."""
    from lib import loader

    files = [(name, text.encode()) for name, text, _ in generate_corpus_with_truth(120, seed=5)]
    files.insert(3, ("copy.txt", files[0][1]))  # a file-level diagnostic between batches
    whole = load_documents(files)
    monkeypatch.setattr(loader, "_BATCH_RECORDS", 50)
    batched = load_documents(files)
    assert whole.projects.height == 120
    for name, frame in whole.frames().items():
        assert_frame_equal(batched.frames()[name], frame, check_exact=True)
