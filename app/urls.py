"""External links for mail and documents, inside or outside a request.

In a request the link follows the address the visitor used (after ProxyFix); from the
CLI or a worker it uses ``BASE_URL``, which production sets.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values: Any) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = (current_app.config.get("BASE_URL") or "http://localhost:5000").rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
