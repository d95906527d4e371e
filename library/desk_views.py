"""The library desk: reading-room requests, softcopy requests and printed copies.

Readers ask for a copy in the reading room (from a publication page), ask for the
softcopy of a publication that is not online and follow their requests; officers keep
the holdings of each publication and work through both queues.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import clock, jobs, waiting
from app.accounts.models import Role
from app.auth import roles_required
from app.extensions import db
from app.idempotency import AlreadySubmitted
from app.pagination import page_count, page_number
from catalog.errors import IngestRejected
from catalog.services import get_publication
from library import holdings, request_lists, softcopy
from library.desk_forms import (
    AttachForm,
    ConfirmForm,
    DeclineForm,
    HoldingEditForm,
    HoldingForm,
    ReadingRequestForm,
    ReadyForm,
    SoftcopyRequestForm,
    WalkInForm,
)
from library.errors import AlreadyRequested, DuplicateHolding, IllegalTransition, RecordNotFound
from library.models import HoldingStatus, ReadingStatus, ScanRequest, SoftcopyStatus
from library.request_pages import decline_request

bp = Blueprint("library_desk", __name__, template_folder="templates")

PER_PAGE = 20

#: Errors a desk action reports as a message on the page it came from.
_EXPECTED = (AlreadyRequested, IllegalTransition, RecordNotFound, DuplicateHolding)


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "reading_status_label": lambda s: holdings.READING_STATUS_LABELS.get(ReadingStatus(s), s),
        "holding_status_label": lambda s: holdings.HOLDING_STATUS_LABELS.get(HoldingStatus(s), s),
        "location_label": lambda loc: holdings.LOCATION_LABELS.get(loc, loc),
        "softcopy_status_label": lambda s: softcopy.STATUS_LABELS.get(SoftcopyStatus(s), s),
    }


def _int_arg(name: str, default: int = 1) -> int:
    return page_number(request.args.get(name), default)


def _pages(total: int) -> int:
    return page_count(total, PER_PAGE)


# --- readers ---------------------------------------------------------------------------


@bp.post("/library/publications/<int:pub_id>/reading-requests")
@login_required
def request_reading(pub_id: int) -> Any:
    form = ReadingRequestForm()
    back = url_for("catalog.publication", pub_id=pub_id)
    if not form.validate_on_submit():
        flash(_("The form has expired. Please submit it again."), "error")
        return redirect(back)
    try:
        holdings.request_reading(
            db.session(),
            pub_id,
            reader=current_user._get_current_object(),
            note=form.note.data,
            now=clock.now(),
        )
    except _EXPECTED as exc:
        flash(str(exc.message), "error")
        return redirect(back)
    flash(
        _(
            "Your request has been sent. Come to the reading room: an officer brings the copy "
            "to you. You can follow the request under “My library requests”."
        ),
        "success",
    )
    return redirect(url_for("library_desk.my_requests"))


@bp.get("/library/requests")
@login_required
def my_requests() -> Any:
    rpage, spage, cpage = _int_arg("rpage"), _int_arg("spage"), _int_arg("cpage")
    reading, reading_total = holdings.reader_requests(
        db.session(), current_user.id, page=rpage, per_page=PER_PAGE
    )
    softcopies, softcopy_total = softcopy.reader_requests(
        db.session(), current_user.id, page=spage, per_page=PER_PAGE
    )
    scans, scan_total = request_lists.reader_list(
        db.session(),
        ScanRequest,
        current_user.id,
        page=cpage,
        per_page=PER_PAGE,
        load=[ScanRequest.result],
    )
    return render_template(
        "library/desk/my_requests.html",
        reading=reading,
        rpage=rpage,
        rpages=_pages(reading_total),
        softcopies=softcopies,
        spage=spage,
        spages=_pages(softcopy_total),
        scans=scans,
        cpage=cpage,
        cpages=_pages(scan_total),
        open_reading=holdings.OPEN_READING,
    )


@bp.post("/library/reading-requests/<int:request_id>/cancel")
@login_required
def cancel_my_reading(request_id: int) -> Any:
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            holdings.cancel_reading(
                db.session(), request_id, actor=current_user._get_current_object(), now=clock.now()
            )
        except IllegalTransition as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("Your request has been cancelled."), "success")
    return redirect(url_for("library_desk.my_requests"))


@bp.route("/library/softcopy-requests/new", methods=["GET", "POST"])
@login_required
def softcopy_new() -> Any:
    form = SoftcopyRequestForm()
    if request.method == "GET":
        # Prefilled from a search that found nothing (?title=...).
        form.title.data = (request.args.get("title") or "").strip()[:500] or None
    if form.validate_on_submit():
        try:
            softcopy.create_request(
                db.session(),
                reader=current_user._get_current_object(),
                title=form.title.data,
                kat_no=form.kat_no.data,
                purpose=form.purpose.data,
                now=clock.now(),
                submission=form.submission_token,
            )
        except AlreadySubmitted as exc:
            # Sent twice: the first post's request is in the list.
            flash(str(exc.message), "info")
            return redirect(url_for("library_desk.my_requests"))
        flash(
            _(
                "Your request has been sent. An officer will look for the publication; you will "
                "get an email when it is ready or if it cannot be provided."
            ),
            "success",
        )
        return redirect(url_for("library_desk.my_requests"))
    status = 422 if form.errors else 200
    return render_template("library/desk/softcopy_new.html", form=form), status


# --- officers: holdings ----------------------------------------------------------------


@bp.route("/staff/library/publications/<int:pub_id>/holdings", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def holdings_page(pub_id: int) -> Any:
    pub = get_publication(db.session(), pub_id, now=clock.now(), staff=True, preview=True)
    form = HoldingForm()
    if form.validate_on_submit():
        try:
            holding = holdings.add_holding(
                db.session(), pub_id, actor_id=current_user.id, **form.values()
            )
        except DuplicateHolding as exc:
            form.inventory_no.errors = [*form.inventory_no.errors, str(exc.message)]
        else:
            flash(_("Copy %(no)s has been added.", no=holding.inventory_no), "success")
            return redirect(url_for("library_desk.holdings_page", pub_id=pub_id))
    status = 422 if form.errors else 200
    return render_template(
        "library/desk/holdings.html",
        pub=pub,
        rows=holdings.list_holdings(db.session(), pub_id),
        availability=holdings.availability(db.session(), pub_id),
        form=form,
        walk_in_form=WalkInForm(formdata=None),
    ), status


@bp.route("/staff/library/holdings/<int:holding_id>/edit", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def holding_edit(holding_id: int) -> Any:
    holding = holdings.get_holding(db.session(), holding_id)
    form = HoldingEditForm(obj=holding)
    if holding.status == HoldingStatus.IN_USE:
        form.allow_in_use()
    if request.method == "GET":
        form.location.data, form.status.data = holding.location.value, holding.status.value
    if form.validate_on_submit():
        try:
            holdings.update_holding(
                db.session(), holding_id, form.values(), actor_id=current_user.id
            )
        except DuplicateHolding as exc:
            form.inventory_no.errors = [*form.inventory_no.errors, str(exc.message)]
        except IllegalTransition as exc:
            form.status.errors = [*form.status.errors, str(exc.message)]
        else:
            flash(_("The copy has been saved."), "success")
            return redirect(url_for("library_desk.holdings_page", pub_id=holding.publication_id))
    status = 422 if form.errors else 200
    return render_template(
        "library/desk/holding_edit.html", form=form, holding=holding, pub=holding.publication
    ), status


@bp.post("/staff/library/publications/<int:pub_id>/reading-requests")
@roles_required(Role.OFFICER)
def walk_in(pub_id: int) -> Any:
    pub = get_publication(db.session(), pub_id, now=clock.now(), staff=True, preview=True)
    form = WalkInForm()
    if form.validate_on_submit():
        try:
            made = holdings.request_for_walk_in(
                db.session(),
                pub_id,
                email=form.reader_email.data,
                actor=current_user._get_current_object(),
                note=form.reader_note.data,
                now=clock.now(),
            )
        except _EXPECTED as exc:
            form.reader_email.errors = [*form.reader_email.errors, str(exc.message)]
        else:
            flash(_("A copy has been requested for %(name)s.", name=made.user.full_name), "success")
            return redirect(url_for("library_desk.reading_queue"))
    return render_template(
        "library/desk/holdings.html",
        pub=pub,
        rows=holdings.list_holdings(db.session(), pub_id),
        availability=holdings.availability(db.session(), pub_id),
        form=HoldingForm(formdata=None),
        walk_in_form=form,
    ), 422


# --- officers: reading room ------------------------------------------------------------


@bp.get("/staff/library/reading")
@roles_required(Role.OFFICER)
def reading_queue() -> Any:
    page = _int_arg("page")
    rows, total = holdings.open_requests(db.session(), page=page, per_page=PER_PAGE)
    copies = holdings.available_copies_by_publication(
        db.session(), sorted({r.publication_id for r in rows})
    )
    return render_template(
        "library/desk/reading_queue.html",
        rows=rows,
        copies=copies,
        page=page,
        pages=_pages(total),
        total=total,
    )


def _queue_action(request_id: int, action: Any, done: str) -> Any:
    holdings.get_reading_request(db.session(), request_id)  # 404 for a request that is not there
    form = ReadyForm()
    if form.validate_on_submit():
        try:
            action(form)
        except _EXPECTED as exc:
            flash(str(exc.message), "error")
        else:
            flash(done, "success")
    return redirect(url_for("library_desk.reading_queue", page=_int_arg("page")))


@bp.post("/staff/library/reading/<int:request_id>/ready")
@roles_required(Role.OFFICER)
def reading_ready(request_id: int) -> Any:
    return _queue_action(
        request_id,
        lambda form: holdings.mark_ready(
            db.session(),
            request_id,
            actor_id=current_user.id,
            holding_id=form.holding_id.data,
            now=clock.now(),
        ),
        _("The copy is in the reading room for the reader."),
    )


@bp.post("/staff/library/reading/<int:request_id>/returned")
@roles_required(Role.OFFICER)
def reading_returned(request_id: int) -> Any:
    return _queue_action(
        request_id,
        lambda form: holdings.mark_returned(
            db.session(), request_id, actor_id=current_user.id, now=clock.now()
        ),
        _("The copy has been returned and is available again."),
    )


@bp.post("/staff/library/reading/<int:request_id>/cancel")
@roles_required(Role.OFFICER)
def reading_cancel(request_id: int) -> Any:
    return _queue_action(
        request_id,
        lambda form: holdings.cancel_reading(
            db.session(), request_id, actor=current_user._get_current_object(), now=clock.now()
        ),
        _("The request has been cancelled."),
    )


# --- officers: softcopy requests -------------------------------------------------------


@bp.get("/staff/library/softcopy")
@roles_required(Role.OFFICER)
def softcopy_queue() -> Any:
    page = _int_arg("page")
    open_only = request.args.get("show") == "open"
    rows, total = softcopy.queue(db.session(), page=page, per_page=PER_PAGE, open_only=open_only)
    return render_template(
        "library/desk/softcopy_queue.html",
        rows=rows,
        page=page,
        pages=_pages(total),
        open_only=open_only,
    )


def _softcopy_page(
    request_id: int,
    *,
    decline_form: DeclineForm | None = None,
    attach_form: AttachForm | None = None,
    status: int = 200,
) -> Any:
    item = softcopy.get_request(db.session(), request_id)
    job = db.session.get(jobs.Job, item.job_id) if item.job_id else None
    if attach_form is None:
        attach_form = AttachForm(formdata=None)
        attach_form.title.data = item.title
        if item.kat_no and softcopy.KAT_NO.match(item.kat_no):
            attach_form.kat_no.data = item.kat_no
    return render_template(
        "library/desk/softcopy_detail.html",
        item=item,
        job=job,
        ways=softcopy.ways_out(db.session(), item),
        decline_form=decline_form or DeclineForm(formdata=None),
        attach_form=attach_form,
        confirm_form=ConfirmForm(formdata=None),
    ), status


@bp.get("/staff/library/softcopy/<int:request_id>")
@roles_required(Role.OFFICER)
def softcopy_detail(request_id: int) -> Any:
    return _softcopy_page(request_id)


@bp.post("/staff/library/softcopy/<int:request_id>/decline")
@roles_required(Role.OFFICER)
def softcopy_decline(request_id: int) -> Any:
    softcopy.get_request(db.session(), request_id)
    return decline_request(
        softcopy.decline, request_id, "library_desk.softcopy_detail", _softcopy_page
    )


@bp.post("/staff/library/softcopy/<int:request_id>/attach")
@roles_required(Role.OFFICER)
def softcopy_attach(request_id: int) -> Any:
    softcopy.get_request(db.session(), request_id)
    form = AttachForm()
    if form.validate_on_submit():
        storage = form.file.data
        try:
            softcopy.start_attach(
                db.session(),
                request_id,
                storage.stream,
                filename=storage.filename or "softcopy.pdf",
                actor_id=current_user.id,
                max_bytes=int(current_app.config["LIBRARY_MAX_UPLOAD_BYTES"]),
                access=form.access.data,
                title=form.title.data,
                kat_no=form.kat_no.data,
            )
        except IngestRejected as exc:
            form.file.errors = [*form.file.errors, str(exc.message)]
        except (IllegalTransition, waiting.JobRunning) as exc:
            flash(str(exc.message), "error")
            return redirect(url_for("library_desk.softcopy_detail", request_id=request_id))
        else:
            flash(
                _(
                    "The PDF is being processed. When it is ready the reader gets an email with "
                    "a link to the publication."
                ),
                "info",
            )
            return redirect(url_for("library_desk.softcopy_detail", request_id=request_id))
    return _softcopy_page(request_id, attach_form=form, status=422)


@bp.post("/staff/library/softcopy/<int:request_id>/retry")
@roles_required(Role.OFFICER)
def softcopy_retry(request_id: int) -> Any:
    """Process the attached file again after its job failed or was cancelled."""
    softcopy.get_request(db.session(), request_id)
    if ConfirmForm().validate_on_submit():
        try:
            softcopy.retry(db.session(), request_id, actor_id=current_user.id)
        except (IllegalTransition, waiting.JobRunning, waiting.InputsGone) as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("The attached PDF is being processed again."), "info")
    else:
        flash(_("The form has expired. Please submit it again."), "error")
    return redirect(url_for("library_desk.softcopy_detail", request_id=request_id))
