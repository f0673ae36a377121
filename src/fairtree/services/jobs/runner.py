"""Submit a job, run it in a worker, read its state.

A job runs in its own session and transaction: what its handler writes is committed
with the job's result, or rolled back with its error, so a failed job leaves nothing
half-written. Progress lives in memory for the process running the job (a page served
by the same process sees every step) and, on PostgreSQL, also in the job row once a
second (a separate worker process's progress is then visible too). SQLite allows one
writer at a time, so there the row gets the stage only when the job starts and ends.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fairtree.errors import FairtreeError, NotFoundError, Problem, ValidationError
from fairtree.services.access.principal import Principal
from fairtree.services.clock import aware, utcnow
from fairtree.store.models import Job
from fairtree.store.repositories.jobs import jobs as jobs_repo

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    """What a handler gets: the session (never commit it), parameters, who asked, progress."""

    job_id: int
    session: Session
    params: dict[str, Any]
    actor: Principal
    progress: JobProgress


Handler = Callable[[JobContext], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """Make ``kind`` runnable; a kind is registered once, at import of its module."""
    if _HANDLERS.get(kind, handler) is not handler:
        raise ValueError(f"job kind {kind!r} is already registered")
    _HANDLERS[kind] = handler


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    params: dict[str, Any]
    status: str
    requested_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    stage: str
    done_units: int
    total_units: int | None
    result: dict[str, Any] | None
    error: str | None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def percent(self) -> int | None:
        if not self.total_units:
            return None
        return min(100, self.done_units * 100 // self.total_units)


@dataclass
class _Live:
    stage: str = "starting"
    done_units: int = 0
    total_units: int | None = None
    saved_at: float = field(default=0.0)


_LIVE: dict[int, _Live] = {}
_LIVE_LOCK = threading.Lock()


class JobProgress:
    """The ``services.progress.Progress`` protocol, reported to the job's state."""

    def __init__(self, job_id: int, factory: Callable[[], Session] | None) -> None:
        self.job_id = job_id
        self._factory = factory  # None: memory only (SQLite)
        with _LIVE_LOCK:
            _LIVE[job_id] = _Live()

    def stage(self, name: str, total: int | None) -> None:
        with _LIVE_LOCK:
            live = _LIVE[self.job_id]
            live.stage, live.done_units, live.total_units = name, 0, total
        self._save(force=True)

    def advance(self, units: int) -> None:
        with _LIVE_LOCK:
            _LIVE[self.job_id].done_units += units
        self._save(force=False)

    def _save(self, force: bool) -> None:
        if self._factory is None:
            return
        live = _LIVE[self.job_id]
        now = time.monotonic()
        if not force and now - live.saved_at < 1.0:
            return
        live.saved_at = now
        try:
            with self._factory() as session, session.begin():
                jobs_repo.set_progress(
                    session, self.job_id, live.stage, live.done_units, live.total_units
                )
        except Exception:  # progress is a courtesy; the job goes on without it
            log.warning("could not save progress of job %s", self.job_id, exc_info=True)


def submit(
    session: Session, actor: Principal, kind: str, params: dict[str, Any], token: str
) -> Job:
    """Queue a job (no commit). The same ``token`` from the same user gives the same job,
    so a form submitted twice queues one job."""
    if kind not in _HANDLERS:
        raise NotFoundError(f"no job kind {kind!r}")
    if not token or len(token) > 64:
        raise ValidationError([Problem("job", kind, "token", "a form token of 1 to 64 characters")])
    found = jobs_repo.job_by_token(session, actor.user_id, token)
    if found is not None:
        return found
    job = Job(
        kind=kind,
        params=params,
        status="queued",
        requested_by_user_id=actor.user_id,
        requested_by=actor.login[:64],
        requested_role=actor.role,
        submit_token=token,
        created_at=utcnow(),
        stage="queued",
        done_units=0,
    )
    return jobs_repo.add_job(session, job)


