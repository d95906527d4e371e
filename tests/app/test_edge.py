"""Input at the edge (issue #15): bounded JSON, ids and text; database errors and logs
without personal data."""

from __future__ import annotations

import logging

import pytest
from factories import registration_form, user
from flask import request
from flask_smorest import Blueprint
from helpers import csrf_token
from sqlalchemy import select, text

from app import logfilter
from app.accounts import services
from app.accounts.models import Role, User
from app.extensions import db

PROBLEM = "application/problem+json"
NIK = "1771234567890123"


def _bearer(session, role=Role.USER):
    _t, plain = services.create_api_token(session, user(session, role=role), "t")
    return {"Authorization": f"Bearer {plain}"}


# --- JSON bounds ------------------------------------------------------------------------


def test_deeply_nested_json_is_a_400_problem(client, session):
    """50,000-deep JSON overflowed the parser's stack: a 500."""
    body = "[" * 50_000 + "]" * 50_000
    response = client.post(
        "/api/v1/store/orders",
        data=body,
        headers={"Content-Type": "application/json", **_bearer(session)},
    )
    assert response.status_code == 400
    assert response.mimetype == PROBLEM


def test_json_nesting_is_bounded_well_below_the_parser_limit(client, session):
    body = '{"a":' * 100 + "1" + "}" * 100
    response = client.post("/api/v1/desk/tickets", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == PROBLEM


def test_a_product_id_of_10_to_the_30_is_a_field_message(client, session):
    """A product id of 10^30 gave a 500 (the driver cannot bind it)."""
    response = client.post(
        "/api/v1/store/orders",
        json={"items": [{"product_id": 10**30, "quantity": 1}]},
        headers=_bearer(session),
    )
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert "items.0.product_id" in response.json["errors"]["json"]


@pytest.mark.parametrize(
    ("value", "label"),
    [("x" * 100_001, "too long"), ("Judul\x1b[31m", "control"), ("a\x7fb", "control")],
)
def test_json_strings_are_bounded_with_a_field_message(client, session, value, label):
    response = client.post(
        "/api/v1/advisory/consultations",
        json={"subject": value, "body": "Apa kabar?"},
        headers=_bearer(session),
    )
    assert response.status_code == 422, response.json
    assert response.mimetype == PROBLEM
    assert response.json["errors"]["json"]["subject"]


def test_json_line_breaks_and_tabs_are_text(client, session):
    response = client.post(
        "/api/v1/advisory/consultations",
        json={"subject": "Data kemiskinan", "body": "Baris satu\r\nbaris\tdua"},
        headers=_bearer(session),
    )
    assert response.status_code == 201, response.json


# --- ids in paths and queries -----------------------------------------------------------


@pytest.mark.parametrize("digits", [11, 400, 5000])
def test_a_huge_id_in_a_path_is_404(client, session, digits):
    """A 400-digit id gave a 500."""
    number = "9" * digits
    assert client.get(f"/api/v1/store/products/{number}").status_code == 404
    assert client.get(f"/publications/{number}").status_code == 404
    headers = _bearer(session, Role.ADMIN)
    assert client.get(f"/api/v1/publications/{number}", headers=headers).status_code == 404


def test_every_int_path_argument_is_bounded(app):
    from app.edge import MAX_INT, IdConverter

    bounded = [
        conv
        for rule in app.url_map.iter_rules()
        for conv in (rule._converters or {}).values()
        if isinstance(conv, IdConverter)
    ]
    assert len(bounded) > 50
    assert all(conv.max == MAX_INT for conv in bounded)


def test_a_huge_id_in_a_query_is_not_a_500(client, session):
    headers = _bearer(session, Role.ADMIN)
    response = client.get(f"/api/v1/desk/records?officer_id={10**30}", headers=headers)
    assert response.status_code in {200, 422}


# --- control characters in HTML forms ---------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Dewi\x1b[31m Anggraini"),
        ("full_name", "Dewi\r\nAnggraini"),
        ("institution", "Universitas\x07Bengkulu"),
    ],
)
def test_control_characters_in_a_form_get_a_field_message(client, session, field, value):
    token = csrf_token(client, "/register")
    form = registration_form(**{field: value})
    response = client.post("/register", data={"csrf_token": token, **form})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "karakter kontrol" in page or "satu baris" in page
    assert session.scalar(select(User)) is None


