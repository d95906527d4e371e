"""Catalogue pages: home, browse and search, publication pages, officer pages."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app import clock, waiting
from app.accounts.models import Role
from app.auth import roles_required
from app.blobs import current_store
from app.errors import Conflict
from app.extensions import db
from app.pagination import offset, page_count, page_number
from catalog import cards, cataloguing, file_versions, http, services
from catalog import series as series_service
from catalog.errors import AccessChangeRefused, IngestRejected, UploadDone
from catalog.forms import (
    ConfirmForm,
    CorrectForm,
    EditForm,
    RecordForm,
    UploadForm,
    WithdrawForm,
)
from catalog.indexing import public_search, search_publication_pages
from catalog.models import Publication, Status, Subject, publication_subjects
from catalog.release import upcoming
from catalog.search import QueryError
from catalog.uploads import (
    discard_upload,
    retry_upload,
    start_correction,
    start_ingest,
    upload_job,
    upload_ways,
)
from catalog.visibility import may_preview, public_clause

bp = Blueprint("catalog", __name__, template_folder="templates")

PER_PAGE = 20
FACET_KEYS = ("subject", "year", "type", "language")


def _is_staff() -> bool:
    return bool(current_user.is_authenticated and current_user.is_staff)


def _get(pub_id: int) -> Publication:
    """The publication as the visitor may see it (404 otherwise)."""
    return services.get_publication(
        db.session(), pub_id, now=clock.now(), staff=_is_staff(), preview=may_preview(current_user)
    )


def _int_arg(name: str, default: int) -> int:
    return page_number(request.args.get(name), default)


def subject_counts(limit: int = 30) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(Subject.name, func.count(Publication.id))
        .join(publication_subjects, publication_subjects.c.subject_id == Subject.id)
        .join(Publication, Publication.id == publication_subjects.c.publication_id)
        .where(public_clause(clock.now()))
        .group_by(Subject.name)
        .order_by(func.count(Publication.id).desc(), Subject.name)
        .limit(limit)
    ).all()
    return [(name, count) for name, count in rows]


@bp.get("/catalog")
def home() -> Any:
    now = clock.now()
    newest = cards.newest(db.session(), now, 8)
    total = db.session.scalar(
        select(func.count()).select_from(Publication).where(public_clause(now))
    )
    return render_template(
        "catalog/home.html", newest=newest, subjects=subject_counts(), total=total or 0
    )


@bp.get("/catalog/search")
def search() -> Any:
    q = (request.args.get("q") or "").strip()[:300]
    filters: dict[str, str | int] = {}
    for key in FACET_KEYS:
        value = (request.args.get(key) or "").strip()[:120]
        if value:
            filters[key] = int(value) if key == "year" and value.isdigit() else value
    sort = "date" if request.args.get("sort") == "date" or not q else "relevance"
    page = _int_arg("page", 1)
    error = None
    results = None
    try:
        results = public_search(
            db.session(),
            clock.now(),
            q,
            filters=filters,
            sort=sort,
            page=page,
            per_page=PER_PAGE,
            # "Search for <the words typed> only", after a typo correction.
            correct=request.args.get("exact") != "1",
        )
    except QueryError:
        error = _("The search words could not be understood. Try fewer special characters.")
    publications: dict[int, Any] = {}
    if results is not None and results.hits:
        ids = [hit.pub_id for hit in results.hits]
        # Rows of the card's columns, not entities: all a card shows (and its cache key).
        rows = db.session.execute(http.public_cards(), {"ids": ids, "now": clock.now()})
        publications = {row.id: row for row in rows}
    pages = page_count(results.total if results else 0, PER_PAGE)
    return render_template(
        "catalog/search.html",
        q=q,
        filters=filters,
        sort=sort,
        results=results,
        publications=publications,
        page=page,
        pages=pages,
        error=error,
    ), (400 if error else 200)  # words the engine cannot take are the reader's to fix


@bp.get("/publications/<int:pub_id>")
def publication(pub_id: int) -> Any:
    item = _get(pub_id)
    found = search_publication_pages(pub_id, request.args.get("q"))
    if found.problem:
        flash(found.problem, "error")
    return render_template(
        "catalog/publication.html",
        pub=item,
        q=found.q,
        page_hits=found.hits,
        # Made for staff only: the form's token would put a session on anonymous pages.
        withdraw_form=WithdrawForm() if _is_staff() else None,
        embargo_until=item.release_at if item.embargoed(clock.now()) else None,
        versions=file_versions.versions(db.session(), pub_id) if may_preview(current_user) else [],
        correction=file_versions.last_correction(db.session(), pub_id),
        correct_form=CorrectForm() if may_preview(current_user) else None,
    )


@bp.get("/catalog/rencana-terbit")
def release_calendar() -> Any:
    """BPS's advance release calendar: what will be released, and when (WIB)."""
    calendar = upcoming(db.session(), clock.now(), page=_int_arg("page", 1), per_page=PER_PAGE)
    return render_template(
        "catalog/release_calendar.html", calendar=calendar, page_links=http.page_links
    )


