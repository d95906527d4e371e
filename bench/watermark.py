"""Benchmark of PDF stamping: our ``stamp_pdf`` beside ``qpdf --overlay``, same file, same run.

The master is made like the ingest makes it (pypdf ``PdfWriter(clone_from=...)``) from
the reference publication; ``analyse`` runs once (timed apart, it belongs to ingest),
then both stampers run ``--runs`` times and the median CPU time of each is printed with
the ratio (target: ours >= 10x faster). Then a ~200 MB master of incompressible images
is stamped in a child process whose peak RSS is printed (target: < 150 MB).

The whole download path is timed too, as a reader's request runs it in a fresh process:
the publication is ingested by the catalogue (which makes the plan), then each download
records itself, checks the quota, finds the master, takes the plan (read from the
database and parsed on the first download of the process, kept after) and streams the
stamped copy. Printed: the first byte of the very first download (target <= 50 ms) and
the median whole download beside ``qpdf --overlay`` of the same master, in wall time.

    .venv/bin/python bench/watermark.py [--runs 15] [--big-mb 200] [--keep DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This script is named like the package it measures: run as a script, its own folder
# comes first on sys.path and would shadow the package.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from watermark import Mark, Plan, analyse, new_code, stamp_chunks, stamp_pdf

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reference"
MARK = Mark(
    name="Siti Rahmawati Nurhaliza",
    email="siti.rahmawati@example.co.id",
    issued_at=datetime(2026, 11, 25, 7, 3, tzinfo=UTC),
    code=new_code(),
)
SPEED_TARGET = 10.0
FIRST_BYTE_TARGET_MS = 50.0
MEMORY_TARGET_MB = 150.0

# The child that stamps the big master: imports, loads the plan, stamps, reports.
CHILD = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path
from watermark import Mark, Plan, stamp_pdf

def hwm():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

master, plan_path, out, code = sys.argv[1:5]
mark = Mark(name="Siti", email="siti@example.co.id", issued_at=datetime.now(UTC), code=code)
plan = Plan.from_json(Path(plan_path).read_text())
before = hwm()
result = stamp_pdf(master, out, mark, plan=plan)
print(json.dumps({"before_mb": before, "peak_mb": hwm(), "path": result.path,
                  "bytes": result.bytes_written}))
"""


def make_master(src: Path, dst: Path) -> Path:
    """The master as ``catalog/ingest/worker.py`` writes it."""
    writer = PdfWriter(clone_from=PdfReader(src))
    with dst.open("wb") as fh:
        writer.write(fh)
    return dst


def make_stamp_page(dst: Path, work: Path) -> Path:
    """A one-page PDF carrying our stamp on a blank A4 page: what qpdf overlays."""
    blank = work / "blank.pdf"
    write_pdf(
        blank,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.2756 841.8898] >>",
        ],
    )
    stamp_pdf(blank, dst, MARK)
    return dst


def write_pdf(path: Path, bodies: Iterable[bytes]) -> None:
    """A classic-xref PDF of objects 1..n, written as ``bodies`` yields them."""
    offsets: list[int] = []
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        for body in bodies:
            offsets.append(fh.tell())
            fh.write(b"%d 0 obj\n" % (len(offsets)) + body + b"\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        fh.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
        fh.write(
            b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(offsets) + 1, xref)
        )


def big_bodies(pages: int, side: int = 1024) -> Iterator[bytes]:
    """Objects of a master with ``pages`` pages, each one image of random grey pixels
    (``side``\u00b2 bytes, incompressible): 1 catalog, 2 pages, then page, content, image."""
    kids = b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(pages))
    yield b"<< /Type /Catalog /Pages 2 0 R >>"
    yield b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)
    draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    for i in range(pages):
        yield (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
            % (5 + 3 * i, 4 + 3 * i)
        )
        yield b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw)
        image = os.urandom(side * side)
        yield (
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n"
            % (side, side, len(image))
            + image
            + b"\nendstream"
        )


