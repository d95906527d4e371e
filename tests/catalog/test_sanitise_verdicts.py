"""The sanitiser's parts without a worker: verdicts from worker endings, messages,
limits, text cleaning and the image check."""

from __future__ import annotations

import json
import pickle
import signal
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from catalog.ingest import Limits, OutlineItem, Rejected, check_image
from catalog.ingest.errors import one_line
from catalog.ingest.sandbox import WorkerRun, worker_env
from catalog.ingest.sanitiser import interpret
from catalog.ingest.sniff import describe
from catalog.ingest.textclean import clean_field, clean_page_text


def assert_one_line(exc: Rejected) -> None:
    text = str(exc)
    assert text
    assert "\n" not in text
    assert len(text) < 200
    assert "Traceback" not in text


# -- how a worker's end is read --------------------------------------------------------


def run(
    returncode: int, *, timed_out: bool = False, cpu_s: float = 0.1, err: str = ""
) -> WorkerRun:
    return WorkerRun(returncode, timed_out, 0.2, cpu_s, 50 << 20, err)


@pytest.mark.parametrize(
    ("worker", "code", "message"),
    [
        (run(-9, timed_out=True), "timeout", "processing took longer than 45 s"),
        (run(-signal.SIGXCPU), "timeout", "processing used more than 60 s of CPU time"),
        (run(-9, cpu_s=61.0), "timeout", "processing used more than 60 s of CPU time"),
        (run(-signal.SIGSEGV), "memory", "processing needed more than 1 GiB of memory"),
        (run(4), "memory", "processing needed more than 1 GiB of memory"),
        (run(1, err="...\nMemoryError\n"), "memory", "processing needed more than 1 GiB of memory"),
        (
            run(1, err='Traceback (most recent call last):\n  File "x"\nKeyError: 1\n'),
            "damaged",
            "the PDF is damaged and cannot be read: the reader stopped unexpectedly (exit 1)",
        ),
    ],
)
def test_worker_endings(tmp_path: Path, worker: WorkerRun, code: str, message: str) -> None:
    with pytest.raises(Rejected) as info:
        interpret(worker, tmp_path, Limits(), "0" * 64, 10)
    assert (info.value.code, str(info.value)) == (code, message)
    assert info.value.detail == worker.stderr_tail
    assert info.value.stats["cpu_s"] == worker.cpu_s


def test_death_while_drawing_the_cover_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "master.pdf").write_bytes(b"%PDF-1.7 stand-in")
    ok = {
        "pages": 2,
        "page_texts": ["satu", "dua"],
        "outline": [["Bab 1", 1, 0]],
        "info": {"Title": "T"},
        "removed": ["JavaScript"],
        "notes": [],
        "stats": {"open_s": 0.1},
        "master": "master.pdf",
        "cover": "pending",
    }
    (tmp_path / "result.json").write_text(json.dumps({"ok": ok}))
    result = interpret(run(-signal.SIGKILL), tmp_path, Limits(), "0" * 64, 10)
    assert result.cover_path is None
    assert result.page_texts == ["satu", "dua"]
    assert result.outline == [OutlineItem("Bab 1", 1, 0)]
    assert result.notes == ["no cover: the worker died drawing it (SIGKILL)"]
    assert not (tmp_path / "result.json").exists()


def test_worker_sees_no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PST_SECRET_KEY", "do-not-leak")
    env = worker_env()
    assert set(env) == {
        "PATH",
        "PYTHONPATH",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONUTF8",
        "OMP_THREAD_LIMIT",
    }
    assert env["OMP_THREAD_LIMIT"] == "1"
    assert "do-not-leak" not in env.values()


# -- small pieces ----------------------------------------------------------------------


def test_messages_are_one_short_line() -> None:
    exc = Rejected("damaged", {"cause": "line one\nline two\x00" + "x" * 400})
    assert_one_line(exc)
    assert one_line("a\n\tb\u202ec") == "a b c"
    assert Rejected("nonsense").message == "the file was refused (nonsense)"


def test_rejected_survives_pickling() -> None:
    exc = Rejected("too_many_pages", {"pages": 9, "limit": 2}, detail="log only")
    exc.stats = {"seconds": 1.0}
    copy = pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes
    assert (copy.code, copy.params, str(copy)) == (exc.code, exc.params, str(exc))
    assert (copy.detail, copy.stats) == ("log only", {"seconds": 1.0})


def test_limits_round_trip() -> None:
    limits = Limits(max_pages=7, timeout_s=1.5)
    assert Limits.from_json(limits.to_json()) == limits
    with pytest.raises(ValueError, match="unknown"):
        Limits.from_json('{"max_pagez": 1}')


def test_describe() -> None:
    assert describe(b"\xff\xd8\xff\xe0") == "looks like a JPEG image"
    assert describe(b"\xef\xbb\xbf<html>") == "looks like a web page (HTML)"
    assert describe(b"\x00\x01hello") == "starts with '..hello'"


def test_text_cleaning() -> None:
    assert clean_page_text("a\x00b\r\nc \u202e\td\r", 100) == "a b\nc  \td"
    assert clean_page_text("x" * 50, 10) == "x" * 10
    assert clean_field("  Judul\x00\n  Publikasi\ud800 ") == "Judul Publikasi"


# -- images ----------------------------------------------------------------------------


def png_header(path: Path, width: int, height: int) -> Path:
    """A PNG that is only a header: claims a size, holds no pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    return path


def test_check_image_passes_a_normal_image(tmp_path: Path) -> None:
    path = tmp_path / "cover.png"
    Image.new("RGB", (300, 200), "white").save(path)
    assert check_image(path) == (300, 200)


@pytest.mark.parametrize("size", [(8000, 8000), (20000, 20000), (65535, 65535)])
def test_check_image_refuses_bombs(tmp_path: Path, size: tuple[int, int]) -> None:
    path = png_header(tmp_path / "bomb.png", *size)
    started = time.monotonic()
    with pytest.raises(Rejected) as info:
        check_image(path)
    assert info.value.code == "bomb"
    assert_one_line(info.value)
    assert time.monotonic() - started < 1


def test_check_image_refuses_other_files(pub_pdf: Path) -> None:
    with pytest.raises(Rejected) as info:
        check_image(pub_pdf)
    assert info.value.code == "not_image"
