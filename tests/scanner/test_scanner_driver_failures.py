"""Driver failures the SANE ``test`` backend cannot stage, by a fake ``scanimage``.

The fake is a shell script first on PATH that writes pages the way ``scanimage
--batch`` does (``.part`` then rename) and then fails: a jam at page 4, a crash, a
driver that ignores SIGINT. Options are passed in, so the fake only has to scan.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from scanner_testkit import FakeTool

from scanner import (
    PaperJam,
    ScanError,
    ScannerCrashed,
    ScanSettings,
    ScanTimeout,
    ToolMissing,
    parse_options,
    scan,
)

OPTIONS = parse_options(
    "fake:0",
    """
  Scan Mode:
    --source Flatbed|ADF [ADF]
        Selects the scan source.
    --mode Lineart|Gray|Color [Gray]
        Selects the scan mode.
    --resolution 75|150|300|600dpi [300]
        Sets the resolution of the scanned image.
""",
)

WRITE_PAGES = r"""#!/bin/sh
for arg in "$@"; do
  case "$arg" in --batch=*) pattern="${arg#--batch=}";; esac
done
write_page() {
  file=$(printf "$pattern" "$1")
  printf 'P5\n1 1\n255\n\377' > "$file.part" && mv "$file.part" "$file"
}
"""


def _running(pid: int) -> bool:
    """Whether ``pid`` still runs; a killed orphan may linger as a zombie until reaped."""
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.05)
    return True


def test_a_jam_at_page_four_keeps_the_first_three(fake_tool: FakeTool, tmp_path: Path) -> None:
    fake_tool(
        "scanimage",
        WRITE_PAGES
        + """
for n in 1 2 3; do write_page $n; done
echo "scanimage: sane_read: Document feeder jammed" >&2
exit 6
""",
    )
    seen: list[int] = []

    with pytest.raises(PaperJam) as caught:
        scan(
            ScanSettings("fake:0", source="adf"),
            tmp_path,
            options=OPTIONS,
            on_page=lambda n, _: seen.append(n),
        )

    error = caught.value
    assert (error.code, error.page, error.status) == ("jammed", 4, 6)
    assert str(error) == "Paper jammed at page 4"
    assert error.params() == {"page": 4}
    assert [p.name for p in error.pages] == ["page-0001.pnm", "page-0002.pnm", "page-0003.pnm"]
    assert seen == [1, 2, 3]
    assert "Document feeder jammed" in error.detail


def test_the_arguments_scanimage_receives(fake_tool: FakeTool, tmp_path: Path) -> None:
    record = tmp_path / "argv"
    fake_tool("scanimage", WRITE_PAGES + f'printf "%s\\n" "$@" > {record}\nwrite_page 1\n')

    scan(ScanSettings("fake:0", mode="lineart", resolution=200), tmp_path / "out", options=OPTIONS)

    argv = record.read_text().splitlines()
    assert argv[:4] == [
        "--device-name=fake:0",
        "--source=Flatbed",
        "--mode=Lineart",
        "--resolution=150",
    ]
    assert f"--batch={(tmp_path / 'out').resolve()}/page-%04d.pnm" in argv
    assert "--batch-count=1" in argv  # the flatbed needs a count with --batch
    assert "--format=pnm" in argv


def test_a_crashing_driver_is_only_a_failed_child(fake_tool: FakeTool, tmp_path: Path) -> None:
    fake_tool("scanimage", WRITE_PAGES + "write_page 1\nkill -SEGV $$\n")

    with pytest.raises(ScannerCrashed) as caught:
        scan(ScanSettings("fake:0", source="adf"), tmp_path, options=OPTIONS)

    assert caught.value.page == 2
    assert caught.value.code == "crashed"
    assert len(caught.value.pages) == 1


def test_a_flatbed_run_without_an_image_is_an_error(fake_tool: FakeTool, tmp_path: Path) -> None:
    fake_tool("scanimage", "#!/bin/sh\nexit 0\n")

    with pytest.raises(ScanError) as caught:
        scan(ScanSettings("fake:0"), tmp_path, options=OPTIONS)

    assert type(caught.value) is ScanError
    assert "no image" in caught.value.detail


def test_a_driver_deaf_to_sigint_is_killed(fake_tool: FakeTool, tmp_path: Path) -> None:
    pid_file = tmp_path / "sleep.pid"
    fake_tool(
        "scanimage",
        f"#!/bin/sh\ntrap '' INT\nsleep 30 &\necho $! > {pid_file}\nwait\n",
    )
    started = time.monotonic()

    with pytest.raises(ScanTimeout):
        scan(
            ScanSettings("fake:0"),
            tmp_path / "out",
            options=OPTIONS,
            stall_timeout_s=0.5,
            grace_s=0.3,
        )

    assert time.monotonic() - started < 5.0
    # The whole process group got SIGKILL, the driver's own children included.
    assert not _running(int(pid_file.read_text()))


def test_a_failing_page_callback_stops_the_scan(sane_dir: str, tmp_path: Path) -> None:
    def refuse_second(number: int, _: Path) -> None:
        if number == 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        scan(
            ScanSettings("test:0", source="adf", resolution=50),
            tmp_path,
            config_dir=sane_dir,
            on_page=refuse_second,
        )


def test_no_scanimage_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(ToolMissing) as caught:
        scan(ScanSettings("test:0"), tmp_path / "out")

    assert caught.value.code == "tool_missing"


def test_a_page_part_removed_while_listed_is_skipped(tmp_path, monkeypatch) -> None:
    """scanimage may delete a failed page's ``.part`` file between the listing of the
    folder and the size check (seen in CI): that is no reason to fail the scan."""
    import importlib
    import os

    scan_module = importlib.import_module("scanner.scan")
    (tmp_path / "page-0001.pnm.part").write_bytes(b"x")
    real = os.scandir

    class Gone:
        name = "page-0002.pnm.part"

        def stat(self):
            raise FileNotFoundError(self.name)

    class Listing:
        def __init__(self, directory):
            self.entries = real(directory)

        def __enter__(self):
            return [*self.entries, Gone()]

        def __exit__(self, *exc):
            self.entries.close()

    monkeypatch.setattr(scan_module.os, "scandir", Listing)
    assert scan_module._part_sizes(tmp_path) == (("page-0001.pnm.part", 1),)
