"""What every page shares: the cached loader, the sidebar filters, the URL and chart output.

Every page calls :func:`view` first: it draws the sidebar and returns the
filtered frames. Widget values are kept in ``st.session_state`` (per session,
so one user's filters never reach another's) beside the widgets, because
Streamlit forgets a widget's value on a run that does not draw it. The URL
holds the view: filters are read from ``st.query_params`` on a session's first
run (unknown or malformed values are dropped with a notice) and written back
on every run.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from lib import cache, charts, deck, export, filters, library, metrics, review, schema, uploads
from lib.filters import Filters, FilterOptions
from lib.store import StoreError
from lib.i18n import LANGS, category_columns, t
from lib.loader import Corpus, Progress, combine, data_dir, document_id, load_cells, load_documents

#: Session-state keys of the widgets whose values travel in the URL.
_KEYS = {
    "doc": "f_doc",
    "type": "f_type",
    "level": "f_level",
    "period": "f_period",
    "q": "f_q",
}
_OTHER_PARAMS = ("lang", "present", "project", "budget_min", "budget_max")


@dataclass(frozen=True)
class View:
    """Everything a page needs for one run: data before and after filtering, and how to label it."""

    sources: Sources
    corpus: Corpus
    filtered: Corpus
    filters: Filters
    options: FilterOptions
    lang: str
    present: bool

    def label(self, key: str, **values: object) -> str:
        """The label ``key`` in the view's language."""
        return t(key, self.lang, **values)

    @property
    def made_for(self) -> tuple[str, str, str]:
        """What a chart or an export made from this view depends on: documents, filters, language."""
        return (self.sources.key, repr(self.filters), self.lang)

    @property
    def source(self) -> str:
        """The source documents, for captions: department and year, or file names (as exports say it)."""
        kept = self.corpus if self.filtered.documents.is_empty() else self.filtered
        return export.source_label(kept, lang=self.lang)

    @property
    def palette(self) -> dict[str, str]:
        """Type colours of the whole corpus, so filtering never recolours a type."""
        return charts.type_palette(self.corpus.projects["type"].to_list())

    def filename(self, what: str) -> str:
        """A file name that says what a saved chart shows: department, year, what, date."""
        documents = self.filtered.documents if not self.filtered.documents.is_empty() else self.corpus.documents
        department = documents["department"][0] if documents.height == 1 else None
        year = documents["year"][0] if documents.height >= 1 else None
        return charts.image_filename(department, year, what, today=date.today())


Signature = tuple[tuple[str, int, int], ...]
Uploads = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Sources:
    """The documents of a run: the library's by path, size and time, and this session's uploads."""

    signature: Signature
    uploaded: Uploads = ()

    @functools.cached_property
    def key(self) -> str:
        """One short string for both, the key of the caches below.

        Streamlit hashes a cached function's arguments on every call, entry by
        entry: for a library of 667 documents that took 40 ms a call.
        """
        digest = hashlib.blake2b(repr(self.signature).encode(), digest_size=16)
        for name, data in self.uploaded:
            digest.update(f"\0{name}\0{len(data)}\0".encode())
            digest.update(data)
        return digest.hexdigest()


