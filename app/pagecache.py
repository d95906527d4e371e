"""Whole-page cache of public catalogue pages for anonymous visitors.

An anonymous GET of a page that features declare cacheable (home, catalogue, search
results, publication page) is answered from this process's memory when the same URL
was rendered in the same language since the catalogue last changed. A page is kept only
when it carries no per-visitor state: status 200, no ``Set-Cookie``, and the request had
no session or remember-me cookie (so no flash message, no signed-in user, no staff
preview). Responses for signed-in visitors are never kept or served from here.

Invalidation: every page kept is filed under the *catalogue version*, a random token in
the file ``page-cache.version`` of the instance directory, read once per cacheable
request (one small file read, a few microseconds). Any commit that touched a watched
table (the catalogue, holdings, store offers: features declare theirs with
:func:`watch_tables`) writes a new token right after the commit, and so does a write of
the search index (:func:`bump`); every process of every worker sees the new token on its
next request. With ``REDIS_URL`` set (production, several hosts) the token is a Redis
key every host reads; while Redis cannot be reached no page is served from or kept in
the cache (they are rendered), so a host never serves a page it cannot prove current.
Embedded, the token is a file in the instance directory. The version is read before
the page is rendered, so a page rendered across a change is filed under the old token
and never served after it. A page is also dropped after ``MAX_AGE`` seconds, a bound
for anything time-dependent.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_app_context, request, session
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from werkzeug.datastructures import Headers
from werkzeug.wrappers import Response

from app.config import Setting, declare, set_defaults
from app.i18n import LANG_COOKIE, LOCALES

log = logging.getLogger(__name__)

#: A kept page: its status, headers and body.
HeaderList = list[tuple[str, str]]

VERSION_FILE = "page-cache.version"
REDIS_KEY = "pst-page-cache-version"
MAX_ENTRIES = 2000  # pages kept per process (a page is 10-40 KB)
MAX_AGE = 300.0  # seconds
_EXT = "pst.page_cache"
_CHANGED = "pst.pages_changed"

#: Tables whose changes show on a cached page (filled by :func:`watch_tables`).
_watched: set[str] = set()


class PageCache:
    """The pages of one app in this process (least recently used dropped first)."""

    def __init__(
        self,
        instance_path: str,
        max_entries: int = MAX_ENTRIES,
        redis_url: str | None = None,
        catalogue: str = "",
    ) -> None:
        self.version_path = Path(instance_path) / VERSION_FILE
        # One version per catalogue (database): hosts sharing a database share it.
        self.redis_key = f"{REDIS_KEY}:{hashlib.sha256(catalogue.encode()).hexdigest()[:16]}"
        self.redis: Any = None
        if redis_url:
            from redis import Redis

            # Short timeouts: a Redis that is away must not hold the page.
            self.redis = Redis.from_url(redis_url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self.max_entries = max_entries
        self.endpoints: set[str] = set()
        self.entries: OrderedDict[tuple[str, str, str], tuple[float, int, HeaderList, bytes]] = (
            OrderedDict()
        )
        self.lock = threading.Lock()

    def version(self) -> str | None:
        """The current catalogue version; None when it cannot be known (Redis away)."""
        if self.redis is not None:
            try:
                token = self.redis.get(self.redis_key)
            except Exception:  # any Redis failure: render instead of trusting the cache
                return None
            return token.decode("ascii") if token else ""
        try:
            with open(self.version_path, encoding="ascii") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def bump(self) -> None:
        """A new version token, replacing the file atomically (readers see old or new)."""
        if self.redis is not None:
            try:
                self.redis.set(self.redis_key, uuid.uuid4().hex)
            except Exception:
                # Other hosts keep their pages until Redis answers again (they render
                # meanwhile) or MAX_AGE passes; said in the log for the operator.
                log.warning("page cache: Redis unreachable, the catalogue version not raised")
            with self.lock:
                self.entries.clear()
            return
        self.version_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.version_path.with_name(f".{VERSION_FILE}.{uuid.uuid4().hex}")
        tmp.write_text(uuid.uuid4().hex, encoding="ascii")
        os.replace(tmp, self.version_path)
        with self.lock:
            self.entries.clear()

    def get(self, key: tuple[str, str, str]) -> tuple[int, HeaderList, bytes] | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if time.monotonic() - entry[0] > MAX_AGE:
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry[1], entry[2], entry[3]

    def put(self, key: tuple[str, str, str], status: int, headers: HeaderList, body: bytes) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic(), status, headers, body)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)


def cache_of(app: Flask) -> PageCache:
    cache: PageCache = app.extensions[_EXT]
    return cache


def cache_endpoints(app: Flask, endpoints: Iterable[str]) -> None:
    """Declare endpoints whose anonymous GET pages are the same for every visitor."""
    cache_of(app).endpoints.update(endpoints)


def watch_tables(tables: Iterable[str]) -> None:
    """Declare tables whose committed changes may show on a cached page."""
    _watched.update(tables)


def bump(app: Flask | None = None) -> None:
    """The catalogue changed outside a watched commit (e.g. the search index was written)."""
    target = app if app is not None else (current_app if has_app_context() else None)
    if target is not None and _EXT in target.extensions:
        cache_of(target).bump()


# --- per request -------------------------------------------------------------------------


def _anonymous_without_state() -> bool:
    """No one is signed in and nothing waits to be shown once (a flash message). A
    session of an anonymous visitor (a CSRF token from the sign-in form) is fine: the
    cached pages never read it. (Such a page is served from memory but never kept:
    Flask-Login's "strong" protection re-saves that session, unchanged, on every page
    it renders, so the response has a ``Set-Cookie``.)"""
    cookies = request.cookies
    config = current_app.config
    if config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies:
        return False
    if config["SESSION_COOKIE_NAME"] not in cookies:
        return True
    return "_user_id" not in session and "_flashes" not in session


def _key() -> tuple[str, str, str] | None:
    if request.method != "GET" or not current_app.config["PAGE_CACHE"]:
        return None
    if request.endpoint not in cache_of(current_app).endpoints:
        return None
    if not _anonymous_without_state():
        return None
    lang = request.cookies.get(LANG_COOKIE)
    if lang not in LOCALES:
        lang = str(current_app.config["DEFAULT_LOCALE"])
    url = request.full_path if request.query_string else request.path
    version = cache_of(current_app).version()
    if version is None:
        return None
    return (url, lang, version)


def _serve() -> Response | None:
    key = _key()
    if key is None:
        return None
    g.page_cache_key = key
    hit = cache_of(current_app).get(key)
    if hit is None:
        return None
    g.page_cache_hit = True
    status, headers, body = hit
    return Response(body, status=status, headers=Headers(headers))


def _keep(response: Response) -> Response:
    key = g.get("page_cache_key")
    if key is None or g.get("page_cache_hit"):
        return response
    if response.status_code != 200 or response.is_streamed or "Set-Cookie" in response.headers:
        return response
    body = response.get_data()
    cache_of(current_app).put(key, response.status_code, list(response.headers.items()), body)
    return response


# --- invalidation ------------------------------------------------------------------------


def _table_of(obj: Any) -> str:
    table = getattr(obj, "__table__", None)
    return str(getattr(table, "name", ""))


def _after_flush(session: Session, _flush_context: Any) -> None:
    if any(_table_of(o) in _watched for o in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True


def _on_execute(state: ORMExecuteState) -> None:
    # Bulk UPDATE/DELETE/INSERT statements bypass the flush.
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if str(getattr(table, "name", "")) in _watched:
        state.session.info[_CHANGED] = True


def _after_commit(session: Session) -> None:
    # The mark is not cleared on rollback: a savepoint rolled back must not hide a change
    # flushed before it; a change rolled back costs one needless bump at the next commit.
    if session.info.pop(_CHANGED, False):
        bump()


_listening = False


def _listen() -> None:
    global _listening
    if _listening:
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _on_execute)
    event.listen(Session, "after_commit", _after_commit)
    _listening = True


# Declared on import, so ``pst settings`` lists it without building the app.
# PAGE_CACHE = False renders every page (the benchmark's comparison; a debugging aid).
SETTINGS = declare(
    Setting(
        "PAGE_CACHE",
        bool,
        True,
        "Keep anonymous catalogue pages in memory until the catalogue changes",
    )
)


def init_app(app: Flask) -> None:
    """Install the cache; call before other ``before_request`` hooks so a hit skips them
    (its ``after_request`` then runs last and keeps the page with every header set)."""
    set_defaults(app, SETTINGS)
    app.extensions[_EXT] = PageCache(
        app.instance_path,
        redis_url=app.config.get("REDIS_URL") or None,
        catalogue=str(app.config.get("SQLALCHEMY_DATABASE_URI", "")),
    )
    _listen()
    app.before_request(_serve)
    app.after_request(_keep)