@bp.get("/publications/<int:pub_id>/cover")
def cover(pub_id: int) -> Any:
    item = _get(pub_id)
    if not item.cover_key:
        abort(404)
    response: Response = send_file(
        current_store().open(item.cover_key),
        mimetype="image/png",
        max_age=86400,
        etag=item.cover_key,
    )
    return response


# --- officer pages -------------------------------------------------------------------


@bp.get("/staff/catalog")
@roles_required(Role.OFFICER)
def staff_list() -> Any:
    page = _int_arg("page", 1)
    query = select(Publication).order_by(Publication.created_at.desc())
    total = db.session.scalar(select(func.count()).select_from(Publication)) or 0
    rows = db.session.scalars(query.limit(PER_PAGE).offset(offset(page, PER_PAGE))).all()
    return render_template(
        "catalog/staff_list.html",
        rows=rows,
        page=page,
        pages=page_count(total, PER_PAGE),
        now=clock.now(),
    )


@bp.route("/staff/catalog/upload", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def upload() -> Any:
    form = UploadForm()
    if form.validate_on_submit():
        storage = form.file.data
        try:
            job = start_ingest(
                db.session(),
                storage.stream,
                filename=storage.filename or "upload.pdf",
                meta=form.metadata(),
                actor_id=current_user.id,
                max_bytes=int(current_app.config["CATALOG_MAX_BYTES"]),
            )
        except IngestRejected as exc:
            form.file.errors = [*form.file.errors, str(exc.message)]
        else:
            return redirect(url_for("admin.job", job_id=job.id))
    status = 422 if form.errors else 200
    return render_template("catalog/upload.html", form=form), status


def upload_panel(job: Any) -> str:
    """The upload's ways out on its job page (see :func:`app.waiting.register_panel`)."""
    ways = upload_ways(db.session(), job, current_user)
    return render_template(
        "catalog/_upload_ways.html", job=job, ways=ways, form=ConfirmForm(formdata=None)
    )


@bp.post("/staff/catalog/uploads/<job_id>/retry")
@roles_required(Role.OFFICER)
def upload_retry(job_id: str) -> Any:
    upload_job(db.session(), job_id)  # 404 for anything but an upload
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please submit it again."), "error")
        return redirect(url_for("admin.job", job_id=job_id))
    try:
        fresh = retry_upload(db.session(), job_id, actor=current_user)
    except Conflict as exc:  # the job runs, its inputs are gone, or another conflict
        flash(str(exc.message), "error")
        return redirect(url_for("admin.job", job_id=job_id))
    flash(_("The uploaded file is being processed again."), "info")
    return redirect(url_for("admin.job", job_id=fresh.id))


@bp.post("/staff/catalog/uploads/<job_id>/discard")
@roles_required(Role.OFFICER)
def upload_discard(job_id: str) -> Any:
    upload_job(db.session(), job_id)
    if ConfirmForm().validate_on_submit():
        try:
            discard_upload(db.session(), job_id, actor=current_user)
        except (waiting.JobRunning, UploadDone) as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("The uploaded file has been discarded."), "success")
    else:
        flash(_("The form has expired. Please submit it again."), "error")
    return redirect(url_for("admin.job", job_id=job_id))