class _Slot:
    """Where one set of documents' corpus is kept once parsed, with a lock so two sessions parse it once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.corpus: Corpus | None = None


# cache_resource, not cache_data: the frames are never changed, and a copy
# unpickled on every run would cost time and memory on a large corpus. The
# cached function returns an empty slot and the parse happens outside it:
# elements drawn inside a cached function are replayed on every cache hit,
# and the progress bar must show only while files are read.
@st.cache_resource(show_spinner=False, max_entries=8)
def _slot(key: str) -> _Slot:
    return _Slot()


def load(key: str, _sources: Sources) -> Corpus:
    """Frames of the library's documents (keyed by path, size and time) and this session's uploads.

    Library files are keyed by their stat, so a run does not reread or hash
    a large library; the parsed corpus also goes through the disk cache, so
    a restarted server reads Parquet instead of parsing again. A parse shows
    files done of the total and the time left.
    """
    slot = _slot(key)
    if slot.corpus is not None:
        return slot.corpus
    with slot.lock:
        if slot.corpus is None:
            slot.corpus = _parse(_sources)
    return slot.corpus


def _parse(sources: Sources) -> Corpus:
    bar = None

    def report(progress: Progress) -> None:
        nonlocal bar
        if bar is None:
            bar = st.progress(0.0)
        bar.progress(progress.done / max(progress.total, 1), text=progress.describe())

    signature, uploaded = sources.signature, sources.uploaded
    files: list[tuple[str, bytes]] = []
    try:
        for path, _, _ in signature:
            try:
                files.append((Path(path).name, Path(path).read_bytes()))
            except OSError:
                # Gone or unreadable since it was listed: let the loader say so by name.
                return load_documents([Path(p) for p, _, _ in signature] + list(uploaded), progress=report)
        library = cache.load_cached(files, progress=report)
        # Unsaved uploads stay in memory: nothing of them is written to the disk cache.
        return combine(library, load_documents(list(uploaded))) if uploaded else library
    finally:
        if bar is not None:
            bar.empty()


@st.cache_resource(show_spinner="正在审核绩效目标…", max_entries=8)
def review_of(key: str, _sources: Sources) -> pl.DataFrame:
    """Review findings for the same documents as :func:`load`, cached the same way."""
    return review.review(load(key, _sources))


@st.cache_data(show_spinner=False, max_entries=32)
def cells_of(key: str, doc_id: str, source: str, _sources: Sources) -> pl.DataFrame:
    """Where each field of one document was read (:func:`lib.loader.load_cells`), parsed on request.

    The file is found by its name among the run's sources and checked by
    its id (two uploads may share a name); empty when it is gone.
    """
    candidates = [(name, data) for name, data in _sources.uploaded if name == source]
    for path, _, _ in _sources.signature:
        if Path(path).name == source:
            try:
                candidates.append((source, Path(path).read_bytes()))
            except OSError:
                continue
    for name, data in candidates:
        if document_id(data) == doc_id:
            return load_cells([(name, data)])
    return pl.DataFrame(schema=schema.CELLS)


def findings(view: View) -> pl.DataFrame:
    """The findings of the projects the filters keep."""
    kept = view.filtered.projects["project_id"].implode()
    return review_of(view.sources.key, view.sources).filter(pl.col("project_id").is_in(kept))


def library_signature() -> Signature:
    """The library's documents by path, size and modification time: a cheap key for caches."""
    signature = []
    try:
        paths = library.current_paths(data_dir())
    except (StoreError, OSError) as exc:
        # The index is busy or unreadable: say so and show no library rather than a traceback.
        st.error(t("library_unavailable", st.session_state.get(_canonical("lang")) or "zh", reason=md(str(exc))))
        return ()
    for path in paths:
        try:
            stat = path.stat()
            signature.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            signature.append((str(path), -1, 0))
    return tuple(signature)


def _take_uploads() -> None:
    """Keep accepted uploads in the session (the uploader forgets them on a page switch)."""
    kept: dict[str, tuple[str, bytes]] = dict(st.session_state.get("_uploads", {}))
    messages = []
    files = st.session_state.get("uploader") or []
    for upload, check in zip(files, uploads.validate_uploads((f.name, f.getvalue()) for f in files)):
        if check.ok:
            data = upload.getvalue()
            kept[document_id(data)] = (upload.name, data)
        if not check.ok:
            messages.append(check.message)
    st.session_state["_uploads"] = kept
    st.session_state["_upload_messages"] = messages


def session_uploads() -> list[tuple[str, bytes]]:
    """The documents this session uploaded (not yet in the library)."""
    return list(st.session_state.get("_uploads", {}).values())


