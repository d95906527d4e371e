"""vulture's whitelist: names that only frameworks, templates or the database use.

vulture sees Python calls only. What it cannot see: Jinja templates reading attributes,
SQLAlchemy columns written for the record, marshmallow and WTForms fields (used by the
framework by name), reportlab/Whoosh/PIL attributes set for the library to read,
arguments a callback's signature requires, Alembic's revision variables. Decorated
entry points (Flask and flask-smorest views, click commands, jobs, event listeners,
marshmallow hooks) are skipped by ``scripts/check-dead-code``'s ``--ignore-decorators``.

Add a name here only when it is used by something vulture cannot read; delete dead code
instead of listing it. The file is parsed by vulture, never run.
"""

# ruff: noqa: B018, F821


# --- advisory/: columns written for the record and read in templates, schema and form
# fields, template data

pdf_url  # variable (advisory/api_schemas.py:47)
_._messages  # method (advisory/api_schemas.py:79)
avail_height  # variable (advisory/blank_form.py:59)
_.assigned_at  # attribute (advisory/consultations.py:229)
_.escalated_at  # attribute (advisory/consultations.py:390)
days_left  # variable (advisory/deadlines.py:80)
_.render_kw  # attribute (advisory/forms.py:92)
return_form  # variable (advisory/forms.py:363)
_.pdf_size  # attribute (advisory/letters.py:262)
assigned_at  # variable (advisory/models.py:106)
escalated_at  # variable (advisory/models.py:110)
author_id  # variable (advisory/models.py:155)
published_by_id  # variable (advisory/models.py:199)
passed_at  # variable (advisory/models.py:293)
head_note  # variable (advisory/models.py:299)
head_returned_at  # variable (advisory/models.py:300)
approved_by  # variable (advisory/models.py:306)
submitted_by_id  # variable (advisory/models.py:352)
reviewed_at  # variable (advisory/models.py:357)
uploaded_by  # variable (advisory/models.py:396)
pdf_size  # variable (advisory/models.py:431)
issued_by_id  # variable (advisory/models.py:438)
_.reviewed_at  # attribute (advisory/recommendations.py:435)
_.head_note  # attribute (advisory/recommendations.py:437)
_.passed_at  # attribute (advisory/recommendations.py:439)
_.head_returned_at  # attribute (advisory/recommendations.py:555)
to_verify  # variable (advisory/recommendations.py:751)
to_approve  # variable (advisory/recommendations.py:752)
approved  # variable (advisory/recommendations.py:754)

# --- app/: columns, form fields, Flask-Login and Flask settings, SQLAlchemy type hooks,
# handler signatures, Alembic revision identifiers

consent  # variable (app/accounts/forms.py:243)
last_login_at  # variable (app/accounts/models.py:111)
_.last_login_at  # attribute (app/accounts/services/sign_in.py:42)
_.load_multipart  # method (app/api/multipart.py:26)
ARGUMENTS_PARSER  # variable (app/api/multipart.py:33)
_.format_commands  # method (app/cli.py:124)
signum  # variable (app/cli.py:344)
impl  # variable (app/db.py:55)
cache_ok  # variable (app/db.py:56)
_.process_bind_param  # method (app/db.py:58)
_.process_result_value  # method (app/db.py:67)
_.status_code  # attribute (app/errors.py:105)
ERROR_SCHEMA  # variable (app/extensions.py:46)
_.handle_http_exception  # method (app/extensions.py:87)
_.login_view  # attribute (app/factory.py:65)
_.login_message  # attribute (app/factory.py:66)
_.login_message_category  # attribute (app/factory.py:67)
_.session_protection  # attribute (app/factory.py:68)
sent_at  # variable (app/mail_queue.py:62)
previous_transaction  # variable (app/mail_queue.py:108)
context_  # variable (app/migrations/env.py:36)
down_revision  # variable (app/migrations/versions/0001_foundation.py:16)
branch_labels  # variable (app/migrations/versions/0001_foundation.py:17)
depends_on  # variable (app/migrations/versions/0001_foundation.py:18)
_.max_content_length  # attribute (app/security.py:55)

