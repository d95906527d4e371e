"""The page renderer's own process: ``python -m library.render_worker MASTER WIDTH DIR PAGE...``

PDFium renders in a separate, short-lived process under an address-space and a CPU
limit (the web process only waits, with a wall-clock timeout): a page that makes the
renderer hang or balloon costs that process, never a web worker. Each page is written
to ``DIR/<page>-<width>.png`` through a temporary file and a rename, so the cache only
ever holds complete images. Plain: Pillow and pypdfium2, no Flask.
"""

from __future__ import annotations

import os
import resource
import sys
import uuid
from pathlib import Path

MEMORY_BYTES = 1024**3
CPU_S = 30


def _limit(which: int, soft: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard if hard != resource.RLIM_INFINITY else soft))


def main(argv: list[str]) -> int:
    master, width, out_dir, *pages = argv
    _limit(resource.RLIMIT_AS, MEMORY_BYTES)
    _limit(resource.RLIMIT_CPU, CPU_S)
    _limit(resource.RLIMIT_CORE, 0)
    from PIL import Image

    from library.render import render_pages

    Image.MAX_IMAGE_PIXELS = 100_000_000
    target_dir = Path(out_dir)
    for page, image in render_pages(Path(master), [int(p) for p in pages], int(width)):
        target = target_dir / f"{page}-{width}.png"
        temp = target_dir / f".{uuid.uuid4().hex}.tmp"
        image.save(temp, "PNG", compress_level=1)
        os.replace(temp, target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
