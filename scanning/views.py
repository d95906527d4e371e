"""Scanning pages: officers scan hardcopy into the catalogue, readers ask for scans.

Officers choose a scanner and its settings, scan (a job: thumbnails appear as pages
arrive, ``scan.js`` polls :func:`batch_state`), rotate, reorder, rescan or delete
pages, then finish: OCR and ingest run as a job whose page ends with a link to the
publication. Readers ask for a scan of some pages of a printed publication and follow
their requests; officers answer them from the scan-request queue. Everything works
without JavaScript too (plain forms, and the page refreshes itself while scanning).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

import scanning.batches
import scanning.errors
import scanning.pages
import scanning.requests
from app import clock, jobs, waiting
from app.accounts.models import Role
from app.auth import roles_required
from app.blobs import current_store
from app.extensions import db
from app.idempotency import AlreadySubmitted
from app.pagination import page_count, page_number
from catalog.models import Publication
from catalog.services import get_publication
from library.downloads import start_scan_download
from library.errors import AlreadyRequested, IllegalTransition, LibraryError, RecordNotFound
from library.http import cache_dir, download_response
from library.models import ScanStatus
from library.request_pages import decline_request
from scanning.forms import (
    ConfirmForm,
    DeclineForm,
    FinishForm,
    NewBatchForm,
    ScanRequestForm,
    ScanSettingsForm,
)

bp = Blueprint(
    "library_scan",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/scanning",
)

PER_PAGE = 20
PAGE_ACTIONS = ("rotate-left", "rotate-right", "up", "down", "first", "last", "delete", "rescan")


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "scan_status_label": scanning.requests.status_label,
        "scan_time": lambda iso: datetime.fromisoformat(iso) if iso else None,
    }


def _root() -> Any:
    return scanning.batches.scans_root()


def _int_arg(name: str, default: int = 1) -> int:
    return page_number(request.args.get(name), default)


def _pages(total: int) -> int:
    return page_count(total, PER_PAGE)


# --- readers ---------------------------------------------------------------------------


@bp.route("/library/publications/<int:pub_id>/scan-requests/new", methods=["GET", "POST"])
@login_required
def request_new(pub_id: int) -> Any:
    pub = get_publication(db.session(), pub_id, now=clock.now())
    if not scanning.requests.has_printed_copy(db.session(), pub):
        flash(_("This publication has no printed copy to scan."), "error")
        return redirect(url_for("catalog.publication", pub_id=pub_id))
    form = ScanRequestForm()
    if form.validate_on_submit():
        try:
            scanning.requests.create_request(
                db.session(),
                reader=current_user._get_current_object(),
                publication_id=pub_id,
                pages=form.pages.data,
                purpose=form.purpose.data,
                max_pages=int(current_app.config["SCAN_REQUEST_MAX_PAGES"]),
                now=clock.now(),
                submission=form.submission_token,
            )
        except AlreadySubmitted as exc:
            # Sent twice: the first post's request is in the list.
            flash(str(exc.message), "info")
            return redirect(url_for("library_scan.my_requests"))
        except (AlreadyRequested, LibraryError) as exc:
            form.pages.errors = [*form.pages.errors, str(exc.message)]
        else:
            flash(
                _(
                    "Your request has been sent. An officer scans the pages; you get an email "
                    "when you can download them."
                ),
                "success",
            )
            return redirect(url_for("library_scan.my_requests"))
    status = 422 if form.errors else 200
    return render_template("scanning/request_new.html", pub=pub, form=form), status


@bp.post("/library/scan-requests/<int:request_id>/download")
@login_required
def download(request_id: int) -> Any:
    """The scanned pages, stamped for whoever downloads them: the reader who asked or
    an officer (another reader gets 403, an unfinished request 404)."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please submit it again."), "error")
        return redirect(url_for("library_desk.my_requests", _anchor="scan-title"))
    prepared = start_scan_download(
        db.session(),
        current_store(),
        user=current_user._get_current_object(),
        request_id=request_id,
        office=current_app.config["OFFICE_NAME"],
        cache_dir=cache_dir(),
        now=clock.now(),
        channel="web",
        ip=request.remote_addr,
        user_agent=request.user_agent.string,
    )
    return download_response(prepared)


@bp.get("/library/scan-requests")
@login_required
def my_requests() -> Any:
    page = _int_arg("page")
    rows, total = scanning.requests.reader_requests(
        db.session(), current_user.id, page=page, per_page=PER_PAGE
    )
    return render_template("scanning/my_requests.html", rows=rows, page=page, pages=_pages(total))


