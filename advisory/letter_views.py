"""A letter's PDF for its holder, and the public page that verifies a letter by its
number and code (same blueprint as :mod:`advisory.views`)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, redirect, render_template, request, send_file, url_for
from flask_login import login_required

from advisory import letters
from advisory.errors import LetterNotFound
from advisory.forms import ActionForm, VerifyForm
from advisory.views import STAFF, _settings, _user, bp
from app.blobs import current_store
from app.extensions import db, limiter
from storage.disposition import content_disposition


def _verify_limit() -> str:
    return str(current_app.config["ADVISORY_VERIFY_RATE_LIMIT"])


@bp.get("/advisory/letters/<int:letter_id>.pdf")
@login_required
def letter_pdf(letter_id: int) -> Any:
    user = _user()
    letter = letters.get_letter(db.session(), letter_id)
    owner = (letter.recommendation and letter.recommendation.user_id) or (
        letter.consultation and letter.consultation.user_id
    )
    if owner != user.id and not user.has_role(*STAFF):
        raise LetterNotFound()
    response: Response = send_file(
        current_store().open(letter.pdf_key),
        mimetype="application/pdf",
        max_age=0,
        conditional=False,
    )
    response.headers["Content-Disposition"] = content_disposition(letters.filename(letter))
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- public verification --------------------------------------------------------------


@bp.get("/letters/verify")
def verify_form() -> Any:
    form = VerifyForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("advisory.verify_letter", number=form.number.data, c=form.c.data))
    return render_template("advisory/verify.html", form=form, result=None, number=None)


@bp.get("/letters/verify/<path:number>")
@limiter.limit(_verify_limit)
def verify_letter(number: str) -> Any:
    code = request.args.get("c", "")
    result = letters.verify(db.session(), number, code, settings=_settings())
    form = VerifyForm(data={"number": number, "c": code})
    status = 200 if result.genuine else 404
    return render_template(
        "advisory/verify.html",
        form=form,
        result=result,
        number=number,
        code=code,
        upload=ActionForm(),
        file_result=None,
    ), status


@bp.post("/letters/verify/<path:number>")
@limiter.limit(_verify_limit)
def verify_file(number: str) -> Any:
    """Check that an uploaded file is the issued PDF (by its SHA-256 only)."""
    code = request.args.get("c", "")
    result = letters.verify(db.session(), number, code, settings=_settings())
    file_result = None
    upload = request.files.get("file")
    if result.genuine and result.letter is not None and upload is not None and upload.filename:
        file_result = letters.file_matches(
            result.letter, upload.stream, int(current_app.config["ADVISORY_VERIFY_MAX_BYTES"])
        )
    form = VerifyForm(data={"number": number, "c": code})
    return render_template(
        "advisory/verify.html",
        form=form,
        result=result,
        number=number,
        code=code,
        upload=ActionForm(),
        file_result=file_result,
    ), 200 if result.genuine else 404