def cpu_ours(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        times.append((time.process_time() - t) * 1000)
    return times


def cpu_child(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        times.append(used * 1000)
    return times


def first_chunk_ms(master: Path, plan: Plan) -> float:
    t = time.perf_counter()
    with stamp_chunks(master, MARK, plan) as stream:
        next(iter(stream))
        return (time.perf_counter() - t) * 1000


def speed(work: Path, runs: int) -> None:
    src = REFERENCE / "publication-500p.pdf"
    master = make_master(src, work / "master.pdf")
    stamp = make_stamp_page(work / "stamp.pdf", work)
    t = time.process_time()
    plan = analyse(master)
    analyse_ms = (time.process_time() - t) * 1000
    text = plan.to_json()
    out = work / "ours.pdf"
    ours = cpu_ours(lambda: stamp_pdf(master, out, MARK, plan=plan), runs)
    ours_json = cpu_ours(lambda: stamp_pdf(master, out, MARK, plan=Plan.from_json(text)), runs)
    qpdf = cpu_child(
        ["qpdf", "--overlay", str(stamp), "--", str(master), str(work / "q.pdf")], runs
    )
    fallback_master = work / "objstm.pdf"
    subprocess.run(
        ["qpdf", "--object-streams=generate", str(master), str(fallback_master)], check=True
    )
    fallback = cpu_ours(lambda: stamp_pdf(fallback_master, out, MARK), max(1, runs // 5))
    result = stamp_pdf(master, out, MARK, plan=plan)
    m_ours, m_json, m_qpdf = (statistics.median(x) for x in (ours, ours_json, qpdf))
    print(
        f"master: {src.name} via pypdf clone, {master.stat().st_size / 1e6:.2f} MB, "
        f"{len(plan.pages)} pages; output {result.bytes_written / 1e6:.2f} MB "
        f"({result.path} path)"
    )
    print(
        f"analyse (once per master, at ingest): {analyse_ms:8.1f} ms CPU; "
        f"plan JSON {len(text) / 1e3:.1f} kB"
    )
    print(f"CPU time, median of {runs} runs:")
    print(f"  stamp_pdf, plan in memory        {m_ours:8.2f} ms")
    print(f"  stamp_pdf, plan from JSON        {m_json:8.2f} ms")
    print(f"  qpdf --overlay                   {m_qpdf:8.2f} ms")
    print(
        f"  ratio qpdf / ours                {m_qpdf / m_ours:8.1f}x   (target >= "
        f"{SPEED_TARGET:.0f}x: {'met' if m_qpdf / m_ours >= SPEED_TARGET else 'NOT met'})"
    )
    print(f"  fallback (object-stream master)  {statistics.median(fallback):8.1f} ms")
    print(f"first chunk of stamp_chunks after  {first_chunk_ms(master, plan):8.2f} ms wall")


def wall(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def _ingest(session: Any, src: Path, title: str) -> tuple[float, Any]:
    from app.blobs import current_store
    from catalog import cataloguing
    from catalog.ingest import Limits

    t = time.perf_counter()
    publication = cataloguing.ingest(
        session,
        current_store(),
        src,
        actor_id=None,
        limits=Limits(timeout_s=300),
        meta={"title": title},
    )
    return time.perf_counter() - t, publication


def download_path(work: Path, runs: int) -> None:
    """The reader's whole download, in this process, beside qpdf on the same master."""
    from flask_migrate import upgrade

    from app.accounts.models import Role, User
    from app.blobs import current_store
    from app.extensions import db
    from app.factory import create_app
    from library import downloads
    from library.models import MasterPlan
    from library.settings import Settings

    instance = work / "instance"
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
            "SECRET_KEY": "bench-" + "x" * 40,
            "JOBS_IMMEDIATE": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    src = REFERENCE / "publication-500p.pdf"
    with app.app_context():
        upgrade()
        session = db.session()
        reader = User(
            email="siti@example.co.id",
            full_name="Siti Rahmawati",
            password_hash="!",  # noqa: S106 (unusable: this account only downloads here)
            role=Role.USER,
            email_verified_at=datetime.now(UTC),
        )
        session.add(reader)
        session.commit()
        ingest_s, warm_up = _ingest(session, REFERENCE / "publication-50p.pdf", "Warm-up")
        ingest_s, publication = _ingest(session, src, "Statistik Daerah Provinsi Bengkulu")
        planned = session.get(MasterPlan, publication.master_key) is not None
        cache = instance / "cache"

        def one(first_byte: list[float], publication: Any) -> None:
            t0, c0 = time.perf_counter(), time.process_time()
            prepared = downloads.start_download(
                session,
                current_store(),
                user=reader,
                publication=publication,
                office="BPS Provinsi Bengkulu",
                settings=Settings(daily_quota=10_000),
                cache_dir=cache,
                now=datetime.now(UTC),
            )
            stamping = downloads.open_stamp(session, prepared, datetime.now(UTC))
            chunks = iter(
                downloads.stream_download(
                    prepared,
                    stamping,
                    lambda i, o: downloads.record_outcome(session, i, o, datetime.now(UTC)),
                )
            )
            next(chunks)
            first_byte.append((time.perf_counter() - t0) * 1000)
            first_cpu.append((time.process_time() - c0) * 1000)
            for _ in chunks:
                pass

        # A server that has already served other publications: warm code paths and
        # statement caches, but this publication's plan not yet read in this process.
        first_cpu: list[float] = []
        one([], warm_up)
        first_cpu.clear()
        first: list[float] = []
        one(first, publication)  # its first download: the plan read and parsed here
        later: list[float] = []
        whole = wall(lambda: one(later, publication), runs)
        master = Path(str(current_store().local_path(publication.master_key)))
        stamp = make_stamp_page(work / "stamp-path.pdf", work)
        qpdf = wall(
            lambda: subprocess.run(
                ["qpdf", "--overlay", str(stamp), "--", str(master), str(work / "qp.pdf")],
                check=True,
                capture_output=True,
            ),
            runs,
        )
    m_whole, m_qpdf = statistics.median(whole), statistics.median(qpdf)
    print(
        f"whole download path ({src.name}, ingested in {ingest_s:.1f} s, "
        f"plan made at ingest: {'yes' if planned else 'NO'}), wall, median of {runs}:"
    )
    print(
        f"  first byte, publication's first download {first[0]:8.2f} ms   (target <= "
        f"{FIRST_BYTE_TARGET_MS:.0f} ms: {'met' if first[0] <= FIRST_BYTE_TARGET_MS else 'NOT met'}"
        ")"
    )
    print(
        f"    of which CPU in this process     {first_cpu[0]:8.2f} ms (the rest: disk syncs, waits)"
    )
    print(f"  first byte, later downloads      {statistics.median(later):8.2f} ms")
    print(f"  whole download (record, quota, plan, stamp, stream) {m_whole:8.2f} ms")
    print(f"  qpdf --overlay, same master      {m_qpdf:8.2f} ms")
    print(f"  ratio qpdf / whole download      {m_qpdf / m_whole:8.1f}x")


def memory(work: Path, megabytes: int) -> None:
    big = work / "big.pdf"
    t = time.perf_counter()
    write_pdf(big, big_bodies(megabytes * 1_000_000 // (1024 * 1024)))
    made = time.perf_counter() - t
    t = time.process_time()
    plan = analyse(big)
    analyse_s = time.process_time() - t
    plan_path = work / "big.plan.json"
    plan_path.write_text(plan.to_json())
    out = work / "big-out.pdf"
    t = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(big), str(plan_path), str(out), MARK.code],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    report = json.loads(child.stdout)
    size_mb = big.stat().st_size / 1e6
    print(
        f"big master: {size_mb:.0f} MB, {len(plan.pages)} pages (made in {made:.1f} s; "
        f"analyse {analyse_s:.2f} s CPU)"
    )
    print(
        f"  child peak RSS (VmHWM) stamping it {report['peak_mb']:8.1f} MB   (target < "
        f"{MEMORY_TARGET_MB:.0f} MB: "
        f"{'met' if report['peak_mb'] < MEMORY_TARGET_MB else 'NOT met'}); "
        f"{report['before_mb']:.1f} MB before stamping (interpreter + imports)"
    )
    print(
        f"  {report['path']} path, {report['bytes'] / 1e6:.0f} MB written, "
        f"{wall:.2f} s wall for the child"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description="PDF stamping: ours vs qpdf --overlay.")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--big-mb", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep the files")
    ap.add_argument("--no-path", action="store_true", help="skip the whole download path")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-watermark-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        speed(work, args.runs)
        if not args.no_path:
            download_path(work, args.runs)
        if args.big_mb > 0:
            memory(work, args.big_mb)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