def keep_uploads(kept: list[tuple[str, bytes]]) -> None:
    """Keep only these of this session's uploads (the others were saved, or dropped)."""
    st.session_state["_uploads"] = {document_id(data): (name, data) for name, data in kept}
    st.session_state["_upload_messages"] = []


def clear_uploads() -> None:
    st.session_state["_uploads"] = {}
    st.session_state["_upload_messages"] = []


def _canonical(key: str) -> str:
    return f"_c_{key}"


def widget(factory, label: str, *, key: str, **kwargs):
    """A widget whose value lives in a session key of its own, so it survives page switches.

    Streamlit drops a widget's state when a run does not draw it; every page
    draws the sidebar anew, so the value is kept beside the widget and handed
    back to it on each run.
    """
    st.session_state[key] = st.session_state[_canonical(key)]

    def keep() -> None:
        st.session_state[_canonical(key)] = st.session_state[key]

    return factory(label, key=key, on_change=keep, **kwargs)


def set_value(key: str, value: object) -> None:
    """Change a widget's value from code (a callback), e.g. the card's previous/next buttons."""
    st.session_state[_canonical(key)] = value


def get_value(key: str) -> object:
    """The current value of a widget drawn with :func:`_widget`."""
    return st.session_state.get(_canonical(key))


def settings() -> tuple[str, bool]:
    """Language and presentation mode, read from the URL on a session's first run.

    ``app.py`` needs them before any page runs, to title the navigation.
    """
    if _canonical("lang") not in st.session_state:
        ignored: list[str] = []
        lang = st.query_params.get("lang")
        if lang is not None and lang not in LANGS:
            ignored.append(f"lang={lang}")
        present = st.query_params.get("present")
        if present is not None and present not in ("0", "1"):
            ignored.append(f"present={present}")
        st.session_state[_canonical("lang")] = lang if lang in LANGS else "zh"
        st.session_state[_canonical("present")] = present == "1"
        st.session_state["_url_ignored"] = ignored
    return st.session_state[_canonical("lang")], bool(st.session_state[_canonical("present")])


def _first_run_from_url(options: FilterOptions) -> None:
    """Seed the filters from the URL once per session; remember what was ignored."""
    if _canonical(_KEYS["type"]) in st.session_state:
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    flat = {key: values if len(values) > 1 or key in _KEYS else values[0] for key, values in params.items()}
    seeded, ignored = filters.validate(flat, options)
    for name, value in (
        ("doc", list(seeded.documents)),
        ("type", list(seeded.types)),
        ("level", list(seeded.levels)),
        ("period", list(seeded.periods)),
        ("q", seeded.keyword),
    ):
        st.session_state[_canonical(_KEYS[name])] = value
    st.session_state[_canonical("f_budget")] = seeded.budget_wan or options.budget_wan
    st.session_state["_url_project"] = st.query_params.get("project")
    known = set(_KEYS) | set(_OTHER_PARAMS)
    ignored.extend(f"{key}={','.join(values)}" for key, values in params.items() if key not in known)
    st.session_state["_url_ignored"] = st.session_state.get("_url_ignored", []) + ignored


def _reset(options: FilterOptions) -> None:
    for key in (_KEYS["doc"], _KEYS["type"], _KEYS["level"], _KEYS["period"]):
        set_value(key, [])
    set_value(_KEYS["q"], "")
    set_value("f_budget", options.budget_wan)


def write_url(view: View) -> None:
    params: dict[str, str | list[str]] = dict(filters.to_params(view.filters))
    if view.lang != "zh":
        params["lang"] = view.lang
    if view.present:
        params["present"] = "1"
    project = get_value("project")
    if project:
        params["project"] = str(project)
    current = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    wanted = {key: value if isinstance(value, list) else [value] for key, value in params.items()}
    if current != wanted:
        st.query_params.from_dict(params)


