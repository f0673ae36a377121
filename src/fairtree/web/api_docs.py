"""``/docs``: Swagger UI over ``/openapi.json``, from the files of the installed
swagger-ui-bundle package (no CDN, works offline); started by a static script, as the
Content-Security-Policy allows no inline script."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

ASSETS = str(swagger_ui_path)
router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fairtree API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css">
<script src="/docs-assets/swagger-ui-bundle.js" defer></script>
<script src="/static/docs.js" defer></script>
</head>
<body>
<main id="swagger-ui"><h1>fairtree API</h1><p>The API description is at
<a href="/openapi.json">/openapi.json</a>; this page shows it once its script loads.</p></main>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
def api_documentation() -> HTMLResponse:
    return HTMLResponse(PAGE)