# --- catalog/: reportlab chart attributes, schema fields, columns, Whoosh and PIL
# settings, reportlab hook signatures

cover_url  # variable (catalog/api.py:56)
_.categoryNames  # attribute (catalog/demo/charts.py:117)
_.fontSize  # attribute (catalog/demo/charts.py:118)
_.boxAnchor  # attribute (catalog/demo/charts.py:120)
_.labelTextFormat  # attribute (catalog/demo/charts.py:122)
_.visibleGrid  # attribute (catalog/demo/charts.py:127)
_.gridStrokeColor  # attribute (catalog/demo/charts.py:128)
_.joinedLines  # attribute (catalog/demo/charts.py:129)
_.joinAxisMode  # attribute (catalog/demo/charts.py:130)
_.strokeColor  # attribute (catalog/demo/charts.py:132)
_.strokeWidth  # attribute (catalog/demo/charts.py:133)
_.fillColor  # attribute (catalog/demo/charts.py:136)
_.lineLabelFormat  # attribute (catalog/demo/charts.py:137)
_.groupSpacing  # attribute (catalog/demo/charts.py:148)
_.barLabelFormat  # attribute (catalog/demo/charts.py:157)
_.reverseDirection  # attribute (catalog/demo/charts.py:166)
_.nudge  # attribute (catalog/demo/charts.py:200)
_.alignment  # attribute (catalog/demo/charts.py:206)
_.columnMaximum  # attribute (catalog/demo/charts.py:207)
_.fontName  # attribute (catalog/demo/charts.py:209)
_.deltax  # attribute (catalog/demo/charts.py:211)
_.dxTextSpace  # attribute (catalog/demo/charts.py:212)
_.colorNamePairs  # attribute (catalog/demo/charts.py:214)
availHeight  # variable (catalog/demo/flowables.py:29)
availWidth  # variable (catalog/demo/flowables.py:29)
_.afterFlowable  # method (catalog/demo/flowables.py:145)
_.MAX_IMAGE_PIXELS  # attribute (catalog/ingest/confine.py:95)
created_by  # variable (catalog/models.py:104)
updated_by  # variable (catalog/models.py:105)
rl_date  # variable (catalog/schemas.py:39)
_.indexed  # attribute (catalog/search/analysis.py:117)
_.pst_mapping  # attribute (catalog/search/generations.py:103)
_.column_type  # attribute (catalog/search/schema.py:199)
_.to_column_value  # method (catalog/search/schema.py:214)
_.from_column_value  # method (catalog/search/schema.py:222)
_._maxweight  # attribute (catalog/search/writer.py:124)
_._new_task  # method (catalog/search/writer.py:158)

# --- desk/: API schema fields, dashboard figures read in templates, form fields,
# columns, constraint names

print_url  # variable (desk/api.py:54)
user_name  # variable (desk/api.py:173)
officer_name  # variable (desk/api.py:175)
rating_url  # variable (desk/api.py:189)
nrr_exact  # variable (desk/api.py:267)
ikm_exact  # variable (desk/api.py:272)
service_label  # variable (desk/api.py:287)
day_info  # function (desk/calendar.py:191)
is_working_day  # function (desk/calendar.py:200)
average_seconds  # variable (desk/dashboard.py:41)
longest_seconds  # variable (desk/dashboard.py:42)
no_show  # variable (desk/dashboard.py:68)
transferred  # variable (desk/dashboard.py:69)
waits  # variable (desk/dashboard.py:70)
longest_waiting_seconds  # variable (desk/dashboard.py:71)
_.freeze_panes  # attribute (desk/dashboard.py:315)
widget  # variable (desk/forms.py:103): WTForms reads it
option_widget  # variable (desk/forms.py:104)
_.revoked_by_id  # attribute (desk/kiosk_devices.py:83)
u1  # variable (desk/models.py:341)
u2  # variable (desk/models.py:342)
u3  # variable (desk/models.py:343)
u4  # variable (desk/models.py:344)
u5  # variable (desk/models.py:345)
u6  # variable (desk/models.py:346)
u7  # variable (desk/models.py:347)
u8  # variable (desk/models.py:348)
u9  # variable (desk/models.py:349)
revoked_by_id  # variable (desk/models.py:379)
enrolled_by  # variable (desk/models.py:382)
ticket_by_number  # function (desk/queue.py:423)
unrated_count  # function (desk/records.py:662)