def view() -> View:
    """Draw the shared sidebar (language, filters, count, reset) and return this run's view.

    Every page calls this first; the filtered frames come from here only.
    """
    lang, _ = settings()
    sources = Sources(library_signature(), tuple(session_uploads()))
    corpus = load(sources.key, sources)
    # Two versions of one department's year are not twice the budget: the latest counts unless asked otherwise.
    older = filters.superseded(corpus.documents, corpus.projects)
    if older.height and not get_value("show_versions"):
        corpus = filters.without_documents(corpus, older["document_id"].to_list())
    st.session_state["_superseded"] = older.rows(named=True)
    options = filters.filter_options(corpus)
    _first_run_from_url(options)
    low, high = options.budget_wan
    stored = get_value("f_budget")
    # A range that spanned all budgets keeps spanning them when uploads widen them.
    spanned_all = stored is not None and tuple(stored) == tuple(st.session_state.get("_budget_bounds", stored))
    if not stored or spanned_all or not (low <= stored[0] <= stored[1] <= high):
        set_value("f_budget", (low, high))
    st.session_state["_budget_bounds"] = (low, high)
    with st.sidebar:
        widget(
            st.segmented_control,
            t("language", lang),
            key="lang",
            options=LANGS,
            format_func={"zh": "中文", "en": "English"}.get,
            required=True,
        )
        lang = st.session_state["lang"]
        widget(st.toggle, t("presentation_mode", lang), key="present")
        st.header(t("filters", lang))
        all_label = t("filter_all", lang)
        widget(
            st.multiselect,
            t("filter_document", lang),
            key=_KEYS["doc"],
            options=list(options.documents),
            format_func=options.documents.get,
            placeholder=all_label,
        )
        widget(st.multiselect, t("filter_type", lang), key=_KEYS["type"], options=options.types, placeholder=all_label)
        widget(
            st.multiselect, t("filter_level", lang), key=_KEYS["level"], options=options.levels, placeholder=all_label
        )
        widget(
            st.multiselect,
            t("filter_period", lang),
            key=_KEYS["period"],
            options=options.periods,
            format_func=lambda p: t(f"period_{p}", lang),
            placeholder=all_label,
        )
        if high > low:
            widget(st.slider, t("filter_budget", lang), key="f_budget", min_value=low, max_value=high, format="%.2f")
        widget(st.text_input, t("filter_keyword", lang), key=_KEYS["q"])
        if older.height:
            st.session_state.setdefault(_canonical("show_versions"), False)
            widget(
                st.toggle,
                t("show_versions", lang, count=older.height),
                key="show_versions",
                help=t("show_versions_help", lang),
            )
    budget = tuple(get_value("f_budget"))
    chosen = Filters(
        documents=tuple(get_value(_KEYS["doc"])),
        types=tuple(get_value(_KEYS["type"])),
        levels=tuple(get_value(_KEYS["level"])),
        periods=tuple(get_value(_KEYS["period"])),
        budget_wan=budget if budget != tuple(options.budget_wan) else None,
        keyword=str(get_value(_KEYS["q"])).strip(),
    )
    filtered = filters.apply_filters(corpus, chosen)
    result = View(sources, corpus, filtered, chosen, options, lang, bool(get_value("present")))
    with st.sidebar:
        st.caption(result.label("shown_count", shown=filtered.projects.height, total=corpus.projects.height))
        st.button(
            result.label("filter_reset"), key="reset", on_click=_reset, args=(options,), icon=":material/restart_alt:"
        )
        st.divider()
        st.file_uploader(
            result.label("upload_label"),
            accept_multiple_files=True,
            key="uploader",
            on_change=_take_uploads,
            help=result.label("upload_help", mb=uploads.MAX_BYTES // (1024 * 1024), files=uploads.MAX_FILES),
        )
        for message in st.session_state.get("_upload_messages", []):
            st.error(md(message))
        if session_uploads():
            st.caption(result.label("upload_count", count=len(session_uploads())))
            st.button(
                result.label("upload_clear"), key="upload_clear", on_click=clear_uploads, icon=":material/delete_sweep:"
            )
    write_url(result)
    return result


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)|@")


