"""Dashboard entry point: loads the default documents and shows their totals."""

from __future__ import annotations

import streamlit as st

from lib.loader import Corpus, default_paths, load_documents


@st.cache_data(show_spinner="正在解析文档…")
def load(files: tuple[tuple[str, bytes], ...]) -> Corpus:
    """Frames for these file bytes; cached by content, so an unchanged file is parsed once."""
    return load_documents(list(files))


st.set_page_config(page_title="部门预算绩效目标", layout="wide")
corpus = load(tuple((p.name, p.read_bytes()) for p in default_paths()))
st.title("部门预算绩效目标")
total_wan = (corpus.projects["budget_yuan"].sum() or 0) / 10_000
columns = st.columns(4)
columns[0].metric("文档", f"{corpus.documents.height:,}")
columns[1].metric("项目", f"{corpus.projects.height:,}")
columns[2].metric("绩效指标", f"{corpus.indicators.height:,}")
columns[3].metric("预算总额（万元）", f"{total_wan:,.2f}")
errors = corpus.diagnostics.filter(corpus.diagnostics["severity"] == "error")
for message in errors["message"]:
    st.error(message)
