"""``python -m demo.publications OUT_DIR [COUNT]``: write the demo PDFs."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from demo.publications import generate_demo


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m demo.publications OUT_DIR [COUNT]``: write the demo PDFs."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m demo.publications OUT_DIR [COUNT]", file=sys.stderr)
        return 2
    count = int(args[1]) if len(args) > 1 else 32
    for pub in generate_demo(Path(args[0]), count=count):
        print(pub.path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