def _view(job: Job) -> JobView:
    with _LIVE_LOCK:
        live = _LIVE.get(job.id)
        snapshot = (live.stage, live.done_units, live.total_units) if live else None
    stage, done, total = (
        snapshot
        if snapshot is not None and job.status == "running"
        else (job.stage, job.done_units, job.total_units)
    )
    return JobView(
        id=job.id,
        kind=job.kind,
        params=dict(job.params),
        status=job.status,
        requested_by=job.requested_by,
        created_at=aware(job.created_at),
        started_at=aware(job.started_at) if job.started_at else None,
        finished_at=aware(job.finished_at) if job.finished_at else None,
        stage=stage,
        done_units=done,
        total_units=total,
        result=job.result,
        error=job.error,
    )


def view(session: Session, job_id: int, kind: str | None = None) -> JobView:
    """The job's state now; NotFoundError if there is no such job (of ``kind``)."""
    job = jobs_repo.job_by_id(session, job_id)
    if job is None or (kind is not None and job.kind != kind):
        raise NotFoundError(f"no such job: {job_id}")
    session.refresh(job)
    return _view(job)


def recent(session: Session, kind: str | None = None, limit: int = 20) -> list[JobView]:
    return [_view(j) for j in jobs_repo.recent_jobs(session, kind, limit)]


def _actor_of(job: Job) -> Principal:
    return Principal(
        user_id=job.requested_by_user_id,
        login=job.requested_by,
        role=job.requested_role,
        member_pk=None,
        member_id=None,
        via="job",
        credential_id=0,
    )


def run_one(factory: Callable[[], Session], kinds: list[str] | None = None) -> int | None:
    """Claim and run the oldest queued job; its id, or None when none was waiting."""
    with factory() as session, session.begin():
        job_id = jobs_repo.claim_next(session, kinds or sorted(_HANDLERS), utcnow())
    if job_id is None:
        return None
    with factory() as session:
        job = jobs_repo.job_by_id(session, job_id)
        assert job is not None
        handler, params, actor = _HANDLERS[job.kind], dict(job.params), _actor_of(job)
        dialect = session.get_bind().dialect.name
    progress = JobProgress(job_id, None if dialect == "sqlite" else factory)
    result: dict[str, Any] | None = None
    error: str | None = None
    try:
        with factory() as session, session.begin():
            result = handler(JobContext(job_id, session, params, actor, progress))
            jobs_repo.finish(session, job_id, utcnow(), result=result, error=None)
    except FairtreeError as exc:
        error = str(exc)
    except Exception as exc:  # a bug must not kill the worker; the job records it
        log.error("job %s failed:\n%s", job_id, traceback.format_exc())
        error = f"internal error ({type(exc).__name__}); see the server log"
    if error is not None:
        with factory() as session, session.begin():
            jobs_repo.finish(session, job_id, utcnow(), result=None, error=error)
    with _LIVE_LOCK:
        _LIVE.pop(job_id, None)
    return job_id


class JobWorker:
    """A thread that runs queued jobs one at a time until stopped.

    ``fail_stale``: jobs left running by a previous worker are marked failed at start
    (run one worker per database: the server's thread or ``fairtree worker``).
    """

    def __init__(
        self, factory: Callable[[], Session], poll_seconds: float = 0.5, fail_stale: bool = True
    ) -> None:
        self.factory = factory
        self.poll_seconds = poll_seconds
        self.fail_stale = fail_stale
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        import fairtree.services.jobs.catalogue  # noqa: F401  (registers the job kinds)

        if self.fail_stale:
            with self.factory() as session, session.begin():
                jobs_repo.fail_running(session, utcnow(), "interrupted: the worker stopped")
        self._thread = threading.Thread(target=self.run, name="fairtree-jobs", daemon=True)
        self._thread.start()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                ran = run_one(self.factory)
            except Exception:
                log.error("job worker: %s", traceback.format_exc())
                ran = None
            if ran is None:
                self._stop.wait(self.poll_seconds)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