# --- officers: scan requests -----------------------------------------------------------


@bp.get("/staff/library/scan-requests")
@roles_required(Role.OFFICER)
def request_queue() -> Any:
    page = _int_arg("page")
    open_only = request.args.get("show") == "open"
    rows, total = scanning.requests.queue(
        db.session(), page=page, per_page=PER_PAGE, open_only=open_only
    )
    return render_template(
        "scanning/request_queue.html",
        rows=rows,
        page=page,
        pages=_pages(total),
        open_only=open_only,
    )


def _request_page(
    request_id: int, *, decline_form: DeclineForm | None = None, status: int = 200
) -> Any:
    item = scanning.requests.get_request(db.session(), request_id)
    job = db.session.get(jobs.Job, item.job_id) if item.job_id else None
    batches = [
        b
        for b in scanning.pages.list_batches(_root())
        if b["target"].get("kind") == "scan_request" and b["target"].get("request_id") == item.id
    ]
    return render_template(
        "scanning/request_detail.html",
        item=item,
        job=job,
        batches=batches,
        decline_form=decline_form or DeclineForm(formdata=None),
        new_form=NewBatchForm(formdata=None),
    ), status


@bp.get("/staff/library/scan-requests/<int:request_id>")
@roles_required(Role.OFFICER)
def request_detail(request_id: int) -> Any:
    return _request_page(request_id)


@bp.post("/staff/library/scan-requests/<int:request_id>/decline")
@roles_required(Role.OFFICER)
def request_decline(request_id: int) -> Any:
    scanning.requests.get_request(db.session(), request_id)
    return decline_request(
        scanning.requests.decline, request_id, "library_scan.request_detail", _request_page
    )


# --- officers: scanning ----------------------------------------------------------------


def _target_from_args(source: Any) -> dict[str, Any]:
    """The target a new batch answers: ?scan_request=ID, ?softcopy_request=ID,
    ?publication=ID (the digital copy of a print-only record) or new."""
    value = source.get("publication")
    if value:
        try:
            return {"kind": "publication", "publication_id": int(value)}
        except ValueError:
            abort(404)
    for kind, arg in (("scan_request", "scan_request"), ("softcopy", "softcopy_request")):
        value = source.get(arg)
        if value:
            try:
                return {"kind": kind, "request_id": int(value)}
            except ValueError:
                abort(404)
    return {"kind": "new"}


def _describe_target(target: dict[str, Any]) -> dict[str, Any]:
    """What the page says about a batch's target, with a link."""
    from library import softcopy

    kind = target.get("kind")
    if kind == "publication":
        record = db.session.get(Publication, target["publication_id"])
        if record is None:
            return {"kind": kind, "label": _("A catalogue record (gone)"), "url": None}
        return {
            "kind": kind,
            "label": _("The digital copy of: %(title)s", title=record.title),
            "url": url_for("catalog.publication", pub_id=record.id),
        }
    if kind == "scan_request":
        try:
            item = scanning.requests.get_request(db.session(), target["request_id"])
        except RecordNotFound:
            return {"kind": kind, "label": _("A reader's scan request (gone)"), "url": None}
        return {
            "kind": kind,
            "label": _(
                "Scan request of %(name)s: %(title)s, pages %(pages)s",
                name=item.user.full_name,
                title=item.publication.title,
                pages=item.pages,
            ),
            "url": url_for("library_scan.request_detail", request_id=item.id),
            "pages": item.pages,
        }
    if kind == "softcopy":
        try:
            soft = softcopy.get_request(db.session(), target["request_id"])
        except RecordNotFound:
            return {"kind": kind, "label": _("A softcopy request (gone)"), "url": None}
        return {
            "kind": kind,
            "label": _(
                "Softcopy request of %(name)s: %(title)s",
                name=soft.user.full_name,
                title=soft.title,
            ),
            "url": url_for("library_desk.softcopy_detail", request_id=soft.id),
        }
    return {
        "kind": "new",
        "label": _("A new publication: %(title)s", title=target.get("title"))
        if target.get("title")
        else _("A new publication (title not given yet)"),
        "url": None,
    }


@bp.get("/staff/library/scan")
@roles_required(Role.OFFICER)
def index() -> Any:
    target = _target_from_args(request.args)
    batches = scanning.pages.list_batches(_root())
    open_requests, open_total = scanning.requests.queue(db.session(), per_page=5, open_only=True)
    return render_template(
        "scanning/index.html",
        batches=[(b, _describe_target(b["target"])) for b in batches],
        target=target,
        target_info=_describe_target(target) if target["kind"] != "new" else None,
        form=NewBatchForm(formdata=None),
        open_requests=open_requests,
        open_total=open_total,
    )


