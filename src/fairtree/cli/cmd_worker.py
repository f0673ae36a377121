"""``fairtree worker``: run background jobs (close, what-if) in their own process."""

from __future__ import annotations

import signal
import threading

import typer
from rich.console import Console

from fairtree.cli.main import app

console = Console(stderr=True)


@app.command()
def worker(
    poll: float = typer.Option(0.5, min=0.05, help="Seconds between looks for queued jobs."),
) -> None:
    """Run queued jobs until stopped (Ctrl-C); serve with FAIRTREE_RUN_JOBS=false then."""
    from fairtree.cli.database import open_engine
    from fairtree.config import Settings
    from fairtree.services.jobs import JobWorker
    from fairtree.store.database import make_session_factory
    from fairtree.store.migrate import upgrade

    settings = Settings.from_env()
    upgrade(settings.database_url)
    with open_engine(settings.database_url) as engine:
        running = JobWorker(make_session_factory(engine), poll_seconds=poll)
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        running.start()
        console.print("fairtree worker: running queued jobs (Ctrl-C stops)")
        try:
            stopped.wait()
        except KeyboardInterrupt:
            pass
        finally:
            running.stop()
