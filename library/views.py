"""Reader pages of the library: read online, download a stamped copy; and the officers'
download database, where a leaked file is traced back to its download."""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Sequence
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app import clock
from app.accounts.models import Role
from app.auth import roles_required
from app.blobs import current_store
from app.db import utcnow
from app.extensions import db
from app.flashing import flashed
from catalog import services as catalog
from catalog.visibility import may_preview
from library import render
from library.access import check_read
from library.downloads import find_downloads
from library.errors import LibraryError, MasterUnavailable, PageNotFound, PageUnavailable
from library.forms import DownloadSearchForm, IdentifyForm
from library.http import cache_dir, send_download
from library.masters import master_info, master_path
from library.records import search_downloads

log = logging.getLogger(__name__)

bp = Blueprint(
    "library",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/library",
)


def _master_key(publication: Any) -> str:
    """The master to read; ``check_read`` lets only publications with a file through."""
    key = publication.master_key
    if key is None:
        raise MasterUnavailable()
    return str(key)


def _width(widths: Sequence[int]) -> int:
    """The width asked for (``?w=``) when the reader offers it, else the default."""
    width = request.args.get("w", type=int)
    return width if width is not None and width in widths else int(widths[0])


def _publication(pub_id: int) -> Any:
    """The publication as the signed-in reader may see it now (404 before its release
    moment, unless catalogue staff preview it)."""
    return catalog.get_publication(
        db.session(),
        pub_id,
        now=clock.now(),
        staff=current_user.is_staff,
        preview=may_preview(current_user),
    )


def _user() -> Any:
    return current_user._get_current_object()  # the User row, not the proxy


@bp.post("/publications/<int:pub_id>/download")
@login_required
def download(pub_id: int) -> Any:
    publication = _publication(pub_id)
    with flashed(LibraryError):
        return send_download(_user(), publication, channel="web")
    return redirect(url_for("catalog.publication", pub_id=pub_id))


#: The reader's zoom levels: the page's width in the reading column, in percent. Wider
#: than the column scrolls sideways; the browser picks the rendering width
#: (``LIBRARY_PAGE_WIDTHS``, ``srcset``) that suits the width shown and the screen.
ZOOMS = (75, 100, 150, 200)
DEFAULT_ZOOM = 1
#: The widest the reading column gets (``.wrap`` in pst.css, without its padding), in px.
COLUMN_PX = 1056


def _zoom() -> int:
    zoom = request.args.get("zoom", type=int)
    return zoom if zoom is not None and 0 <= zoom < len(ZOOMS) else DEFAULT_ZOOM


@bp.get("/publications/<int:pub_id>/read")
@login_required
def read(pub_id: int) -> Any:
    """The reader: every page as an image (its text a click away), opened at ``page``
    with the words ``q`` highlighted in that page's text and the other pages that hold
    them listed; ``zoom`` is the index of a level in ``ZOOMS``."""
    from catalog.indexing import search_publication_pages

    publication = _publication(pub_id)
    with flashed(LibraryError) as outcome:
        check_read(db.session(), _user(), publication)
    if outcome.failed:
        return redirect(url_for("catalog.publication", pub_id=pub_id))
    key = _master_key(publication)
    path = master_path(current_store(), key, cache_dir())
    info = master_info(db.session(), key, path)
    sizes = json.loads(info.page_sizes_json)
    start = max(1, min(request.args.get("page", 1, type=int), len(sizes) or 1))
    found = search_publication_pages(pub_id, request.args.get("q"))
    if found.problem:
        flash(found.problem, "error")
    zoom = _zoom()
    return render_template(
        "library/reader.html",
        pub=publication,
        sizes=sizes,
        widths=sorted(current_app.config["LIBRARY_PAGE_WIDTHS"]),
        default_width=int(current_app.config["LIBRARY_PAGE_WIDTHS"][0]),
        zooms=ZOOMS,
        zoom=zoom,
        default_zoom=DEFAULT_ZOOM,
        image_sizes=[_image_sizes(percent) for percent in ZOOMS],
        start=start,
        q=found.q,
        hits=found.hits,
        start_text=_page_text_html(pub_id, start, found.q),
    )


def _image_sizes(percent: int) -> str:
    """The ``sizes`` of a page image at a zoom level: how wide it is shown."""
    return f"(min-width: 68rem) {COLUMN_PX * percent // 100}px, {percent}vw"


