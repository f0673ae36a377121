"""Background jobs: long tasks (a close, a what-if, a simulation) run outside requests.

The public surface is small; see docs/decisions/0007-background-jobs.md::

    from fairtree.services.jobs import register, submit, view, JobContext

    def close_job(context: JobContext) -> dict:      # runs in a worker, its own transaction
        context.progress.stage("closing", None)
        ...                                           # use context.session, context.params
        return {"run_id": 12}                         # JSON-able result, stored with the job

    register("close", close_job)                      # at import of the module
    job = submit(session, principal, "close", {"period": "2026-05"}, token)
    view(session, job.id)                             # status, stage, progress, result, error
"""

from fairtree.services.jobs.runner import (
    JobContext,
    JobView,
    JobWorker,
    register,
    run_one,
    submit,
    view,
)

__all__ = ["JobContext", "JobView", "JobWorker", "register", "run_one", "submit", "view"]
