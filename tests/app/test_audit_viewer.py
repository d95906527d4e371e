"""The admins' audit log: filters, pages, the CSV export (masked, formula-safe, itself
audited), refusals and bad filter input."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from factories import PASSWORD, user
from helpers import submit

from app import audit
from app.accounts.models import Role
from app.audit import AuditEvent


def _login(client, session, role=Role.ADMIN):
    person = user(session, role=role)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    client.set_cookie("pst_lang", "en")  # the assertions read the English messages
    return person


def _event(session, action, *, actor=None, kind=None, number=None, detail=None, at=None):
    event = audit.record(
        session,
        action,
        actor_id=actor.id if actor else None,
        subject_type=kind,
        subject_id=number,
        detail=detail,
        at=at,
    )
    session.commit()
    return event


def _page(client, **args):
    response = client.get("/staff/audit", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rows(html):
    return re.findall(r"<tr>\s*<td><time>.*?</tr>", html, re.S)


def _csv(client, **args):
    response = client.get("/staff/audit.csv", query_string=args)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert "Content-Length" not in response.headers  # streamed, not built whole
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("role", [Role.USER, Role.RECEPTIONIST, Role.OFFICER, Role.HEAD])
def test_only_admins_open_the_log_and_its_export(client, session, role):
    assert client.get("/staff/audit").status_code == 302  # sign in first
    _login(client, session, role)
    assert client.get("/staff/audit").status_code == 403
    assert client.get("/staff/audit.csv").status_code == 403
    assert "/staff/audit" not in client.get("/staff").get_data(as_text=True)
    assert session.query(AuditEvent).filter_by(action="audit.exported").count() == 0


def test_admins_reach_the_log_from_the_staff_hub(client, session):
    _login(client, session)
    assert 'href="/staff/audit"' in client.get("/staff").get_data(as_text=True)


def test_the_log_reads_in_words_newest_first(client, session):
    admin = _login(client, session)
    now = datetime.now(UTC)
    _event(session, "token.created", actor=admin, kind="api_token", number=5, at=now)
    _event(
        session,
        "account.role_changed",
        actor=admin,
        kind="user",
        number=admin.id,
        detail={"from": "user", "to": "officer"},
        at=now + timedelta(seconds=5),
    )
    html = _page(client)
    rows = _rows(html)
    assert "Role changed" in rows[0] and "API token created" in rows[1]
    assert "Before" in rows[0] and "After" in rows[0] and "Service officer" in rows[0]
    assert "API token" in rows[1] and "#5" in rows[1]
    assert admin.full_name in rows[0]
    assert not any("account.role_changed" in row or '{"' in row for row in rows)


def test_unnamed_actions_and_values_are_words_not_identifiers(client, session):
    _login(client, session)
    _event(session, "feature.thing_done", kind="some_record", number=1,
           detail={"outcome": "partly", "due": "2026-12-28", "odd_key": "x"})  # fmt: skip
    row = _rows(_page(client))[0]
    assert "Thing done" in row and "some record" in row and "Odd key" in row
    assert "Partly served" in row and "December 28, 2026" in row
    assert "feature.thing_done" not in row and "2026-12-28" not in row


def test_filters_by_actor_object_time_and_together(client, session):
    admin = _login(client, session)
    other = user(session, role=Role.OFFICER)
    # 30 Nov 17:30 UTC is already 1 December in WIB.
    late = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    early = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 23:30 WIB on 30 November
    _event(session, "token.created", actor=other, kind="api_token", number=7, at=late)
    _event(session, "token.revoked", actor=other, kind="api_token", number=8, at=early)
    _event(session, "job.retried", actor=admin, kind="job", number="abc", at=late)

    def actions(**args):
        return {
            a
            for a in ("API token created", "API token revoked", "Job run again")
            if any(a in row for row in _rows(_page(client, **args)))
        }

    assert actions(actor=other.email) == {"API token created", "API token revoked"}
    assert actions(actor=str(other.id)) == {"API token created", "API token revoked"}
    assert actions(actor=other.email.upper()) == {"API token created", "API token revoked"}
    assert actions(kind="api_token") == {"API token created", "API token revoked"}
    assert actions(kind="api_token", object_id="8") == {"API token revoked"}
    assert actions(object_id="abc") == {"Job run again"}
    assert actions(date_from="2026-12-01", date_to="2026-12-01") == {
        "API token created",
        "Job run again",
    }
    assert actions(date_to="2026-11-30") == {"API token revoked"}
    assert actions(date_from="2026-12-01", date_to="2026-11-30") == {  # reversed: swapped
        "API token created",
        "API token revoked",
        "Job run again",
    }
    assert actions(actor=other.email, date_from="2026-12-01") == {"API token created"}
    assert actions(action="job.retried") == {"Job run again"}
    html = _page(client, actor=admin.email, kind="api_token")
    assert _rows(html) == [] and "No entry matches these filters." in html


def test_pages_of_25_carry_the_filters(client, session):
    admin = _login(client, session)
    start = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    for n in range(30):
        _event(session, "job.cancelled", actor=admin, kind="job", number=f"j{n}",
               at=start + timedelta(minutes=n))  # fmt: skip
    first = _page(client, kind="job")
    assert len(_rows(first)) == 25
    assert "#j29" in _rows(first)[0] and "#j5" in _rows(first)[-1]
    assert "30 entries." in first
    link = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert link and "kind=job" in link.group(1) and "page=2" in link.group(1)
    second = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert len(_rows(second)) == 5 and "#j0" in _rows(second)[-1]
    assert len(_rows(_page(client, kind="job", page="999999999999"))) == 5  # the last page


def test_bad_filter_input_is_a_message_not_an_error(client, session):
    _login(client, session)
    _event(session, "token.created", kind="api_token", number=1)
    cases = {
        "date_from": ("2026-13-45", "Enter a date as day, month and year."),
        "date_to": ("0001-01-01", "Enter a date between 2000 and 2099."),
        "actor": ("99999999999999999999999", "No account has this address or number."),
    }
    for key, (value, message) in cases.items():
        html = _page(client, **{key: value})
        assert message in html and _rows(html) == []
    assert "No account has this address or number." in _page(client, actor="nobody@example.org")
    assert "No account has this address or number." in _page(client, actor="0")
    assert "Choose a kind of record from the list." in _page(client, kind="no_such_kind")
    assert "Choose an action from the list." in _page(client, action="x" * 500)
    assert "Use at most 64 characters." in _page(client, object_id="9" * 500)
    assert _rows(_page(client, object_id="9" * 64)) == []
    # The export refuses the same input and sends the admin back to the page.
    refused = client.get("/staff/audit.csv", query_string={"date_from": "31-31-2026"})
    assert refused.status_code == 302 and "/staff/audit?" in refused.headers["Location"]


def test_the_page_and_the_export_mask_personal_data(client, session):
    admin = _login(client, session)
    nik, phone = "1771020304050607", "0812 3456 7890"
    _event(
        session,
        "desk.record_corrected",
        actor=admin,
        kind="desk_service_record",
        number=3,
        detail={"note": ["", f"NIK {nik}, telp {phone}"], "nik": "1771999999999999"},
    )
    html = _page(client)
    assert nik not in html and phone not in html and "1771999999999999" not in html
    assert "[hidden]" in html
    text = "\n".join(",".join(row) for row in _csv(client))
    assert nik not in text and phone not in text and "1771999999999999" not in text
    assert "[hidden]" in text


def test_the_export_holds_the_filtered_entries_formula_safe_and_is_audited(client, session):
    admin = _login(client, session)
    at = datetime(2026, 11, 20, 1, 2, 3, tzinfo=UTC)
    formulas = {"code": '=HYPERLINK("http://x")', "from": "+1", "to": "-2"}
    _event(session, "store.tariff_changed", actor=admin, kind="store_tariff", number=4,
           detail=formulas, at=at)  # fmt: skip
    _event(session, "token.created", actor=admin, kind="api_token", number="@SUM(A1)", at=at)
    _event(session, "token.revoked", kind="api_token", number=9, at=at - timedelta(days=30))

    rows = _csv(client, kind="store_tariff")
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Time (WIB)", "Action", "Action code"]
    assert len(body) == 1
    line = dict(zip(header, body[0], strict=True))
    assert line["Time (WIB)"] == "2026-11-20 08:02:03"
    assert line["Action code"] == "store.tariff_changed"
    assert line["Actor"] == admin.full_name and line["Actor email"] == admin.email
    assert line["Kind of record"] == "Tariff" and line["Record number"] == "4"
    assert "'=HYPERLINK" not in line["Details"]  # the cell starts with its label…
    assert not any(cell[:1] in "=+-@" for row in body for cell in row if cell)

    tokens = _csv(client, kind="api_token", date_from="2026-11-01")
    token = dict(zip(header, tokens[1], strict=True))
    assert token["Record number"] == "'@SUM(A1)"

    exported = (
        session.query(AuditEvent).filter_by(action="audit.exported").order_by(AuditEvent.id).all()
    )
    assert len(exported) == 2 and all(e.actor_id == admin.id for e in exported)
    assert '"subject_type": "api_token"' in exported[-1].detail
    assert '"date_from": "2026-11-01"' in exported[-1].detail
    html = _page(client, action="audit.exported")
    shown = _rows(html)[0]
    assert "Audit log exported" in shown and "API token" in shown
    assert "November 1, 2026" in shown and "api_token" not in shown


def test_the_export_streams_every_batch(app, client, session):
    admin = _login(client, session)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    for n in range(7):  # the same instant for some: the batches must not skip or repeat
        _event(session, "job.retried", actor=admin, kind="job", number=f"b{n}",
               at=start + timedelta(minutes=n // 3))  # fmt: skip
    from app import audit_log

    with app.test_request_context():
        filters = audit_log.Filters(action="job.retried")
        lines = list(audit_log.export_lines(session, filters, size=2))
    numbers = [next(csv.reader([line]))[7] for line in lines[1:]]
    assert sorted(numbers) == [f"b{n}" for n in range(7)]
    assert numbers[0] == "b6"


def test_an_empty_log_says_so(client, session):
    _login(client, session)
    session.query(AuditEvent).delete()
    session.commit()
    assert "Nothing has been recorded yet." in _page(client)


def test_the_export_speaks_the_readers_language(client, session):
    _login(client, session)
    client.set_cookie("pst_lang", "id")
    _event(session, "token.created", kind="api_token", number=1)
    rows = _csv(client, kind="api_token")
    assert rows[0][0] == "Waktu (WIB)" and rows[1][1] == "Token API dibuat"