@bp.post("/staff/scanning/new")
@roles_required(Role.OFFICER)
def new_batch() -> Any:
    form = NewBatchForm()
    target = _target_from_args(request.form)
    if not form.validate_on_submit():
        flash(_("The form has expired. Please submit it again."), "error")
        return redirect(url_for("library_scan.index"))
    if target["kind"] == "new":
        target["title"] = form.title.data
    elif target["kind"] == "scan_request":
        item = scanning.requests.get_request(db.session(), target["request_id"])
        if item.status != ScanStatus.OPEN:
            flash(_("This request is not open any more."), "error")
            return redirect(url_for("library_scan.request_detail", request_id=item.id))
    try:
        scanning.batches.check_target(db.session(), target)
    except scanning.errors.BatchInvalid as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("library_scan.index"))
    settings = scanning.batches.default_settings(current_app.config)
    devices, _error = _devices()
    if not settings["device"] and devices:
        settings["device"] = devices[0].name
    batch = scanning.pages.create_batch(
        _root(), actor_id=current_user.id, settings=settings, target=target, now=clock.now()
    )
    return redirect(url_for("library_scan.batch", batch_id=batch["id"]))


def _devices(refresh: bool = False) -> tuple[list[scanning.batches.DeviceChoice], str | None]:
    return scanning.batches.list_devices(
        current_app.config, current_app.instance_path, refresh=refresh
    )


def _settings_form(
    manifest: dict[str, Any], formdata: Any = None
) -> tuple[ScanSettingsForm, str | None]:
    devices, error = _devices(refresh=request.args.get("refresh") == "1")
    choices = [(d.name, d.label) for d in devices]
    settings = manifest.get("settings") or {}
    current = settings.get("device")
    if current and current not in {name for name, _label in choices}:
        choices.insert(0, (current, current))
    if formdata is None:
        form = ScanSettingsForm(formdata=None)
        form.source.data = settings.get("source") or "flatbed"
        form.mode.data = settings.get("mode") or "gray"
        form.resolution.data = str(settings.get("resolution") or 300)
        form.pages.data = settings.get("pages")
        form.device.data = current
    else:
        form = ScanSettingsForm()
    form.device.choices = choices
    return form, error


def _batch_page(
    batch_id: str,
    *,
    settings_form: ScanSettingsForm | None = None,
    finish_form: FinishForm | None = None,
    status: int = 200,
) -> Any:
    manifest = scanning.pages.load_batch(_root(), batch_id)
    form, device_error = _settings_form(manifest)
    if settings_form is not None:
        settings_form.device.choices = form.device.choices
        form = settings_form
    target = manifest["target"]
    if finish_form is None:
        finish_form = FinishForm(formdata=None)
        if target.get("kind") == "new":
            finish_form.title.data = target.get("title")
            finish_form.kat_no.data = target.get("kat_no")
            finish_form.access.data = target.get("access") or "open"
    state = scanning.batches.batch_state(db.session(), _root(), batch_id)
    return render_template(
        "scanning/batch.html",
        batch=manifest,
        state=state,
        target=_describe_target(target),
        form=form,
        device_error=device_error,
        finish_form=finish_form,
        confirm=ConfirmForm(formdata=None),
        scanning_now=bool(state["scan"] and state["scan"]["active"]),
    ), status


@bp.get("/staff/scanning/<batch_id>")
@roles_required(Role.OFFICER)
def batch(batch_id: str) -> Any:
    manifest = scanning.pages.load_batch(_root(), batch_id)
    if manifest["state"] != scanning.pages.OPEN and manifest.get("ingest_job"):
        return redirect(url_for("library_scan.job", job_id=manifest["ingest_job"]))
    return _batch_page(batch_id)


@bp.get("/staff/scanning/<batch_id>/state")
@roles_required(Role.OFFICER)
def batch_state(batch_id: str) -> Any:
    state = scanning.batches.batch_state(db.session(), _root(), batch_id)
    for page in state["pages"]:
        page["thumb"] = url_for(
            "library_scan.thumb", batch_id=batch_id, page_id=page["id"], r=page["rotation"]
        )
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/staff/scanning/<batch_id>/scan")
@roles_required(Role.OFFICER)
def start_scan(batch_id: str) -> Any:
    manifest = scanning.pages.load_batch(_root(), batch_id)
    form, _error = _settings_form(manifest, formdata=request.form)
    if not form.validate_on_submit():
        return _batch_page(batch_id, settings_form=form, status=422)
    try:
        scanning.batches.start_scan(
            db.session(), _root(), batch_id, form.values(), actor_id=current_user.id
        )
    except scanning.errors.ScanningError as exc:
        flash(str(exc.message), "error")
    except (scanning.errors.BatchBusy, scanning.errors.BatchInvalid) as exc:
        flash(str(exc.message), "error")
    return redirect(url_for("library_scan.batch", batch_id=batch_id) + "#pages")