def _page_text_html(pub_id: int, page: int, q: str) -> Markup:
    from catalog.search import marked_page

    text = catalog.page_text(db.session(), pub_id, page)
    return Markup(marked_page(text, q))  # noqa: S704 - escaped by marked_page, <mark> only


@bp.get("/publications/<int:pub_id>/pages/<int:page>/text")
@login_required
def page_text(pub_id: int, page: int) -> Any:
    """The text of one page (the words ``q`` marked), as the reader's page text panel
    fetches it; the same access check as the page's image."""
    publication = _publication(pub_id)
    check_read(db.session(), _user(), publication)
    if not 1 <= page <= publication.page_count:
        raise PageNotFound()
    q = (request.args.get("q") or "").strip()[:300]
    return render_template(
        "library/_page_text.html", pub=publication, n=page, text=_page_text_html(pub_id, page, q)
    )


@bp.get("/publications/<int:pub_id>/pages/<int:page>")
@login_required
def page_image(pub_id: int, page: int) -> Any:
    publication = _publication(pub_id)
    check_read(db.session(), _user(), publication)
    if not 1 <= page <= publication.page_count:
        raise PageNotFound()
    width = _width(current_app.config["LIBRARY_PAGE_WIDTHS"])
    cache = cache_dir()
    key = _master_key(publication)
    path = master_path(current_store(), key, cache)
    try:
        image = render.cached_page(path, key, page, width, cache, last_page=publication.page_count)
    except render.RenderFailed as exc:
        log.warning("page %s of publication %s: %s", page, pub_id, exc)
        raise PageUnavailable() from exc
    render.prune_cache(cache, int(current_app.config["LIBRARY_PAGE_CACHE_BYTES"]))
    body = render.stamped_image(image, reader_stamp())
    response = Response(body, mimetype=render.MIMETYPE)
    # The image names its reader: never in a shared cache.
    response.headers["Cache-Control"] = "private, max-age=600"
    response.headers["Vary"] = "Cookie"
    return response


@bp.get("/publications/<int:pub_id>/find")
@login_required
def find_pages(pub_id: int) -> Any:
    """Pages of one publication matching ``q``, as JSON for the reader's search box."""
    from catalog.indexing import search_publication_pages

    publication = _publication(pub_id)
    check_read(db.session(), _user(), publication)
    found = search_publication_pages(pub_id, request.args.get("q"))
    if found.problem:
        return {"hits": [], "message": found.problem}
    hits = found.hits or []
    return {
        "hits": [
            {"page": h.page, "label": _("Page %(n)s", n=h.page), "snippet_html": h.snippet_html}
            for h in hits
        ],
        "message": "" if hits else _("No page contains these words."),
    }


def reader_stamp() -> render.ReaderStamp:
    from app.i18n import to_wib

    user = _user()
    when = to_wib(utcnow()).strftime("%d-%m-%Y %H:%M")
    return render.ReaderStamp(
        holder=f"{user.full_name} <{user.email}>",
        detail=f"{when} WIB · {current_app.config['OFFICE_NAME']}",
    )


# --- officers: the download database ---------------------------------------------------


@bp.get("/staff/library/downloads")
@roles_required(Role.OFFICER)
def downloads() -> Any:
    form = DownloadSearchForm(request.args, meta={"csrf": False})
    page = max(1, request.args.get("page", 1, type=int))
    found = search_downloads(
        db.session(),
        q=(form.q.data or "").strip() if form.validate() else "",
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        page=page,
    )
    return render_template(
        "library/staff_downloads.html", form=form, found=found, identify_form=IdentifyForm()
    )


@bp.post("/staff/library/identify")
@roles_required(Role.OFFICER)
def identify() -> Any:
    import watermark

    form = IdentifyForm()
    if not form.validate_on_submit():
        flash(_("Choose the PDF file to trace."), "error")
        return redirect(url_for("library.downloads"))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as temp:
        form.file.data.save(temp)
        temp.flush()
        try:
            codes = watermark.find_codes(temp.name)
        except watermark.WatermarkError:
            codes = []
    matches = find_downloads(db.session(), codes)
    return render_template(
        "library/identify.html", codes=codes, matches=matches, filename=form.file.data.filename
    )