def test_a_multiline_field_keeps_its_line_breaks(app):
    from werkzeug.datastructures import MultiDict
    from wtforms import TextAreaField

    from app.forms import FlaskForm

    class Note(FlaskForm):
        text = TextAreaField()

    with app.test_request_context():
        ok = Note(formdata=MultiDict({"text": "baris satu\r\nbaris\tdua"}), meta={"csrf": False})
        assert ok.validate()
        bad = Note(formdata=MultiDict({"text": "baris\x0csatu"}), meta={"csrf": False})
        assert not bad.validate()


def test_every_form_of_every_feature_uses_the_base_form(app):
    from flask_wtf import FlaskForm as Plain

    from app.forms import FlaskForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [c for c in subclasses(Plain) if c.__module__.split(".")[0] != "tests"]
    assert len(ours) > 20
    strays = [f"{c.__module__}.{c.__name__}" for c in ours if not issubclass(c, FlaskForm)]
    strays = [s for s in strays if s != "app.forms.FlaskForm"]
    assert not strays


# --- database errors and logs -----------------------------------------------------------


def test_a_database_error_is_logged_without_its_parameters(app, client, caplog):
    """The failing SQL was logged with its parameters, NIK and phone included."""
    bp = Blueprint("db_error_test", __name__)

    @bp.route("/_db_error")
    def failing():
        db.session.execute(
            text("SELECT * FROM no_such_table WHERE nik = :nik AND note = :note"),
            {"nik": request.args["nik"], "note": "penanda-rahasia"},
        )
        return "unreachable"

    app.register_blueprint(bp)
    caplog.set_level(logging.ERROR)
    response = client.get(f"/_db_error?nik={NIK}")
    assert response.status_code == 500
    assert "no_such_table" in caplog.text  # the error itself is logged
    assert "penanda-rahasia" not in caplog.text
    assert NIK not in caplog.text


@pytest.mark.parametrize(
    "secret",
    [
        NIK,
        "1771 2345 6789 0123",
        "081234567890",
        "0812-3456-7890",
        "+6281234567890",
        "6281234567890",
        "pst_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    ],
)
def test_personal_data_is_masked_in_log_records(app, caplog, secret):
    caplog.set_level(logging.INFO)
    logging.getLogger("pst.test").info("visitor %s registered", secret)
    assert secret not in caplog.text
    assert "[hidden]" in caplog.text


@pytest.mark.parametrize(
    "link",
    [
        "https://pst.example/password/reset/IjEyMyI.Zz9x.abc",
        "https://pst.example/verify/IjEyMyI.Zz9x.abc",
        "https://pst.example/desk/rate/k3y-s3cret",
    ],
)
def test_link_secrets_are_masked_in_log_records(app, caplog, link):
    caplog.set_level(logging.INFO)
    logging.getLogger("pst.test").warning("sent %s", link)
    assert "IjEyMyI" not in caplog.text and "k3y-s3cret" not in caplog.text


def test_a_traceback_is_masked_too(app, caplog):
    caplog.set_level(logging.ERROR)
    try:
        raise ValueError(f"bad phone 081234567890 for {NIK}")
    except ValueError:
        logging.getLogger("pst.test").exception("failed")
    assert NIK not in caplog.text and "081234567890" not in caplog.text


def test_a_reset_mail_in_the_outbox_logs_no_usable_link(client, session, caplog):
    caplog.set_level(logging.INFO)
    person = user(session, email="lupa@example.org")
    token = csrf_token(client, "/password/forgot")
    client.post("/password/forgot", data={"csrf_token": token, "email": person.email})
    assert "/password/reset/" in caplog.text
    assert "/password/reset/[hidden]" in caplog.text
    assert not [
        line
        for line in caplog.text.splitlines()
        if "/password/reset/" in line and "[hidden]" not in line
    ]


def test_mask_leaves_ordinary_numbers_alone():
    assert logfilter.mask("job 42 took 1500 ms; 2026-12-07 08:15") == (
        "job 42 took 1500 ms; 2026-12-07 08:15"
    )


def test_a_400_digit_number_in_a_form_gets_a_field_message(client, session):
    """WTForms' NumberRange overflowed on it (a 500 on /register, the kiosk, the desk)."""
    token = csrf_token(client, "/register")
    form = registration_form(birth_year="9" * 400)
    response = client.post("/register", data={"csrf_token": token, **form})
    assert response.status_code == 422
    assert "Angka ini di luar batas" in response.get_data(as_text=True)
    assert session.scalar(select(User)) is None


def test_a_multipart_part_without_a_name_is_not_a_500(client, session):
    """Found by Schemathesis: the null-character check read the missing name as text."""
    boundary = "b0undary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--{boundary}--\r\n"
    ).encode()
    response = client.post(
        "/api/v1/store/orders/X/payments/1/proof",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **_bearer(session)},
    )
    assert response.status_code < 500