@bp.post("/staff/scanning/<batch_id>/cancel")
@roles_required(Role.OFFICER)
def cancel_scan(batch_id: str) -> Any:
    if ConfirmForm().validate_on_submit():
        scanning.batches.cancel_scan(_root(), batch_id)
        flash(_("The scan is being stopped."), "info")
    return redirect(url_for("library_scan.batch", batch_id=batch_id))


@bp.post("/staff/scanning/<batch_id>/pages/<page_id>/<action>")
@roles_required(Role.OFFICER)
def page_action(batch_id: str, page_id: str, action: str) -> Any:
    if action not in PAGE_ACTIONS:
        abort(404)
    back = url_for("library_scan.batch", batch_id=batch_id) + f"#page-{page_id}"
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please submit it again."), "error")
        return redirect(back)
    root = _root()
    try:
        if action == "rotate-left":
            scanning.pages.rotate_page(root, batch_id, page_id, -90)
        elif action == "rotate-right":
            scanning.pages.rotate_page(root, batch_id, page_id, 90)
        elif action in ("up", "down", "first", "last"):
            offset = {"up": -1, "down": 1, "first": -100_000, "last": 100_000}[action]
            scanning.pages.move_page(root, batch_id, page_id, offset)
        elif action == "delete":
            scanning.pages.delete_page(root, batch_id, page_id)
            back = url_for("library_scan.batch", batch_id=batch_id) + "#pages"
            flash(_("The page has been deleted."), "success")
        else:
            manifest = scanning.pages.load_batch(root, batch_id)
            scanning.batches.start_scan(
                db.session(),
                root,
                batch_id,
                manifest["settings"] or {},
                actor_id=current_user.id,
                replace=page_id,
            )
    except (
        scanning.errors.BatchBusy,
        scanning.errors.BatchInvalid,
        scanning.errors.ScanningError,
    ) as exc:
        flash(str(exc.message), "error")
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"ok": True})
    return redirect(back)


@bp.get("/staff/scanning/<batch_id>/pages/<page_id>/thumb")
@roles_required(Role.OFFICER)
def thumb(batch_id: str, page_id: str) -> Any:
    body, _rotation = scanning.pages.thumbnail(_root(), batch_id, page_id)
    response = Response(body, mimetype="image/jpeg")
    # The URL carries the rotation (?r=), so a cached thumbnail is never stale.
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.post("/staff/scanning/<batch_id>/finish")
@roles_required(Role.OFFICER)
def finish(batch_id: str) -> Any:
    manifest = scanning.pages.load_batch(_root(), batch_id)
    form = FinishForm()
    if not form.validate_on_submit():
        return _batch_page(batch_id, finish_form=form, status=422)
    target = None
    if manifest["target"].get("kind") == "new":
        if not form.title.data:
            form.title.errors = [*form.title.errors, _("Give the publication a title.")]
            return _batch_page(batch_id, finish_form=form, status=422)
        target = {"title": form.title.data, "kat_no": form.kat_no.data, "access": form.access.data}
    try:
        job = scanning.batches.finish_batch(
            db.session(), _root(), batch_id, actor_id=current_user.id, target=target
        )
    except (
        scanning.errors.BatchBusy,
        scanning.errors.BatchInvalid,
        IllegalTransition,
        RecordNotFound,
    ) as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("library_scan.batch", batch_id=batch_id))
    return redirect(url_for("library_scan.job", job_id=job.id))


@bp.post("/staff/scanning/<batch_id>/discard")
@roles_required(Role.OFFICER)
def discard(batch_id: str) -> Any:
    if ConfirmForm().validate_on_submit():
        try:
            scanning.pages.discard_batch(_root(), batch_id)
        except scanning.errors.BatchBusy as exc:
            flash(str(exc.message), "error")
            return redirect(url_for("library_scan.batch", batch_id=batch_id))
        flash(_("The scanned pages have been thrown away."), "success")
    return redirect(url_for("library_scan.index"))


