"""Writing a private SANE configuration directory (``SANE_CONFIG_DIR``).

The server reaches scanners attached to other machines through SANE's network
protocol: their ``saned`` hosts go into ``net.conf`` and the ``net`` backend into
``dll.conf``; devices then appear as ``net:HOST:BACKEND:DEVICE``. Writing our own
directory leaves ``/etc/sane.d`` alone and lets the application change hosts without
root. Note that SANE's ``net`` backend always dials the ``sane-port`` service (6566):
``net.conf`` has no port syntax.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["write_sane_config"]

_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]+|[A-Za-z0-9][A-Za-z0-9.-]*)$")
_BACKEND = re.compile(r"^[a-z0-9_]+$")
_CONF_FILE = re.compile(r"^[a-z0-9_]+\.conf$")


def write_sane_config(
    directory: str | os.PathLike[str],
    *,
    net_hosts: Iterable[str] = (),
    backends: Iterable[str] = (),
    connect_timeout_s: int | None = 10,
    backend_configs: Mapping[str, str] | None = None,
    system_fallback: bool = True,
) -> str:
    """Write ``dll.conf`` and ``net.conf`` into ``directory``; return ``SANE_CONFIG_DIR``.

    ``dll.conf`` enables ``backends`` plus ``net`` when ``net_hosts`` is not empty;
    ``net.conf`` lists the hosts (names or IP addresses, IPv6 bare or in brackets)
    with ``connect_timeout_s`` so an unreachable host cannot block discovery for
    minutes. ``backend_configs`` writes further files (``{"test.conf": "..."}``).

    The returned value is what to pass as ``config_dir``: with ``system_fallback`` it
    ends in ``:``, so SANE reads this directory first (our ``dll.conf`` and
    ``net.conf`` win) and finds the other backends' files in its default directories.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    hosts = [h.strip() for h in net_hosts]
    for host in hosts:
        if not _HOST.match(host):
            raise ValueError(f"invalid saned host {host!r}")
    enabled = [b.strip() for b in backends]
    if hosts and "net" not in enabled:
        enabled.append("net")
    for backend in enabled:
        if not _BACKEND.match(backend):
            raise ValueError(f"invalid SANE backend name {backend!r}")
    (folder / "dll.conf").write_text("".join(f"{b}\n" for b in enabled), encoding="utf-8")
    net_lines = [] if connect_timeout_s is None else [f"connect_timeout = {connect_timeout_s}"]
    # IPv6 addresses are written bare: net.conf does not take brackets.
    net_lines += [h.strip("[]") for h in hosts]
    (folder / "net.conf").write_text("".join(f"{line}\n" for line in net_lines), encoding="utf-8")
    for name, text in (backend_configs or {}).items():
        if not _CONF_FILE.match(name) or name in ("dll.conf", "net.conf"):
            raise ValueError(f"invalid SANE configuration file name {name!r}")
        (folder / name).write_text(text, encoding="utf-8")
    return f"{folder}:" if system_fallback else str(folder)