@bp.route("/staff/catalog/new-record", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def new_record() -> Any:
    """Catalogue a printed publication that has no file yet."""
    form = RecordForm()
    form.set_series(series_service.all_series(db.session()))
    if request.method == "GET":
        form.printed.data = True
    if form.validate_on_submit():
        item = cataloguing.create_record(db.session(), form.metadata(), actor_id=current_user.id)
        flash(_("The printed publication is in the catalogue."), "success")
        return redirect(url_for("catalog.publication", pub_id=item.id))
    return render_template("catalog/new_record.html", form=form), 422 if form.errors else 200


@bp.route("/staff/catalog/<int:pub_id>/edit", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def edit(pub_id: int) -> Any:
    item = services.get_publication(db.session(), pub_id, now=clock.now(), staff=True, preview=True)
    form = EditForm(obj=item)
    form.set_series(series_service.all_series(db.session()))
    suggested = None
    if request.method == "GET":
        form.subjects.data = ", ".join(s.name for s in item.subjects)
        form.kind.data, form.access.data = item.kind.value, item.access.value
        if item.series_id is None:  # offer the series the title belongs to
            suggested = series_service.suggest_series(db.session(), item.title)
            form.series_id.data = suggested.id if suggested else None
    if form.validate_on_submit():
        changes = form.metadata()
        changes["release_date"] = changes.pop("rl_date")
        try:
            services.update_publication(db.session(), pub_id, changes, actor_id=current_user.id)
        except AccessChangeRefused as exc:
            form.access.errors = [*form.access.errors, str(exc.message)]
        else:
            flash(_("The publication has been saved."), "success")
            return redirect(url_for("catalog.publication", pub_id=pub_id))
    return render_template(
        "catalog/edit.html", form=form, pub=item, suggested=suggested
    ), 422 if form.errors else 200


@bp.post("/staff/catalog/<int:pub_id>/correct")
@roles_required(Role.OFFICER)
def correct(pub_id: int) -> Any:
    """Replace the file with a corrected one (processed by a job, like an upload)."""
    item = services.get_publication(db.session(), pub_id, now=clock.now(), staff=True, preview=True)
    form = CorrectForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("catalog.publication", pub_id=item.id))
    try:
        job = start_correction(
            db.session(),
            form.file.data.stream,
            pub_id=item.id,
            reason=form.reason.data,
            actor_id=current_user.id,
            max_bytes=int(current_app.config["CATALOG_MAX_BYTES"]),
        )
    except IngestRejected as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("catalog.publication", pub_id=item.id))
    return redirect(url_for("admin.job", job_id=job.id))


@bp.post("/staff/catalog/<int:pub_id>/withdraw")
@roles_required(Role.OFFICER)
def withdraw(pub_id: int) -> Any:
    form = WithdrawForm()
    if form.validate_on_submit():
        services.set_status(
            db.session(),
            pub_id,
            Status.WITHDRAWN,
            actor_id=current_user.id,
            reason=form.reason.data,
        )
        flash(_("The publication has been withdrawn."), "success")
    else:
        flash(_("Give a reason for withdrawing the publication."), "error")
    return redirect(url_for("catalog.publication", pub_id=pub_id))


@bp.post("/staff/catalog/<int:pub_id>/restore")
@roles_required(Role.OFFICER)
def restore(pub_id: int) -> Any:
    # The CSRF token was checked for every form POST by app.security.
    services.set_status(db.session(), pub_id, Status.ACTIVE, actor_id=current_user.id)
    flash(_("The publication is available again."), "success")
    return redirect(url_for("catalog.publication", pub_id=pub_id))
