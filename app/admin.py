"""Staff administration pages: accounts and roles, the background jobs list with retry
and cancel, the audit log with its CSV export (admins); a job's own page (staff: the
pages of records that wait on a job link to it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response

from app import audit, audit_log, jobs, maintenance, sessions, waiting
from app.accounts import services
from app.accounts.errors import EmailTaken
from app.accounts.forms import ROLE_CHOICES, ConfirmForm, ProfileForm, RoleForm, StaffForm
from app.accounts.models import Role, User
from app.accounts.views import links, signer
from app.audit import AuditEvent
from app.auth import roles_required, staff_required
from app.extensions import db
from app.mail import current_mailer
from app.pagination import offset, page_count, page_number
from app.uow import unit_of_work

bp = Blueprint("admin", __name__, url_prefix="/staff")

PAGE_SIZE = 25


def _page() -> int:
    return page_number(request.args.get("page"))


@bp.get("")
@staff_required
def hub() -> Any:
    """Every staff tool the user's role opens, grouped by service."""
    from app.navigation import staff_sections

    return render_template("admin/hub.html", sections=staff_sections(current_user))


@bp.get("/users")
@roles_required(Role.ADMIN)
def users() -> Any:
    q = (request.args.get("q") or "").strip()[:100]
    query = select(User)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(func.lower(User.email).like(like), func.lower(User.full_name).like(like))
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = _page()
    rows = db.session.scalars(
        query.order_by(User.created_at.desc()).limit(PAGE_SIZE).offset(offset(page, PAGE_SIZE))
    ).all()
    return render_template(
        "admin/users.html",
        users=rows,
        q=q,
        page=page,
        total=total,
        pages=page_count(total, PAGE_SIZE),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user() -> Any:
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_staff(
                db.session(),
                email=form.email.data or "",
                full_name=form.full_name.data or "",
                role=Role(form.role.data),
                password=None,
                actor_id=current_user.id,
                mailer=current_mailer(),
                signer=signer(),
                links=links(),
            )
        except EmailTaken as exc:
            form.email.errors = [*form.email.errors, str(exc.message)]
        else:
            flash(
                _(
                    "Account created; %(email)s received a link to choose a password.",
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/new_user.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user(user_id: int) -> Any:
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    form = RoleForm(data={"role": person.role.value})
    if form.validate_on_submit():
        changed = services.change_role(
            db.session(), user_id, Role(form.role.data), actor_id=current_user.id
        )
        if changed.id == current_user.id:  # an admin's own role: keep this session only
            sessions.renew(changed)
        flash(_("The role has been changed."), "success")
        return redirect(url_for("admin.user", user_id=user_id))
    trail = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "user", AuditEvent.subject_id == str(user_id))
        .order_by(AuditEvent.at.desc())
        .limit(50)
    ).all()
    return render_template(
        "admin/user.html",
        person=person,
        form=form,
        trail=[audit.readable(e, _account_value) for e in trail],
        confirm=ConfirmForm(),
    )


def _account_value(key: str, value: Any) -> Any:
    """A stored value of an account event in words: roles and profile fields."""
    if key in ("role", "from", "to"):
        return next((c.label for c in ROLE_CHOICES if c.value == value), value)
    if key == "fields":
        field = getattr(ProfileForm, str(value), None)
        return field.args[0] if field is not None and getattr(field, "args", None) else value
    return audit.value_label(key, value)  # what a feature named (a consent's channel)


@bp.post("/users/<int:user_id>/active")
@roles_required(Role.ADMIN)
def set_active(user_id: int) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        active = request.form.get("active") == "1"
        services.set_active(db.session(), user_id, active, actor_id=current_user.id)
        flash(
            _("The account has been activated.")
            if active
            else _("The account has been deactivated."),
            "success",
        )
    return redirect(url_for("admin.user", user_id=user_id))


@bp.get("/jobs")
@roles_required(Role.ADMIN)
def job_list() -> Any:
    page = _page()
    rows = jobs.recent_jobs(db.session(), limit=PAGE_SIZE, offset=offset(page, PAGE_SIZE))
    return render_template("admin/jobs.html", jobs=rows, page=page, check_form=ConfirmForm())


@bp.get("/jobs/<string:job_id>")
@staff_required
def job(job_id: str) -> Any:
    record = db.session.get(jobs.Job, job_id)
    if record is None:
        abort(404)
    # The feature whose work it is may offer its ways out (retry, discard).
    return render_template(
        "admin/job.html", job=record, action_form=ConfirmForm(), panel=waiting.panel_for(record)
    )


@bp.post("/jobs/<string:job_id>/retry")
@roles_required(Role.ADMIN)
def retry_job(job_id: str) -> Response:
    return _job_action(
        job_id,
        lambda: jobs.retry(db.session(), job_id),
        "job.retried",
        done=_("The job has been queued again."),
        refused=_("Only a failed or cancelled job can be run again."),
    )


@bp.post("/jobs/<string:job_id>/cancel")
@roles_required(Role.ADMIN)
def cancel_job(job_id: str) -> Response:
    return _job_action(
        job_id,
        lambda: jobs.cancel(db.session(), job_id, message=jobs.CANCELLED_BY_STAFF),
        "job.cancelled",
        done=_("The job has been cancelled."),
        refused=_("The job has already ended."),
    )


def _job_action(
    job_id: str, act: Callable[[], bool], action: str, *, done: str, refused: str
) -> Response:
    """Run an admin's retry or cancel (confirmed, audited) and go back where it was asked."""
    if ConfirmForm().validate_on_submit():
        with unit_of_work(db.session()) as session:
            acted = act()
            if acted:
                audit.record(
                    session,
                    action,
                    actor_id=current_user.id,
                    subject_type="job",
                    subject_id=job_id,
                )
        flash(done if acted else refused, "success" if acted else "error")
    return redirect(_back(job_id))


def _back(job_id: str) -> str:
    # Back to the list the buttons were pressed on, else to the job's page.
    if request.form.get("back") == "list":
        return url_for("admin.job_list")
    return url_for("admin.job", job_id=job_id)


@bp.post("/jobs/storage-check")
@roles_required(Role.ADMIN)
def start_storage_check() -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        maintenance.start_storage_check(db.session(), actor_id=current_user.id)
        flash(_("The storage check has been queued."), "info")
    return redirect(url_for("admin.job_list"))


@bp.get("/audit")
@roles_required(Role.ADMIN)
def audit_events() -> Any:
    """Every audit event, newest first, filtered by actor, action, record and days."""
    session = db.session()
    form = audit_log.filter_form(session, request.args)
    filters = audit_log.read_filters(session, form) if form.validate() else None
    shown = audit_log.search(session, filters, _page(), PAGE_SIZE) if filters else None
    return render_template(
        "admin/audit.html",
        form=form,
        filters=filters,
        shown=shown,
        args=filters.as_args() if filters else {},
    )


@bp.get("/audit.csv")
@roles_required(Role.ADMIN)
def audit_export() -> Any:
    """The events the same filters keep, as a streamed CSV; the export is audited."""
    session = db.session()
    form = audit_log.filter_form(session, request.args)
    filters = audit_log.read_filters(session, form) if form.validate() else None
    if filters is None:  # the page says what is wrong with the filters
        query = request.query_string.decode("latin-1")
        return redirect(f"{url_for('admin.audit_events')}?{query}")
    with unit_of_work(session):
        audit_log.record_export(session, filters, actor_id=current_user.id)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    locale = str(get_locale())

    def lines() -> Iterator[str]:
        # Its own context and session, closed when the stream ends or the client goes
        # (the request's are released as usual once the response has started).
        with app.app_context(), force_locale(locale):
            yield from audit_log.export_lines(db.session(), filters)

    response = Response(lines(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="pst-audit.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/retention")
@roles_required(Role.ADMIN)
def retention_report() -> Any:
    """Each retention rule: its period, its cutoff and what a run would change now (a
    dry run), with when it last changed anything."""
    from app import clock, retention

    session = db.session()
    with unit_of_work(session):
        reports = retention.run(
            session, current_app.config, clock.now(), retention.rules(), dry_run=True
        )
    last = dict(
        session.execute(
            select(AuditEvent.subject_id, func.max(AuditEvent.at))
            .where(AuditEvent.action == retention.APPLIED)
            .group_by(AuditEvent.subject_id)
        ).all()
    )
    return render_template("admin/retention.html", reports=reports, last=last, form=ConfirmForm())


@bp.post("/retention")
@roles_required(Role.ADMIN)
def apply_retention() -> Response:
    """Apply every retention period now (confirmed; each change audited with the admin)."""
    from app import clock, retention

    if ConfirmForm().validate_on_submit():
        with unit_of_work(db.session()) as session:
            reports = retention.run(
                session,
                current_app.config,
                clock.now(),
                retention.rules(),
                dry_run=False,
                actor_id=current_user.id,
            )
        changed = sum(r.changed for r in reports)
        flash(_("Retention applied: %(count)d records changed.", count=changed), "success")
    return redirect(url_for("admin.retention_report"))