def md(text: str | None) -> str:
    """Document or URL text made literal for widgets that render Markdown (headers, alerts, help).

    Markdown characters are escaped, and a zero-width space goes inside
    "http", "www" and "@", which Markdown would otherwise turn into links
    even when escaped.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")
    return _AUTOLINK.sub(lambda m: m.group(0)[0] + "\u200b" + m.group(0)[1:], escaped)


def notices(view: View) -> None:
    """Show once per page what the URL had that was ignored, and whether files failed to load."""
    ignored = st.session_state.get("_url_ignored")
    if ignored:
        st.info(view.label("ignored_params", params=md("; ".join(ignored))), icon=":material/link_off:")
    older = st.session_state.get("_superseded") or []
    if older:
        # Names are document text: escaped, never markup.
        lines = "\n".join(
            f"- {md(row['department'])} {row['year']}："
            + view.label("versions_line", current=md(row["current"]), older=md(row["source"]))
            for row in older
        )
        key = "versions_shown" if get_value("show_versions") else "versions_hidden"
        st.info(f"{view.label(key)}\n\n{lines}", icon=":material/history:")
    errors = view.corpus.diagnostics.filter(pl.col("severity") == "error")["message"]
    if errors.len():
        # The reasons themselves (a scan needing OCR, an old .doc): a person can act on them here.
        shown = "\n".join(f"- {md(message)}" for message in errors.head(_ERRORS_SHOWN).to_list())
        more = (
            view.label("load_errors_more", count=errors.len() - _ERRORS_SHOWN) if errors.len() > _ERRORS_SHOWN else ""
        )
        st.warning(f"{view.label('load_errors')}\n\n{shown}{more}", icon=":material/warning:")


#: Error diagnostics named on every page; the Data page lists them all.
_ERRORS_SHOWN = 5


def presentation_style(view: View) -> None:
    """In presentation mode hide the sidebar and enlarge the text for a projector."""
    if not view.present:
        return
    # Static CSS of our own; no document text is ever rendered as HTML.
    st.html(
        "<style>"
        "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'] {display: none;}"
        ".stApp {font-size: 1.25rem;}"
        "[data-testid='stMetricValue'] {font-size: 3rem;}"
        "</style>"
    )


def caption(view: View) -> str:
    """The caption under every chart: source document and active filters."""
    described = filters.describe(view.filters, view.options, lang=view.lang)
    return f"{view.label('caption_source', source=view.source)}　·　{view.label('caption_filters', filters=described)}"


#: Charts with one row per project show at most this many, the largest.
PER_PROJECT_ROWS = 30


def largest(view: View, projects: pl.DataFrame, indicators: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The largest projects for a one-row-per-project chart, with a note when some are left out."""
    kept, kept_indicators = metrics.largest_projects(projects, indicators, n=PER_PROJECT_ROWS)
    if kept.height < projects.height:
        st.caption(view.label("largest_only", n=kept.height, total=projects.height))
    return kept, kept_indicators


#: Tables show at most this many rows: every row of a table goes to the
#: browser, and the indicators of 10,000 projects are over 20 MB. Downloads
#: always hold every row.
TABLE_ROWS = 1_000
#: The card page's project selector lists at most this many projects, the
#: largest: every option goes to the browser on every run (10,000 names
#: were 428 KB).
SELECT_PROJECTS = 1_000


def table(
    view: View,
    frame: pl.DataFrame,
    *,
    key: str,
    download: str | None = None,
    full: pl.DataFrame | None = None,
    **options,
):
    """``st.dataframe`` of ``frame``'s first :data:`TABLE_ROWS` rows, saying so when rows are left out.

    The frame comes sorted as the table should read; a selection's row
    numbers are those of ``frame``. When rows are left out and ``download``
    names the table, a CSV of every row (of ``full``, if given, else of
    ``frame``) is offered beside the note; pages with downloads of their own
    leave it out. Returns ``st.dataframe``'s value.
    """
    event = st.dataframe(frame.head(TABLE_ROWS), key=key, hide_index=True, **options)
    if frame.height <= TABLE_ROWS:
        return event
    note = view.label("table_capped", shown=TABLE_ROWS, total=frame.height)
    if download:
        _caption_with_download(
            note,
            label=view.label("export_csv"),
            data=lambda: export.csv_bytes(frame if full is None else full, lang=view.lang),
            file_name=f"{view.filename(download)}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/description:",
        )
    else:
        st.caption(note)
    return event


