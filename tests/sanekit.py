"""A private SANE configuration for the tests: real SANE, no hardware (a plain module,
shared by the scanner library's, the scanning feature's and the browser tests).

The ``test`` backend is disabled in the system's ``/etc/sane.d/dll.conf``, so the tests
write their own configuration directory and pass it on (``SANE_CONFIG_DIR``).
"""

from __future__ import annotations

from pathlib import Path

# geometry_max raised so that an A4 scan (210 x 297 mm) is not clamped.
TEST_CONF = """\
number_of_devices 2
mode Gray
depth 8
resolution 50
test-picture "Grid"
enable-test-options true
geometry_min 0.0
geometry_max 300.0
br_x 80.0
br_y 100.0
"""


def sane_config(folder: Path, *backends: str) -> str:
    """Make ``folder`` a SANE configuration directory that enables only ``backends``
    (the ``test`` one set up as above); return its path."""
    (folder / "dll.conf").write_text("".join(f"{name}\n" for name in backends))
    (folder / "test.conf").write_text(TEST_CONF)
    return str(folder)
