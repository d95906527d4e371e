"""Usage statistics at the edge: counting page views and online reads as they are
answered, the publication page's public counts, and the officers' report with its CSV.

Counting never slows or breaks a page. The visitor and the moment are taken from the
request when the response is ready (:func:`count_request`, an ``after_request`` hook:
it also sees publication pages answered from the page cache, which no view code sees);
the row is written by ``Response.call_on_close``, which the WSGI server (gunicorn)
calls *after* the last byte has been sent, in a short transaction of its own. An error
there is logged and the use goes uncounted: the page was delivered already.
Downloads are counted when their stream completes (:mod:`library.http`).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.accounts.models import Role
from app.auth import roles_required
from app.extensions import db
from catalog.models import Publication, Subject
from library import usage
from library.forms import MAX_REPORT_MONTHS, UsageReportForm
from library.http import count_now
from library.models import UsageAction

bp = Blueprint("library_usage", __name__, template_folder="templates")

#: The pages whose successful GET is a use: the endpoint and what it counts as.
COUNTED_PAGES = {"catalog.publication": UsageAction.VIEW, "library.read": UsageAction.READ}

#: How many publications the report's table and chart show (the CSV has all).
TOP = 20


# --- counting ------------------------------------------------------------------------------


def hit_of_request(publication_id: int, action: UsageAction) -> usage.Hit | None:
    """The use this request makes of the publication; None for staff (their previews
    and checks are no use by the public)."""
    user = None
    if not g.get("page_cache_hit"):  # a page from the cache was for an anonymous visitor
        user = current_user if current_user.is_authenticated else None
    if user is not None and user.is_staff:
        return None
    return usage.Hit(
        publication_id=publication_id,
        action=action,
        user_id=user.id if user is not None else None,
        ip=request.remote_addr,
        user_agent=request.user_agent.string,
    )


def count_later(response: Response, hit: usage.Hit) -> None:
    """Count ``hit`` once ``response`` has been sent (its moment is now)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    now = clock.now()
    response.call_on_close(lambda: count_now(app, hit, now))


def count_request(response: Response) -> Response:
    """``after_request``: a successful publication page or reader page is a use."""
    action = COUNTED_PAGES.get(request.endpoint or "")
    if action is None or request.method != "GET" or response.status_code != 200:
        return response
    publication_id = (request.view_args or {}).get("pub_id")
    if not isinstance(publication_id, int):
        return response
    hit = hit_of_request(publication_id, action)
    if hit is not None:
        count_later(response, hit)
    return response


def counts_panel(publication: Publication) -> str:
    """The publication page's public counts (a panel; empty while nobody used it)."""
    if not current_app.config["LIBRARY_USAGE_PUBLIC_COUNTS"]:
        return ""
    counts = usage.publication_totals(db.session(), publication.id)
    if not counts.views and not counts.downloads:
        return ""
    return render_template("library/_usage_counts.html", counts=counts)


# --- the officers' report ---------------------------------------------------------------------


def _subject_choices() -> list[tuple[str, str]]:
    subjects = db.session.execute(select(Subject.id, Subject.name).order_by(Subject.name)).all()
    return [("", _("All subjects")), *((str(i), name) for i, name in subjects)]


def _report_form() -> tuple[UsageReportForm, usage.Report | None]:
    """The form read from the query string and, when it is valid, its report (default:
    the twelve months up to the current one)."""
    form = UsageReportForm(request.args, meta={"csrf": False})
    form.subject.choices = _subject_choices()
    if not form.validate():
        return form, None
    this_month = usage.month_of(usage.wib_day(clock.now()))
    last = form.month_to.data or this_month
    first = form.month_from.data or usage.months_between(_year_before(last), last)[1]
    if last < first:  # only one of the two given: the other follows it
        first, last = (first, first) if form.month_from.data else (last, last)
    form.month_from.data, form.month_to.data = first, last
    if len(usage.months_between(first, last)) > MAX_REPORT_MONTHS:  # one month given, far off
        form.month_from.errors = [*form.month_from.errors, _("Choose at most ten years.")]
        return form, None
    subject = int(form.subject.data) if form.subject.data else None
    return form, usage.report(db.session(), first, last, subject)


def _year_before(month: str) -> str:
    return f"{int(month[:4]) - 1:04d}{month[4:]}"


@bp.get("/staff/library/usage")
@roles_required(Role.OFFICER)
def report() -> Any:
    form, found = _report_form()
    return render_template("library/staff_usage.html", form=form, found=found, top=TOP), (
        200 if found is not None else 400
    )


@bp.get("/staff/library/usage.csv")
@roles_required(Role.OFFICER)
def report_csv() -> Any:
    form, found = _report_form()
    if found is None:
        return render_template("library/staff_usage.html", form=form, found=None, top=TOP), 400
    header = [
        _("Month"),
        _("Publication ID"),
        _("Title"),
        _("Views"),
        _("Unique views"),
        _("Online reads"),
        _("Unique online reads"),
        _("Downloads"),
        _("Unique downloads"),
    ]
    response = Response("".join(usage.csv_lines(found, header)), mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="pst-usage-{found.first}-{found.last}.csv"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