@bp.post("/staff/scanning/<batch_id>/retry")
@roles_required(Role.OFFICER)
def retry(batch_id: str) -> Any:
    """Process a batch again after its job failed or was cancelled."""
    manifest = scanning.pages.load_batch(_root(), batch_id)
    back = url_for("library_scan.batch", batch_id=batch_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please submit it again."), "error")
        return redirect(back)
    try:
        job = scanning.batches.retry_batch(
            db.session(), _root(), batch_id, actor_id=current_user.id
        )
    except (
        scanning.errors.BatchInvalid,
        waiting.JobRunning,
        IllegalTransition,
        RecordNotFound,
    ) as exc:
        flash(str(exc.message), "error")
        return redirect(back if manifest["state"] == scanning.pages.OPEN else _job_url(manifest))
    flash(_("The scanned pages are being processed again."), "info")
    return redirect(url_for("library_scan.job", job_id=job.id))


@bp.post("/staff/scanning/<batch_id>/reopen")
@roles_required(Role.OFFICER)
def reopen(batch_id: str) -> Any:
    """Take a batch whose processing failed (or has not started) back to editing."""
    manifest = scanning.pages.load_batch(_root(), batch_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form has expired. Please submit it again."), "error")
        return redirect(_job_url(manifest))
    try:
        scanning.batches.reopen_batch(db.session(), _root(), batch_id, actor_id=current_user.id)
    except (scanning.errors.BatchInvalid, waiting.JobRunning) as exc:
        flash(str(exc.message), "error")
        return redirect(_job_url(manifest))
    flash(_("The scanned pages are open for editing again."), "success")
    return redirect(url_for("library_scan.batch", batch_id=batch_id))


def _job_url(manifest: dict[str, Any]) -> str:
    if manifest.get("ingest_job"):
        return url_for("library_scan.job", job_id=manifest["ingest_job"])
    return url_for("library_scan.batch", batch_id=manifest["id"])


def _job_view(job_id: str) -> dict[str, Any]:
    record = db.session.get(jobs.Job, job_id)
    if record is None or record.name != scanning.batches.INGEST_JOB:
        abort(404)
    params = json.loads(record.params or "{}")
    result = record.result_data or {}
    publication = (
        db.session.get(Publication, result["publication_id"])
        if result.get("publication_id")
        else None
    )
    batch_id = params.get("batch_id")
    # Where the result is: the publication, or the reader's scan request it answered.
    result_url = None
    if publication is not None:
        result_url = url_for("catalog.publication", pub_id=publication.id)
    elif result.get("scan_request_id"):
        result_url = url_for("library_scan.request_detail", request_id=result["scan_request_id"])
    error = None
    batch_open = False
    manifest = None
    if batch_id:
        try:
            manifest = scanning.pages.load_batch(_root(), batch_id)
        except scanning.errors.BatchNotFound:
            manifest = None
    if record.state == jobs.FAILED and manifest is not None:
        batch_open = manifest["state"] == scanning.pages.OPEN
        error = scanning.batches.batch_error_message(manifest)
    ways = scanning.batches.BatchWays(False, False)
    if manifest is not None and manifest.get("ingest_job") == record.id:
        # Only the batch's own job offers its ways out (not one it has left).
        ways = scanning.batches.batch_ways(db.session(), manifest)
    # A reader's scan is delivered to them, not added to the catalogue.
    for_reader = bool(result.get("scan_request_id")) or (
        manifest is not None and manifest["target"].get("kind") == "scan_request"
    )
    return {
        "record": record,
        "publication": publication,
        "result_url": result_url,
        "for_reader": for_reader,
        "batch_id": batch_id,
        "batch_open": batch_open,
        "error": error
        or (jobs.step_label(record.message) if record.state in waiting.STUCK else None),
        "ways": ways,
        "confirm": ConfirmForm(formdata=None),
    }


@bp.get("/staff/scanning/jobs/<job_id>")
@roles_required(Role.OFFICER)
def job(job_id: str) -> Any:
    return render_template("scanning/job.html", **_job_view(job_id))


@bp.get("/staff/scanning/jobs/<job_id>/state")
@roles_required(Role.OFFICER)
def job_state(job_id: str) -> Any:
    view = _job_view(job_id)
    record = view["record"]
    response = jsonify(
        {
            "state": record.state,
            "progress": record.progress,
            "message": jobs.step_label(record.message)
            if record.state in (jobs.QUEUED, jobs.RUNNING)
            else "",
            "error": view["error"],
            "result_url": view["result_url"],
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response
