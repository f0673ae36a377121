"""``fairtree serve``: migrate, seed the demo company on a first start, serve the app."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from fairtree.cli.main import app
from fairtree.config import Settings
from fairtree.services.demo.seed import DemoSeeded

console = Console(stderr=True)


SIGN_INS_FILE = Path("var/demo-sign-ins.txt")


def _announce(seeded: DemoSeeded) -> None:
    """Print the demo's sign-ins and keep them in a local file (not in the repository)."""
    counts = seeded.counts
    console.print(
        f"[green]Seeded the demo company:[/] {counts.members} members, {counts.orders} orders"
    )
    if seeded.books is not None:
        books = seeded.books
        console.print(
            f"Finalized {', '.join(books.finalized)}; a late order in {books.corrected} is "
            f"corrected in {books.corrected_in}; payout batch for {books.corrected_in}: "
            f"{books.payout.pending} to pay, {books.payout.held} held, "
            f"{books.payout.carried} carried; {books.open_period} is open."
        )
    lines = [f"{s.login}\t{s.password}\t{s.role}\t{s.who}" for s in seeded.sign_ins]
    SIGN_INS_FILE.parent.mkdir(parents=True, exist_ok=True)
    SIGN_INS_FILE.write_text("login\tpassword\trole\twho\n" + "\n".join(lines) + "\n")
    SIGN_INS_FILE.chmod(0o600)
    console.print(f"Demo sign-ins (also in {SIGN_INS_FILE}):")
    for line in lines:
        console.print("  " + line.replace("\t", "  "))


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    demo: bool = typer.Option(
        True,
        "--demo/--no-demo",
        help="On first start with an empty embedded (SQLite) database, seed a demo company.",
    ),
    demo_members: int = typer.Option(3000, min=10, help="Members in the demo company."),
) -> None:
    """Serve the back office and API (OpenAPI at /openapi.json, health at /health)."""
    import uvicorn

    from fairtree.api.app import create_app
    from fairtree.cli.database import command_session
    from fairtree.cli.rich_progress import RichProgress
    from fairtree.services.demo.seed import DemoShape, seed_demo_if_empty
    from fairtree.store.migrate import upgrade

    settings = Settings.from_env()
    upgrade(settings.database_url)
    if demo and settings.is_embedded:
        with RichProgress(console) as progress, command_session(settings.database_url) as session:
            seeded = seed_demo_if_empty(session, DemoShape(members=demo_members), progress=progress)
        if seeded is not None:
            _announce(seeded)
    console.print(f"fairtree on http://{host}:{port}  (health: /health, API: /openapi.json)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
