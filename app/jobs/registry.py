"""What the packages register: job functions (with how each is retried) and periodic
tasks. The registries are this module's state and exist once per process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

JobFunction = Callable[..., Any]
PeriodicFunction = Callable[[Session], None]


@dataclass(frozen=True)
class JobSpec:
    """How a registered job is retried: which errors are transient, how often, how late."""

    retry_on: tuple[type[BaseException], ...] = ()
    max_attempts: int | None = None  # None: the JOBS_MAX_ATTEMPTS setting
    backoff_seconds: float | None = None  # None: the JOBS_RETRY_SECONDS setting


@dataclass(frozen=True)
class Periodic:
    name: str
    every_seconds: int
    fn: PeriodicFunction


_REGISTRY: dict[str, JobFunction] = {}
_SPECS: dict[str, JobSpec] = {}
_PERIODIC: dict[str, Periodic] = {}


def job(
    name: str,
    *,
    retry_on: tuple[type[BaseException], ...] = (),
    max_attempts: int | None = None,
    backoff_seconds: float | None = None,
) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn(ctx, **params)`` as the job called ``name``.

    A run that raises one of ``retry_on`` (or a lost database connection) is run
    again after ``backoff_seconds`` × 2^(attempt − 1), up to ``max_attempts`` runs in
    all; a run whose worker died counts as an attempt too. Jobs should therefore be
    safe to run again (check what an earlier run already did).
    """

    def decorator(fn: JobFunction) -> JobFunction:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise RuntimeError(f"job {name!r} registered twice")
        _REGISTRY[name] = fn
        _SPECS[name] = JobSpec(tuple(retry_on), max_attempts, backoff_seconds)
        return fn

    return decorator


def function(name: str) -> JobFunction | None:
    """The code registered as job ``name``, or None when no package registered it."""
    return _REGISTRY.get(name)


def spec(name: str) -> JobSpec:
    return _SPECS.get(name, JobSpec())


def periodic(name: str, every_seconds: int) -> Callable[[PeriodicFunction], PeriodicFunction]:
    """Register ``fn(session) -> None`` to be called by the sweeper every ``every_seconds``.

    Every process that sweeps (each ``pst worker``, ``pst serve``'s embedded worker)
    calls it on its own clock, so ``fn`` must be safe to run in several processes at
    once (take rows with conditional UPDATEs, or enqueue a job). It runs with a session
    of its own, in an app context; it commits what it wants kept, and an exception is
    logged and rolled back (the next tick calls it again).
    """

    def decorator(fn: PeriodicFunction) -> PeriodicFunction:
        known = _PERIODIC.get(name)
        if known is not None and known.fn is not fn:
            raise RuntimeError(f"periodic task {name!r} registered twice")
        _PERIODIC[name] = Periodic(name, max(1, int(every_seconds)), fn)
        return fn

    return decorator


def periodic_tasks() -> list[Periodic]:
    return list(_PERIODIC.values())
