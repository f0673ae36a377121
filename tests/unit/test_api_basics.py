from fastapi import FastAPI
from fastapi.testclient import TestClient

from fairtree.api.errors import NOT_FOUND_BODY, install_error_handlers
from fairtree.api.limits import BodySizeLimit
from fairtree.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
    ValidationError,
)


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/missing")
    def missing() -> None:
        raise NotFoundError("member 42 belongs to someone else")

    @app.get("/invalid")
    def invalid() -> None:
        raise ValidationError([Problem("orders.csv", "line 3", "quantity", "must be > 0")])

    @app.get("/conflict")
    def conflict() -> None:
        raise ConflictError("period 2026-03 is already finalized")

    @app.get("/forbidden")
    def forbidden() -> None:
        raise PermissionDeniedError("admins only")

    @app.post("/echo")
    async def echo(payload: dict) -> dict:
        return payload

    app.add_middleware(BodySizeLimit, max_bytes=100)
    return app


def test_not_found_hides_why():
    response = TestClient(_app()).get("/missing")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND_BODY
    assert "someone else" not in response.text


def test_validation_lists_problems():
    response = TestClient(_app()).get("/invalid")
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"source": "orders.csv", "location": "line 3", "field": "quantity", "reason": "must be > 0"}
    ]


def test_conflict_and_forbidden_codes():
    client = TestClient(_app())
    assert client.get("/conflict").status_code == 409
    assert client.get("/forbidden").status_code == 403


def test_body_size_limit():
    client = TestClient(_app())
    assert client.post("/echo", json={"a": "x" * 10}).json() == {"a": "x" * 10}
    response = client.post("/echo", json={"a": "x" * 200})
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
