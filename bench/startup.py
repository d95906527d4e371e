"""Benchmark of start-up: the ``pst`` command beside ``python -c "import flask"``, same run.

Each command runs ``--runs`` times (default 5) in a fresh process on a throw-away
instance (SQLite, embedded defaults); printed is the median wall time and the median
CPU time (user + system, of the child, from ``getrusage(RUSAGE_CHILDREN)``; on a busy
machine the CPU time is the figure to read). Rows: an empty interpreter, importing
Flask (the anchor: ``pst`` cannot start faster than Flask imports), ``pst --help``
(target: under 0.5 s), ``pst settings`` (imports the modules that declare settings, no
app), ``pst config`` (builds the app), and, in a child process, importing
``app.factory`` and the first and a second ``create_app()`` (CPU time, in process).
The children run from bytecode, as an installed PST does: ``PYTHONDONTWRITEBYTECODE``
is dropped for them and an untimed first run writes the caches (``--no-bytecode``
keeps the environment's setting: every module is then compiled again in every run).

    .venv/bin/python bench/startup.py [--runs 5]
"""

from __future__ import annotations

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
from pathlib import Path

HELP_TARGET_S = 0.5
PST = [sys.executable, "-c", "from app.cli import main; main()"]

# The child that times the factory in process: import, first app, a second app.
CHILD = """
import json, time
t0 = time.process_time()
from app.factory import create_app
t1 = time.process_time()
app = create_app()
t2 = time.process_time()
create_app()
t3 = time.process_time()
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "second": t3 - t2,
                  "rules": len(list(app.url_map.iter_rules()))}))
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``runs`` runs of ``argv``."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu0, wall0 = _children_cpu(), time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - wall0)
        cpus.append(_children_cpu() - cpu0)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-bytecode", action="store_true", help="Keep PYTHONDONTWRITEBYTECODE.")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="pst-startup-"))
    env = {**os.environ, "PST_INSTANCE_PATH": str(instance)}
    env.pop("PST_DATABASE_URL", None)
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        # The first runs make the instance folder and its secret and write the bytecode
        # caches of what the timed runs import; not timed.
        subprocess.run([*PST, "config"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*PST, "settings"], env=env, check=True, stdout=subprocess.DEVNULL)
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"], ""),
            ('python -c "import flask" (anchor)', [sys.executable, "-c", "import flask"], ""),
            ("pst --help", [*PST, "--help"], f"target < {HELP_TARGET_S} s"),
            ("pst settings", [*PST, "settings"], "no app"),
            ("pst config", [*PST, "config"], "builds the app"),
        ]
        cached = "off" if args.no_bytecode else "on"
        print(
            f"median of {args.runs} runs each, bytecode cache {cached}, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        print(f"{'command':38} {'wall s':>8} {'CPU s':>8}")
        figures: dict[str, float] = {}
        for label, argv, note in rows:
            wall, cpu = _time(argv, env, args.runs)
            figures[label] = cpu
            print(f"{label:38} {wall:8.3f} {cpu:8.3f}  {note}")

        samples = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, "-c", CHILD], env=env, check=True, capture_output=True, text=True
            )
            samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"\nin process (CPU s, median; the app has {samples[0]['rules']} URL rules)")
        for key, label in (
            ("import", "import app.factory"),
            ("first", "first create_app()"),
            ("second", "second create_app() (imports done)"),
        ):
            print(f"{label:38} {statistics.median(s[key] for s in samples):8.3f}")

        help_cpu = figures["pst --help"]
        verdict = "met" if help_cpu < HELP_TARGET_S else "MISSED"
        print(f"\npst --help: {help_cpu:.3f} s of CPU against {HELP_TARGET_S} s: {verdict}")
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