# --- library/: columns, schema and form fields, Werkzeug and PIL settings

downloads_back_at  # variable (library/access.py:33)
walk_in_submit  # variable (library/desk_forms.py:74)
available_copies  # function (library/holdings.py:123)
_.content_length  # attribute (library/http.py:33)
handled_by  # variable (library/models.py:172)
notified  # variable (library/models.py:203)
scan_pages  # variable (library/models.py:255)
scan_size  # variable (library/models.py:256)
softcopy_request_id  # variable (library/scan_api.py:62)
_.scan_pages  # attribute (library/scan_requests.py:305)
_.scan_size  # attribute (library/scan_requests.py:306)
_.notified  # attribute (library/softcopy.py:177)

# --- scanner/: dataclass fields read by callers outside the package

advanced  # variable (scanner/options.py:63)
image_bytes  # variable (scanner/pipeline.py:61)

# --- storage/: framework use

_.readinto  # method (storage/s3.py:85)

# --- store/: API schema fields, columns, form fields, zipfile settings

price_unit  # variable (store/api.py:55)
tariff_code  # variable (store/api.py:56)
requires_agreement  # variable (store/api.py:67)
tracking_note  # variable (store/api.py:118)
checkout_url  # variable (store/api.py:136)
review_note  # variable (store/api.py:155)
_.get_missing  # method (store/api.py:167)
signed_scan  # variable (store/api.py:196)
_.compress_type  # attribute (store/cutting/common.py:192)
RequirementsMissing  # class (store/errors.py:58)
accept  # variable (store/forms.py:118)
_.confirmed_by_id  # attribute (store/fulfilment.py:89)
_.tracking_note  # attribute (store/fulfilment.py:280)
refunded_at  # variable (store/models.py:194)
desk_visit_id  # variable (store/models.py:204)
entered_by  # variable (store/models.py:207)
unit_price  # variable (store/models.py:247)
scan_uploaded_at  # variable (store/models.py:373)
proof_uploaded_at  # variable (store/models.py:409)
confirmed_by_id  # variable (store/models.py:416)
_.review_note  # attribute (store/orders.py:651)
_.proof_uploaded_at  # attribute (store/payments/manual.py:179)
_.refunded_at  # attribute (store/payments/stripe_provider.py:207)
refunded  # variable (store/reports.py:27)
_.scan_uploaded_at  # attribute (store/requirements.py:247)

# --- watermark/: dataclass fields and a context-manager signature

bytes_written  # variable (watermark/stamping.py:43)
exc_type  # variable (watermark/stamping.py:114)
fast  # variable (watermark/stats.py:26)

# Counter columns: app.numbering.take_next reads and raises them by name.
_.last_seq  # attribute (advisory/models.py, desk/models.py)
# A dataclass field read by templates and the scanner's device list.
_.vendor  # attribute (scanner/devices.py)
# PEP 562: storage imports boto3 only when S3Store is asked for.
__getattr__  # storage/__init__.py
# The FS3 form's fields in the API (data_key="fields"): marshmallow reads them.
fs3_fields  # variable (advisory/api_schemas.py)
# Set on flask.g by the page cache and read back with g.get() in the same request.
_.page_cache_key  # attribute (app/pagecache.py)
_.page_cache_hit  # attribute (app/pagecache.py)
# The erasure form's confirmation box: only its validator and the template read it.
understood  # variable (app/accounts/rights_forms.py)
# Who closed an erasure request: the queue's template shows it.
_.closed_by  # attribute (app/accounts/erasure_models.py)
# Read by the publication page's <head> partial (catalog/_head_meta.html).
_.properties  # attribute (catalog/metadata.py PageMeta)


# --- app/accounts/consent_models.py: read in the privacy notice's templates
published_at  # variable (app/accounts/consent_models.py:45)
_.published_at  # attribute (app/accounts/services/consent.py:114)