def _caption_with_download(text: str, *, label: str, data, file_name: str, mime: str, key: str, icon: str) -> None:
    """A caption with a small download button at its right; the file is made only when pressed."""
    note, button = st.columns([5, 1], vertical_alignment="center")
    note.caption(text)
    button.download_button(
        label, data=data, file_name=file_name, mime=mime, key=key, type="tertiary", icon=icon, on_click="ignore"
    )


# cache_resource: a figure is shared, never copied, and never changed after it
# is built (show_chart and the PNG export work on copies).
@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(key: str, made_for: tuple, _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


def show_chart(view: View, key: str, build: Callable[[], go.Figure], *depends: object) -> None:
    """Draw a chart with its caption and a server-rendered PNG download.

    ``build`` makes the figure from the view; it runs once per documents,
    filters, language and ``depends`` (the page's own widget values the chart
    uses), because building and validating a Plotly figure is most of a
    page's server time (about 75 ms of the overview's 100 at 10,000
    projects). ``build`` must not draw anything: on a cached run it does not
    run at all.

    The camera button saves a 2x PNG named after the chart's title; the PNG
    button renders the chart at 1920×1080 with the caption inside the image,
    only when clicked. The chart also joins the page's "all charts" zip.
    """
    figure = _figure(key, (*view.made_for, depends), build)
    what = re.sub(r"<[^>]+>", "", figure.layout.title.text or key)
    st.session_state.setdefault("_page_charts", {})[key] = (what, figure)
    shown = figure
    if view.present:
        # A copy: the zip and the PNG download keep the figure at its normal size.
        shown = go.Figure(figure).update_layout(font_size=18, title_font_size=26)
    st.plotly_chart(shown, key=key, config=charts.chart_config(view.filename(what)))
    text = caption(view)
    _caption_with_download(
        text,
        label=view.label("export_png"),
        data=lambda: export.chart_png(figure, caption=text),
        file_name=f"{view.filename(what)}.png",
        mime="image/png",
        key=f"{key}_png",
        icon=":material/image:",
    )


def prepared_download(view: View, *, key: str, label: str, build, file_name: str, mime: str) -> None:
    """A button that builds an export with visible progress, then offers the file.

    The file is built once, on request, and kept for this session until the
    documents, filters or language change (a stale file is never offered).
    Its bytes belong to the session's page, so Streamlit keeps them until
    the next run; a deferred ``download_button(data=callable)`` file is
    unreferenced and swept when any two sessions finish a run, which under
    load can happen before the browser fetches it (found by bench/load.py).
    A failure is shown with its reason and the page stays as it was.
    """
    made_for = view.made_for
    if st.button(label, key=f"{key}_build", icon=":material/build:"):
        with st.status(view.label("export_working"), expanded=False) as status:
            try:
                st.session_state[f"_{key}"] = (made_for, build())
            except (export.ExportError, OSError, RuntimeError, ValueError) as exc:
                status.update(label=view.label("export_failed", reason=str(exc)), state="error")
                return
            status.update(label=view.label("export_ready"), state="complete")
    kept = st.session_state.get(f"_{key}")
    if kept is not None and kept[0] == made_for:
        st.download_button(
            view.label("export_download", file=file_name),
            kept[1],
            file_name=file_name,
            mime=mime,
            key=key,
            icon=":material/download:",
            on_click="ignore",
        )


def charts_zip_button(view: View, page_key: str) -> None:
    """Offer every chart drawn on this page as PNGs in one zip."""
    items = list(st.session_state.get("_page_charts", {}).values())
    if not items:
        return
    documents = view.filtered.documents if not view.filtered.documents.is_empty() else view.corpus.documents
    department = documents["department"][0] if documents.height == 1 else None
    year = documents["year"][0] if documents.height >= 1 else None
    prepared_download(
        view,
        key=f"zip_{page_key}",
        label=view.label("export_zip", count=len(items)),
        build=lambda: export.charts_zip(
            items, caption=caption(view), department=department, year=year, today=date.today()
        ),
        file_name=f"{view.filename(view.label(page_key))}.zip",
        mime="application/zip",
    )


def deck_button(view: View) -> None:
    """Build the meeting deck for the current filters."""
    prepared_download(
        view,
        key="deck",
        label=view.label("export_deck"),
        build=lambda: deck.build_deck(
            view.filtered,
            filters_text=filters.describe(view.filters, view.options, lang=view.lang),
            findings=findings(view),
            lang=view.lang,
            today=date.today(),
        ),
        file_name=f"{view.filename(view.label('export_deck_name'))}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    )


def page_header(view: View, title_key: str) -> bool:
    """Title, notices and presentation style; False when no project is left after filtering."""
    st.session_state["_page_charts"] = {}
    presentation_style(view)
    if view.present:
        st.button(
            view.label("presentation_exit"),
            key="present_exit",
            on_click=set_value,
            args=("present", False),
            icon=":material/close_fullscreen:",
        )
    st.title(view.label(title_key))
    notices(view)
    if view.filtered.projects.is_empty():
        st.warning(view.label("no_projects"), icon=":material/filter_alt_off:")
        return False
    return True


_INDICATOR_LABELS = {
    "project": "col_name",
    "level1": "col_level1",
    "level2": "col_level2",
    "name": "col_indicator",
    "period_value": "col_period_value",
    "annual_value": "col_annual_value",
    "annual_kind": "col_kind",
    "annual_op": "col_op",
    "annual_number": "col_number",
    "annual_unit": "col_unit_value",
    "place": "col_place",
    "line": "col_line",
}


def indicator_table(
    view: View, indicators: pl.DataFrame, *, key: str, columns: list[str], download: str | None = None
) -> None:
    """Indicators with their project's name, categories in the view's language and labelled columns.

    Shown through :func:`table`, so at most :data:`TABLE_ROWS` rows, in the
    indicators' order; ``download`` as there, with every indicator column.
    """
    names = view.filtered.projects.select("project_id", pl.col("name").alias("project"))
    joined = indicators.join(names, on="project_id", maintain_order="left")
    frame = joined.select(columns)
    translated = [c for c in ("level1", "level2", "annual_kind") if c in columns]
    # A few distinct values in many rows: each is translated once.
    frame = frame.with_columns(category_columns(frame, translated, view.lang))
    config: dict[str, object] = {c: view.label(_INDICATOR_LABELS[c]) for c in columns}
    if "annual_number" in columns:
        config["annual_number"] = st.column_config.NumberColumn(view.label("col_number"), format="%,.2f")
    if "line" in columns:
        config["line"] = st.column_config.NumberColumn(view.label("col_line"), format="%d")
    table(view, frame, key=key, download=download, full=joined, column_config=config)


def findings_download(view: View, found: pl.DataFrame, rules: pl.DataFrame) -> None:
    """The findings workbook, named with the document and date, built when asked for.

    Building it on every run would cost seconds on a large corpus although
    nobody asked; see :func:`prepared_download` for why it is not a
    deferred download.
    """
    described = filters.describe(view.filters, view.options, lang=view.lang)
    prepared_download(
        view,
        key="review_download",
        label=view.label("review_download"),
        build=lambda: export.workbook_bytes(
            view.filtered,
            findings=found,
            rules=rules.rename({"rule_id": "id"}) if "rule_id" in rules.columns else rules,
            filters_text=described,
            lang=view.lang,
        ),
        file_name=f"{view.filename(view.label('page_review'))}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
