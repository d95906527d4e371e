"""Links: external ones for mail and documents, inside or outside a request, and the
fixed links every page's frame repeats.

In a request an external link follows the address the visitor used (after ProxyFix);
from the CLI or a worker it uses ``BASE_URL``, which production sets.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request, url_for

#: app.extensions key of the fixed links an app has built, by script root, endpoint and
#: values (few: templates name them literally).
_FIXED = "pst.fixed_urls"


def external_url(endpoint: str, **values: Any) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = (current_app.config.get("BASE_URL") or "http://localhost:5000").rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def fixed_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` for a link that is the same on every page (the
    header's and footer's, the stylesheet): built once per script root rather than on
    every page (``url_for`` walks the URL map each time: a fifth of the frame's cost).
    Only for literal values; the app registers no URL defaults that could vary them."""
    if not has_request_context():  # a page rendered by a worker (BASE_URL's context)
        return url_for(endpoint, **values)
    built: dict[tuple[str, str, tuple[tuple[str, Any], ...]], str]
    built = current_app.extensions.setdefault(_FIXED, {})
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    url = built.get(key)
    if url is None:
        url = built[key] = url_for(endpoint, **values)
    return url
