"""Advisory services (SOP-1-03, SOP-1-04): consultation, data requests and
recommendations for statistical activities planned by other institutions.

* :mod:`advisory.consultations` — questions and data requests: threaded tickets with
  attachments, assignment, escalation to subject-matter staff, a 3-working-day deadline,
  the data request letter; :mod:`advisory.faq` — search first, and published answers.
* :mod:`advisory.recommendations` — the FS3 form: drafts, versions, verification with a
  checklist, the duplicate-survey check, the head's approval.
* :mod:`advisory.letters` — numbered letters with a QR code to a public page that
  verifies them; :mod:`advisory.deadlines` and :mod:`advisory.reminders` — deadlines on
  the front desk's service calendar, reminders and overdue reports.

Wired by :func:`advisory.wiring.init_app`; the API is :data:`advisory.api.blp`.
"""
