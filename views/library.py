"""文档库 Library: the documents every user sees, this session's uploads, versions, the trash and the audit log."""

from __future__ import annotations

import polars as pl
import streamlit as st

from lib import library, metrics
from lib.ingest.grid import FORMS
from lib.loader import data_dir
from lib.model.corpus import Corpus
from lib.model.money import wan_expr
from lib.store import ACTIONS, STATES, TRASH_DAYS, StoreError
from views import common


@st.cache_resource(max_entries=4)
def _listing(key: str, _corpus: Corpus) -> pl.DataFrame:
    """The library listing, made again only when a document is added, changed or removed.

    Its figures come from the library's corpus as the other pages load it
    (the same cache), not from loading every file again.
    """
    return library.list_documents(data_dir(), corpus=_corpus)


@st.cache_data(max_entries=16, show_spinner=False)
def _preview(name: str, data: bytes, state: str) -> library.Preview:
    """What saving one upload would do; ``state`` (the library's signature) makes a change show at once."""
    return library.preview(name, data, directory=data_dir())


def _client() -> str | None:
    """The address Streamlit reports for this session's browser, for the audit log."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no address is no reason to refuse a change
        return None
    return address if isinstance(address, str) else None


def _who(row: dict) -> str:
    """A document as a person names it: department, year, projects, budget and file."""
    budget = (
        f"{metrics.format_wan(row['budget_yuan'])} {view.label('unit_wan')}"
        if row.get("budget_yuan") is not None
        else "—"
    )
    return view.label(
        "library_document_line", department=row.get("department") or "—", year=row.get("year") or "—",
        projects=row.get("project_count") or 0, budget=budget, file=row.get("label") or row["file"],
    )  # fmt: skip


def _confirm_remove(row: dict) -> None:
    """The body of the confirmation dialog (opened with :func:`st.dialog` in the view's language)."""
    # Document text shown with st.text: never interpreted as markup.
    st.text(_who(row))
    st.caption(view.label("library_remove_note", days=TRASH_DAYS))
    confirm, cancel = st.columns(2)
    if confirm.button(
        view.label("library_remove_confirm"), key="library_remove_confirm", type="primary", icon=":material/delete:"
    ):
        _close_dialog()
        moved = library.remove(row["id"], directory=data_dir(), client=_client())
        st.session_state["_library_message"] = (
            "success" if moved else "error",
            view.label("library_removed" if moved else "library_remove_failed", file=row["file"]),
        )
        st.rerun()
    if cancel.button(view.label("library_cancel"), key="library_remove_cancel"):
        _close_dialog()
        st.rerun()


def _act(change, document: int, done_key: str, file: str) -> None:
    """Restore or purge one document, say how it went on the next run, and rerun."""
    try:
        change(document, directory=data_dir(), client=_client())
        st.session_state["_library_message"] = ("success", view.label(done_key, file=file))
    except StoreError as exc:
        st.session_state["_library_message"] = ("error", str(exc))
    st.rerun()


def _close_dialog() -> None:
    st.session_state.pop("_library_confirm", None)


def _table(frame: pl.DataFrame, *, key: str, extra: dict | None = None) -> None:
    shown = frame.with_columns(wan_expr("budget_yuan").alias("budget_wan"), (pl.col("size") / 1024).alias("size_kb"))
    shown = shown.with_columns(
        pl.col("form").replace_strict({form: view.label(f"form_{form}") for form in FORMS}, default=None),
        pl.col("label").fill_null(""),
    )
    columns = [
        "id",
        "file",
        "label",
        "form",
        "department",
        "year",
        "project_count",
        "budget_wan",
        "diagnostics_count",
        "size_kb",
        "modified",
        *(extra or {}),
    ]
    st.dataframe(
        shown.select(columns),
        key=key,
        hide_index=True,
        column_config={
            "id": st.column_config.NumberColumn(view.label("col_library_id"), format="%d"),
            "file": view.label("col_file"),
            "label": view.label("col_library_label"),
            "form": view.label("col_form"),
            "department": view.label("col_department"),
            "year": st.column_config.NumberColumn(view.label("col_year"), format="%d"),
            "project_count": view.label("col_projects"),
            "budget_wan": st.column_config.NumberColumn(view.label("col_budget_wan"), format="%,.2f"),
            "diagnostics_count": view.label("col_diagnostics"),
            "size_kb": st.column_config.NumberColumn(view.label("col_size"), format="%,.1f"),
            "modified": st.column_config.DatetimeColumn(view.label("col_modified"), format="YYYY-MM-DD HH:mm"),
            **(extra or {}),
        },
    )


view = common.view()
common.presentation_style(view)
st.title(view.label("page_library"))
common.notices(view)
if message := st.session_state.pop("_library_message", None):
    (st.success if message[0] == "success" else st.error)(common.md(message[1]))
for saved in st.session_state.pop("_library_saved", []):
    st.success(common.md(saved))

# ---------------------------------------------------------------- uploads waiting to be saved
pending = common.session_uploads()
if pending:
    st.subheader(view.label("library_uploads"))
    choices: dict[str, str] = {}
    for index, (name, data) in enumerate(pending):
        found = _preview(name, data, repr(view.sources.signature))
        with st.container(border=True):
            st.text(_who({"file": name, "department": found.summary.department, "year": found.summary.year,
                          "project_count": found.summary.project_count, "budget_yuan": found.summary.budget_yuan}))  # fmt: skip
            if not found.ok or found.same is not None:
                (st.info if found.ok else st.error)(common.md(found.message))
                continue
            if not found.versions:
                choices[name] = "add"
                continue
            st.warning(common.md(found.message))
            if found.project_changes is not None:
                counts = dict(found.project_changes.group_by("status").len().iter_rows())
                targets = found.target_changes.height if found.target_changes is not None else 0
                st.caption(
                    view.label(
                        "library_changes",
                        **{s: counts.get(s, 0) for s in ("continued", "new", "ended")},
                        targets=targets,
                    )
                )
                # Projects added or gone, and continued ones whose budget changed: what replacing would change.
                changed = found.project_changes.filter(
                    (pl.col("status") != "continued")
                    | pl.col("earlier_budget_yuan").ne_missing(pl.col("later_budget_yuan"))
                )
                if changed.height:
                    statuses = {s: view.label(f"compare_status_{s}") for s in ("continued", "new", "ended")}
                    st.dataframe(
                        changed.select(
                            pl.col("status").cast(pl.String).replace_strict(statuses, default=None),
                            "name",
                            wan_expr("earlier_budget_yuan").alias("earlier_wan"),
                            wan_expr("later_budget_yuan").alias("later_wan"),
                        ),
                        key=f"library_changes_{index}",
                        hide_index=True,
                        column_config={
                            "status": view.label("compare_status"),
                            "name": view.label("col_name"),
                            "earlier_wan": st.column_config.NumberColumn(
                                view.label("library_budget_before"), format="%,.2f"
                            ),
                            "later_wan": st.column_config.NumberColumn(
                                view.label("library_budget_after"), format="%,.2f"
                            ),
                        },
                    )
            # No choice is made for the user: until one is, the upload waits.
            choices[name] = st.radio(
                view.label("library_choice"), key=f"library_choice_{index}", options=["replace", "keep_both", "cancel"], index=None,
                format_func=lambda c: view.label(f"library_choice_{c}"), horizontal=True,
            )  # fmt: skip
            choices[f"{name}\0replace"] = found.versions[-1]["id"]
    if st.button(view.label("library_save"), key="library_save", icon=":material/save:", type="primary"):
        # Same bytes need no saving and a cancelled version is not saved: both leave the pending list.
        kept = []
        for name, data in pending:
            choice = choices.get(name, "same")
            if choice is None:
                kept.append((name, data))
                continue
            if choice in ("same", "cancel"):
                continue
            result = library.save(name, data, directory=data_dir(), client=_client(),
                                  replace=choices[f"{name}\0replace"] if choice == "replace" else None, keep_both=choice == "keep_both")  # fmt: skip
            if result.ok:
                st.session_state.setdefault("_library_saved", []).append(result.message)
            else:
                st.error(common.md(result.message))
                kept.append((name, data))  # a full disk, say: kept pending, so a retry needs no new upload
        common.keep_uploads(kept)
        if not kept:
            st.rerun()

# ---------------------------------------------------------------- the library
st.subheader(view.label("library_documents"))
shared = common.Sources(view.sources.signature)  # the library's documents, without this session's uploads
# Loaded outside the cached listing: a parse's progress bar must not be replayed with it.
documents = _listing(shared.key, common.load(shared.key, shared))
if documents.is_empty():
    st.info(view.label("library_empty"))
else:
    _table(documents, key="library_table")
    rows = {row["id"]: row for row in documents.iter_rows(named=True)}
    pick, press = st.columns([4, 1], vertical_alignment="bottom")
    # Nothing is chosen until a person chooses: one press must not remove the only document.
    target = pick.selectbox(view.label("library_remove_pick"), list(rows), index=None, format_func=lambda i: _who(rows[i]),
                            key="library_remove_pick", placeholder=view.label("library_pick_placeholder"))  # fmt: skip
    if press.button(
        view.label("library_remove"), key="library_remove", icon=":material/delete:", disabled=target is None
    ):
        st.session_state["_library_confirm"] = target
    # Open while a removal waits for its answer: the dialog's buttons rerun the page, not just the dialog.
    if st.session_state.get("_library_confirm") in rows:
        st.dialog(view.label("library_remove_title"), on_dismiss=_close_dialog)(_confirm_remove)(
            rows[st.session_state["_library_confirm"]]
        )

# ---------------------------------------------------------------- versions
latest = library.versioned(data_dir())
if not latest.is_empty():
    st.subheader(view.label("library_history"))
    names = {
        row["lineage"]: f"{row['department'] or '—'} {row['year'] or ''} · {row['name']}"
        for row in latest.iter_rows(named=True)
    }
    chosen = st.selectbox(
        view.label("library_history_pick"), list(names), format_func=names.get, key="library_history_pick"
    )
    versions = library.history(chosen, directory=data_dir())
    st.dataframe(
        versions.select("id", "name", "state", "added_at", "project_count", "budget_yuan").with_columns(
            pl.col("state").replace_strict({s: view.label(f"library_state_{s}") for s in STATES}),
            pl.col("added_at").str.to_datetime("%Y-%m-%dT%H:%M:%SZ", time_zone="UTC"),
            wan_expr("budget_yuan"),
        ),
        key="library_history_table", hide_index=True,
        column_config={"id": st.column_config.NumberColumn(view.label("col_library_id"), format="%d"), "name": view.label("col_file"),
                       "state": view.label("col_library_state"), "added_at": st.column_config.DatetimeColumn(view.label("col_library_added"), format="YYYY-MM-DD HH:mm"),
                       "project_count": view.label("col_projects"),
                       "budget_yuan": st.column_config.NumberColumn(view.label("col_budget_wan"), format="%,.2f")},
    )  # fmt: skip
    older = {row["id"]: f"#{row['id']} · {row['name']} · {row['added_at'].replace('T', ' ')[:16]}"
             for row in versions.filter(pl.col("state") == "replaced").iter_rows(named=True)}  # fmt: skip
    if older:
        back, press = st.columns([4, 1], vertical_alignment="bottom")
        version = back.selectbox(
            view.label("library_version_pick"), list(older), key="library_version_pick", format_func=older.get
        )
        if press.button(
            view.label("library_restore_version"), key="library_restore_version", icon=":material/history:"
        ):
            _act(library.restore, version, "library_restored", older[version])

# ---------------------------------------------------------------- the trash
library.open_store(data_dir()).purge_expired(client="自动清理")
trashed = library.trash(data_dir())
st.subheader(view.label("library_trash"))
st.caption(view.label("library_trash_note", days=TRASH_DAYS))
if trashed.is_empty():
    st.text(view.label("library_trash_empty"))
else:
    _table(trashed, key="library_trash_table",
           extra={"purge_after": st.column_config.DatetimeColumn(view.label("col_library_purge_after"), format="YYYY-MM-DD")})  # fmt: skip
    bin_rows = {row["id"]: row for row in trashed.iter_rows(named=True)}
    pick, restore_press, purge_press = st.columns([4, 1, 1], vertical_alignment="bottom")
    chosen = pick.selectbox(
        view.label("library_trash_pick"),
        list(bin_rows),
        format_func=lambda i: _who(bin_rows[i]),
        key="library_trash_pick",
    )
    if restore_press.button(view.label("library_restore"), key="library_restore", icon=":material/restore_from_trash:"):
        _act(library.restore, chosen, "library_restored", bin_rows[chosen]["file"])
    # Deleting for good cannot be undone: it takes a tick first.
    sure = st.checkbox(view.label("library_purge_sure"), key="library_purge_sure")
    if purge_press.button(
        view.label("library_purge"), key="library_purge", icon=":material/delete_forever:", disabled=not sure
    ):
        _act(library.purge, chosen, "library_purged", bin_rows[chosen]["file"])

# ---------------------------------------------------------------- the audit log
log = library.audit_log(data_dir())
with st.expander(view.label("library_log", count=log.height)):
    shown_log = (
        log.select("at", "action", "document", "name", "client", "detail", "digest")
        .with_columns(pl.col("action").replace_strict({a: view.label(f"library_action_{a}") for a in ACTIONS}))
        .reverse()
    )
    st.dataframe(
        shown_log, key="library_log_table", hide_index=True,
        column_config={"at": view.label("col_library_at"), "action": view.label("col_library_action"),
                       "document": st.column_config.NumberColumn(view.label("col_library_id"), format="%d"),
                       "name": view.label("col_file"), "client": view.label("col_library_client"),
                       "detail": view.label("col_message"), "digest": view.label("col_library_digest")},
    )  # fmt: skip
    st.download_button(view.label("library_log_csv"), data=("\ufeff" + log.write_csv()).encode("utf-8"), file_name=f"{view.label('library_log_file')}.csv",
                       mime="text/csv", key="library_log_csv", icon=":material/download:")  # fmt: skip
