"""``pst scan``: the bridge for a staff workstation with the scanner attached.

With ``--server URL --token TOKEN`` it scans, cleans each page here (frame, orientation,
skew; stored as G4 or JPEG, so uploads are small), and uploads the pages into a batch
through the API, then finishes the batch and follows the OCR-and-ingest job with a
progress bar. Everything lives in a work folder (``--work-dir``, by default
``~/.cache/pst-scan/<id>/``) with a ``state.json``: a page file is deleted only after
the server acknowledged it, so after a dropped connection (or a jam) running the same
command again with ``--work-dir`` resumes — nothing acknowledged is sent twice, and
nothing scanned is scanned again.

Without ``--server`` the same pipeline runs against the local instance: the pages go
into a local batch and are OCRed and ingested here.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

STATE = "state.json"
RETRIES = 4


class BridgeError(click.ClickException):
    """A failure the officer can act on; the work folder is kept for a resume."""


# --- the HTTP side -------------------------------------------------------------------


class TransportError(Exception):
    """The server could not be reached or answered with a server error: try again."""


class Bridge:
    """The few API calls of the bridge, over ``urllib`` (no extra dependency)."""

    def __init__(self, server: str, token: str, *, timeout_s: float = 300.0) -> None:
        self.base = server.rstrip("/")
        if not self.base.endswith("/api/v1"):
            self.base += "/api/v1"
        self.token = token
        self.timeout_s = timeout_s

    def request(
        self, method: str, path: str, *, body: bytes | None = None, content_type: str | None = None
    ) -> tuple[int, Any]:
        req = urllib.request.Request(self.base + path, data=body, method=method)  # noqa: S310
        req.add_header("Authorization", f"Bearer {self.token}")
        req.add_header("Accept", "application/json")
        if content_type:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as response:  # noqa: S310
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            raw, status = exc.read(), exc.code
            if status >= 500 and status != 502:
                raise TransportError(f"server error {status}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise TransportError(str(getattr(exc, "reason", exc))) from None
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode("utf-8", "replace")
        return status, data

    def json(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        body = None if payload is None else json.dumps(payload).encode()
        return self.request(method, path, body=body, content_type="application/json")

    def upload(self, path: str, fields: dict[str, str], file: Path) -> tuple[int, Any]:
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        parts.append(file.read_bytes())
        parts.append(f"\r\n--{boundary}--\r\n".encode())
        return self.request(
            "PUT",
            path,
            body=b"".join(parts),
            content_type=f"multipart/form-data; boundary={boundary}",
        )


def _problem(data: Any) -> str:
    if isinstance(data, dict):
        return str(data.get("detail") or data.get("title") or data.get("message") or data)
    return str(data)


def _retrying(
    call: Callable[[], tuple[int, Any]], *, what: str, sleep: Callable[[float], None]
) -> tuple[int, Any]:
    delay = 1.0
    for attempt in range(1, RETRIES + 1):
        try:
            return call()
        except TransportError as exc:
            if attempt == RETRIES:
                raise BridgeError(f"{what}: the server cannot be reached ({exc}).") from None
            click.echo(f"\n{what}: {exc}; trying again in {delay:.0f} s", err=True)
            sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


# --- the work folder ------------------------------------------------------------------


class WorkState:
    """``state.json`` in the work folder: written after every change."""

    def __init__(self, folder: Path, data: dict[str, Any]) -> None:
        self.folder = folder
        self.data = data
        self._lock = threading.Lock()

    @classmethod
    def open(cls, folder: Path, fresh: dict[str, Any]) -> tuple[WorkState, bool]:
        path = folder / STATE
        if path.is_file():
            return cls(folder, json.loads(path.read_text("utf-8"))), True
        folder.mkdir(parents=True, exist_ok=True)
        state = cls(
            folder, {**fresh, "pages": {}, "scanned": False, "batch_id": None, "job_id": None}
        )
        state.save()
        return state, False

    def save(self) -> None:
        with self._lock:
            temporary = self.folder / f".{STATE}.part"
            temporary.write_text(json.dumps(self.data, indent=1), "utf-8")
            os.replace(temporary, self.folder / STATE)

    def add_page(self, number: int, file: Path, sha256: str) -> None:
        with self._lock:
            self.data["pages"][str(number)] = {"file": file.name, "sha256": sha256, "acked": False}
        self.save()

    def numbers(self) -> list[int]:
        return sorted(int(n) for n in self.data["pages"])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _clean_one(raw: Path, out_base: Path, dpi: int) -> Path:
    """Straighten and compress one raw page here, before it travels."""
    import scanner
    from scanning.pages import detect_upright

    image = scanner.open_image(raw)
    cleaned = scanner.clean_page(image, dpi=dpi, rotation=detect_upright(image, dpi))
    stored = scanner.save_page(cleaned.image, out_base, kind=cleaned.kind, dpi=dpi)
    raw.unlink(missing_ok=True)
    return stored


def _scan_into(
    state: WorkState,
    settings: Any,
    *,
    config_dir: str | None,
    clean: bool,
) -> None:
    """Scan pages, numbered after those already in the folder, cleaning as they come."""
    import scanner

    folder = state.folder
    start = max(state.numbers(), default=0)
    run = folder / f"raw-{uuid.uuid4().hex[:6]}"
    futures: list[Future[None]] = []
    pool = ThreadPoolExecutor(max_workers=max(1, (os.cpu_count() or 1)))
    dpi = int(settings.resolution)

    def finish_page(number: int, raw: Path) -> None:
        if clean:
            stored = _clean_one(raw, folder / f"page-{number:04d}", dpi)
        else:
            stored = folder / f"page-{number:04d}{raw.suffix}"
            shutil.move(raw, stored)
        state.add_page(number, stored, _sha256(stored))

    def on_page(n: int, raw: Path) -> None:
        click.echo(f"  page {start + n} scanned", err=True)
        # Keep the raw file out of scanimage's folder before it is worked on.
        moved = folder / f"raw-{start + n:04d}{raw.suffix}"
        shutil.move(raw, moved)
        futures.append(pool.submit(finish_page, start + n, moved))

    error: scanner.ScannerError | None = None
    try:
        scanner.scan(settings, run, on_page=on_page, config_dir=config_dir)
    except scanner.ScannerError as exc:
        error = exc
    finally:
        with click.progressbar(length=len(futures), label="Cleaning pages", file=sys.stderr) as bar:
            for future in futures:
                future.result()
                bar.update(1)
        pool.shutdown()
        shutil.rmtree(run, ignore_errors=True)
    if error is not None and not (error.code == "no_documents" and futures):
        from scanning.errors import scanner_message

        kept = len(state.numbers())
        raise BridgeError(
            f"{scanner_message(error.code, None if error.page is None else start + error.page)}. "
            f"{kept} page(s) are kept in {folder}; fix the problem and run the same command "
            f"with --work-dir {folder} to scan the rest."
        )
    state.data["scanned"] = True
    state.save()


# --- remote ------------------------------------------------------------------------


def _remote(
    state: WorkState,
    bridge: Bridge,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    data = state.data
    if not data["batch_id"]:
        target = data["target"]
        payload: dict[str, Any] = {"cleaned": data["cleaned"], **data["settings_api"]}
        if target.get("publication_id"):
            payload["publication_id"] = target["publication_id"]
        elif target.get("scan_request_id"):
            payload["scan_request_id"] = target["scan_request_id"]
        elif target.get("softcopy_request_id"):
            payload["softcopy_request_id"] = target["softcopy_request_id"]
        else:
            payload.update({k: v for k, v in target.items() if v})
        status, body = _retrying(
            lambda: bridge.json("POST", "/scan-batches", payload),
            what="Creating the batch",
            sleep=sleep,
        )
        if status != 201:
            raise BridgeError(f"The server refused the batch: {_problem(body)}")
        data["batch_id"] = body["id"]
        state.save()
    batch = data["batch_id"]
    pending = [n for n in state.numbers() if not data["pages"][str(n)]["acked"]]
    with click.progressbar(pending, label="Uploading pages", file=sys.stderr) as numbers:
        for number in numbers:
            page = data["pages"][str(number)]
            file = state.folder / page["file"]
            status, body = _retrying(
                functools.partial(
                    bridge.upload,
                    f"/scan-batches/{batch}/pages/{number}",
                    {"sha256": page["sha256"]},
                    file,
                ),
                what=f"Uploading page {number}",
                sleep=sleep,
            )
            if status not in (200, 201):
                raise BridgeError(f"Page {number} was refused: {_problem(body)}")
            page["acked"] = True
            state.save()
            file.unlink(missing_ok=True)  # acknowledged: the server holds it now
    if not data["job_id"]:
        finish = {"pages": len(state.numbers())}
        status, body = _retrying(
            lambda: bridge.json("POST", f"/scan-batches/{batch}/finish", finish),
            what="Finishing the batch",
            sleep=sleep,
        )
        if status != 202:
            raise BridgeError(f"The batch could not be finished: {_problem(body)}")
        data["job_id"] = body["id"]
        state.save()
    return _follow_job(bridge, data["job_id"], sleep=sleep)


def _follow_job(bridge: Bridge, job_id: str, *, sleep: Callable[[float], None]) -> dict[str, Any]:
    with click.progressbar(
        length=100, label="Text recognition and catalogue", file=sys.stderr
    ) as bar:
        shown = 0
        while True:
            status, job = _retrying(
                lambda: bridge.json("GET", f"/jobs/{job_id}"), what="Following the job", sleep=sleep
            )
            if status != 200:
                raise BridgeError(f"The job cannot be followed: {_problem(job)}")
            bar.update(max(0, int(job["progress"]) - shown))
            shown = max(shown, int(job["progress"]))
            if job["state"] == "done":
                return dict(job["result"] or {})
            if job["state"] == "failed":
                raise BridgeError(f"The server could not add the scan: {job.get('message')}")
            sleep(1.0)


# --- local ---------------------------------------------------------------------------


def _local(
    settings: dict[str, Any], target: dict[str, Any], config_dir: str | None
) -> dict[str, Any]:
    import scanning.batches
    import scanning.errors
    import scanning.pages
    from app import clock, jobs
    from app.extensions import db
    from scanning.settings import settings_from

    try:
        scanning.batches.check_target(db.session(), target)
    except scanning.errors.BatchInvalid as exc:
        raise BridgeError(str(exc.message)) from None
    root = scanning.batches.scans_root()
    # The local scan has always detected each page's orientation, whatever
    # SCANNER_AUTO_ORIENT says (that setting is the scanning page's).
    configured = replace(settings_from(current_app.config), auto_orient=True)
    manifest = scanning.pages.create_batch(
        root, actor_id=None, settings=settings, target=target, source="cli", now=clock.now()
    )
    batch_id = manifest["id"]
    try:
        scanning.batches.run_scan(
            root,
            batch_id,
            config_dir=config_dir,
            settings=configured,
            progress=lambda pct, msg: (
                click.echo(f"  {msg}", err=True) if msg.startswith("page") else None
            ),
        )
    except scanning.errors.ScanningError as exc:
        raise BridgeError(
            f"{exc.message}. The pages scanned so far are kept in batch {batch_id} "
            f"(continue on the scanning page)."
        ) from None
    with click.progressbar(
        length=100, label="Text recognition and catalogue", file=sys.stderr
    ) as bar:
        shown = [0]

        def progress(pct: int, _msg: str) -> None:
            bar.update(max(0, pct - shown[0]))
            shown[0] = max(shown[0], pct)

        try:
            outcome = scanning.batches.ingest_batch(
                db.session(),
                root,
                batch_id,
                actor_id=None,
                settings=configured,
                now=clock.now,
                progress=progress,
            )
        except Exception as exc:
            message = getattr(exc, "message", None) or type(exc).__name__
            raise BridgeError(
                f"The scan could not be added: {message} (batch {batch_id} is kept)"
            ) from None
    if not current_app.config.get("REDIS_URL"):
        jobs.run_queued_here(db.session())  # index now: searchable when the command returns
    return {
        "publication_id": outcome.publication_id,
        "scan_request_id": outcome.scan_request_id,
        "pages": outcome.pages,
        "duplicate": outcome.duplicate,
    }


# --- the command ---------------------------------------------------------------------


def _parse_options(values: tuple[str, ...]) -> dict[str, str]:
    options = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r}: use NAME=VALUE", param_hint="--option")
        options[name.strip()] = setting
    return options


@click.command("scan")
@click.option("--device", help="SANE device name (see `scanimage -L`).")
@click.option(
    "--source",
    type=click.Choice(["flatbed", "adf", "adf_duplex"]),
    default="flatbed",
    show_default=True,
)
@click.option("--pages", type=click.IntRange(1, 1000), help="Pages to scan (feeder: at most).")
@click.option("--resolution", type=click.IntRange(50, 1200), default=300, show_default=True)
@click.option(
    "--mode", type=click.Choice(["gray", "color", "lineart"]), default="gray", show_default=True
)
@click.option("--option", "extra", multiple=True, metavar="NAME=VALUE", help="A backend option.")
@click.option("--server", help="The PST server (https://...); without it, ingest locally.")
@click.option(
    "--token", envvar="PST_SCAN_TOKEN", help="An officer's API token (or PST_SCAN_TOKEN)."
)
@click.option("--title", help="Title of the new publication.")
@click.option("--kat-no", help="Catalogue number of the new publication.")
@click.option(
    "--access", type=click.Choice(["open", "read_only", "sale"]), default="open", show_default=True
)
@click.option(
    "--publication",
    type=int,
    help="Make the scan the digital copy of this print-only catalogue record.",
)
@click.option("--scan-request", type=int, help="Answer this reader's scan request.")
@click.option("--softcopy-request", type=int, help="Answer this softcopy request.")
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the pages until the server has them; give it again to resume.",
)
@click.option(
    "--sane-config", help="SANE_CONFIG_DIR for scanimage (default: the server's or the system's)."
)
@with_appcontext
def scan_command(
    device: str | None,
    source: str,
    pages: int | None,
    resolution: int,
    mode: str,
    extra: tuple[str, ...],
    server: str | None,
    token: str | None,
    title: str | None,
    kat_no: str | None,
    access: str,
    publication: int | None,
    scan_request: int | None,
    softcopy_request: int | None,
    work_dir: Path | None,
    sane_config: str | None,
) -> None:
    """Scan pages, recognise their text and add them to the catalogue; print the result
    as JSON ({"publication_id", "pages", ...})."""
    import scanner
    import scanning.batches
    import scanning.pages

    if sum(x is not None for x in (title, publication, scan_request, softcopy_request)) != 1:
        resumable = work_dir is not None and (work_dir / STATE).is_file()
        if not resumable:
            raise click.UsageError(
                "Give exactly one of --title, --publication, --scan-request, --softcopy-request."
            )
    options = _parse_options(extra)
    config_dir = sane_config or (
        None
        if server
        else scanning.batches.sane_config_dir(current_app.config, current_app.instance_path)
    )
    if server is None:
        if not device:
            raise click.UsageError("--device is required.")
        settings = scanning.pages.clean_settings(
            {
                "device": device,
                "source": source,
                "mode": mode,
                "resolution": resolution,
                "pages": pages,
                "options": options,
            }
        )
        if publication:
            target: dict[str, Any] = {"kind": "publication", "publication_id": publication}
        elif scan_request:
            target = {"kind": "scan_request", "request_id": scan_request}
        elif softcopy_request:
            target = {"kind": "softcopy", "request_id": softcopy_request}
        else:
            target = {"kind": "new", "title": title, "kat_no": kat_no, "access": access}
        result = _local(settings, target, config_dir)
        click.echo(json.dumps(result))
        return
    if not token:
        raise click.UsageError("--token (or PST_SCAN_TOKEN) is required with --server.")
    folder = work_dir or Path.home() / ".cache" / "pst-scan" / uuid.uuid4().hex[:12]
    fresh = {
        "server": server,
        "cleaned": True,
        "settings": {
            "device": device,
            "source": source,
            "mode": mode,
            "resolution": resolution,
            "pages": pages,
            "options": options,
        },
        "settings_api": {"device": device, "source": source, "mode": mode, "resolution": resolution}
        if device
        else {},
        "target": {
            "title": title,
            "kat_no": kat_no,
            "access": access,
            "publication_id": publication,
            "scan_request_id": scan_request,
            "softcopy_request_id": softcopy_request,
        },
    }
    state, resumed = WorkState.open(folder, fresh)
    if resumed:
        click.echo(f"Resuming the work in {folder}", err=True)
    if not state.data["scanned"]:
        saved = state.data["settings"]
        if not saved.get("device"):
            raise click.UsageError("--device is required.")
        # On a resume after a jam, only the pages still missing are scanned.
        wanted = saved.get("pages")
        remaining = None if wanted is None else wanted - len(state.numbers())
        if remaining is not None and remaining <= 0:
            state.data["scanned"] = True
            state.save()
        else:
            scan_settings = scanner.ScanSettings(
                device=saved["device"],
                source=saved["source"],
                mode=saved["mode"],
                resolution=int(saved["resolution"]),
                pages=remaining,
                extra_options=saved.get("options") or {},
            )
            try:
                _scan_into(state, scan_settings, config_dir=config_dir, clean=True)
            except ValueError as exc:
                raise click.UsageError(str(exc)) from None
    bridge = Bridge(state.data["server"], token)
    result = _remote(state, bridge)
    click.echo(json.dumps(result))
    with contextlib.suppress(OSError):
        shutil.rmtree(folder)


@click.command("privatise-scans")
@with_appcontext
def privatise_scans_command() -> None:
    """Scans made for readers' requests before they became private were catalogued:
    move each onto its request (downloadable by its reader only) and withdraw the
    catalogue item. Safe to run again; prints the request ids changed."""
    from app import clock
    from app.extensions import db
    from scanning.requests import privatise_legacy

    changed = privatise_legacy(db.session(), actor_id=None, now=clock.now())
    click.echo(json.dumps({"scan_requests": changed}))


def register(app: Flask) -> None:
    from library.cli import library_group

    app.cli.add_command(scan_command)
    # ``pst library privatise-scans``: the command keeps its place in the library's group.
    library_group.add_command(privatise_scans_command)
