"""gunicorn settings for PST in production: ``gunicorn -c gunicorn.conf.py``.

Threaded workers (``gthread``): each worker's main thread keeps telling the master it
is alive while request threads work, so ``timeout`` catches a hung worker but never
cuts a long request. With gunicorn's default synchronous workers the master kills any
request that lasts longer than ``timeout`` (30 s): a stamped download to a slow reader
was cut midway. Command-line options and ``GUNICORN_CMD_ARGS`` override these values
(for example ``--bind 0.0.0.0:8000 --workers 4``).
"""

from __future__ import annotations

import multiprocessing

wsgi_app = "app:create_app()"
bind = "127.0.0.1:8000"

worker_class = "gthread"
# Processes × threads requests at once; a download holds one thread while it streams.
workers = min(4, multiprocessing.cpu_count() + 1)
threads = 8

# Seconds without a heartbeat from a worker's main loop before the master restarts it
# (a hung worker); not a limit on how long a request may take.
timeout = 30
# On restart or reload, downloads in progress get this long to finish.
graceful_timeout = 120
keepalive = 5

# Errors to stderr; no access log here (the reverse proxy keeps one).
errorlog = "-"


def post_worker_init(worker: object) -> None:
    """Once a worker has loaded the app, move everything loaded so far (modules, the URL
    map, compiled templates, SQLAlchemy's mappers) out of the garbage collector's reach:
    each collection then walks only what requests create, not the whole app again.
    (``post_worker_init`` rather than ``post_fork`` or ``when_ready``: without
    ``preload_app`` the app is loaded in the worker, after the fork.)"""
    import gc

    gc.collect()
    gc.freeze()
