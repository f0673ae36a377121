"""Console compliance monitors: pick a finalized period; the company's figures and flags,
then every monitor with the members it flagged (paged and sorted through web/tables.py),
each with its reason and the figures behind it; CSV and JSON of the whole report."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from fairtree.api.deps import DbSession
from fairtree.disclosure import render_compliance
from fairtree.disclosure.render import percent
from fairtree.errors import NotFoundError, ValidationError
from fairtree.money import currency_exponent
from fairtree.services.disclosure.choices import disclosure_choices
from fairtree.services.disclosure.compliance import compliance_report, flagged_page
from fairtree.web.console.staff import AdminPage, failure_problems, page
from fairtree.web.tables import Column, Listing, TableQuery

router = APIRouter(prefix="/console/compliance", include_in_schema=False)

DOWNLOADS = {
    "csv": ("text/csv; charset=utf-8", render_compliance.to_csv),
    "json": ("application/json", render_compliance.to_json),
}


@router.get("", response_class=HTMLResponse)
def compliance_page(request: Request, staff: AdminPage, session: DbSession) -> HTMLResponse:
    params = request.query_params
    choices = disclosure_choices(session)
    period = params.get("period", "").strip()[:16]

    def show(
        status: int = 200, problems: list[str] | None = None, **context: object
    ) -> HTMLResponse:
        return page(
            request,
            staff,
            "console/compliance.html",
            status,
            choices=choices,
            period=period,
            problems=problems,
            percent=percent,
            **context,
        )

    if not period:
        return show()
    try:
        report = compliance_report(session, period)
    except ValidationError as error:
        return show(422, failure_problems(error))
    except NotFoundError as error:
        return show(404, [str(error)])
    data = render_compliance.report_data(report, currency_exponent(report.currency), limit=0)
    monitor = params.get("monitor", "")
    if monitor not in {m["monitor"] for m in data["monitors"]}:
        monitor = next((m["monitor"] for m in data["monitors"] if m["flagged"]), "")
    listing = columns = None
    if monitor:
        names = next(f for f in report.member_flags if f.monitor == monitor).figures
        query = TableQuery.parse(params, ["member", *names], "member")
        flagged = flagged_page(
            report, monitor, query.sort, query.descending, query.offset, query.limit
        )
        columns = [Column("member", "Member")] + [
            Column(name, name.replace("_", " "), numeric=True) for name in flagged.columns
        ]
        listing = Listing(
            "/console/compliance",
            query,
            flagged.rows,
            flagged.total,
            noun="members flagged",
            extra={"period": report.period, "monitor": monitor},
        )
    return show(r=data, monitor=monitor, listing=listing, columns=columns)


@router.get("/{period}.{fmt}")
def download(period: str, fmt: str, staff: AdminPage, session: DbSession) -> Response:
    """The whole report, every flagged member: the bytes ``fairtree compliance`` writes."""
    if fmt not in DOWNLOADS:
        raise NotFoundError(f"no format {fmt!r}: use csv or json")
    report = compliance_report(session, period)
    media_type, writer = DOWNLOADS[fmt]
    return Response(
        writer(report, currency_exponent(report.currency)),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="compliance-{report.period}.{fmt}"'},
    )
