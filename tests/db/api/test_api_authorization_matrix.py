"""Every route of the app against every relationship, expected answers in ONE table.

Routes come from ``app.routes`` (flattened with FastAPI's ``iter_route_contexts``), so
a route added without a row here fails ``test_every_route_is_in_the_table``. The
target member is T (see tests/factories/world.py); each column is a reader in one relationship to
T. Staff columns run without and with an ``X-Access-Reason``. The revoked-grantee
column runs after T revokes G's grant through the API.
"""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from fairtree.api.app import create_app
from fairtree.config import Settings
from fairtree.services.access import sign_in
from fairtree.store.database import session_scope
from fairtree.store.models import User
from tests.factories import (
    ACME_PLAN,
    PASSWORD,
    MemberDataWorld,
    World,
    build_member_data,
    build_world,
    member_data_body,
)

COLUMNS = (
    "self", "sponsor", "upline3", "downline", "crossline", "grantee", "grantee_revoked",
    "admin", "admin_reason", "support", "support_reason", "anonymous",
)  # fmt: skip
READER = {
    "self": "T", "sponsor": "S", "upline3": "U3", "downline": "D", "crossline": "X",
    "grantee": "G", "grantee_revoked": "G", "admin": "admin", "admin_reason": "admin",
    "support": "support", "support_reason": "support", "anonymous": None,
}  # fmt: skip

# fmt: off
# (the /app/statements/{period_key} rows answer 404: the world has no run for its period)
#                                              self spo up3 dwn crs gra rev adm adR sup suR anon
EXPECTED: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"):                     "200 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "/docs"):                             "200 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "/health"):                           "200 200 200 200 200 200 200 200 200 200 200 200",
    ("GET", "/"):                                 "303 303 303 303 303 303 303 303 303 303 303 303",
    ("POST", "/auth/login"):                      "401 401 401 401 401 401 401 401 401 401 401 401",
    ("POST", "/auth/tokens"):                     "401 401 401 401 401 401 401 401 401 401 401 401",
    ("GET", "/auth/tokens"):                      "200 200 200 200 200 200 200 200 200 200 200 401",
    ("DELETE", "/auth/tokens/{token_id}"):        "204 404 404 404 404 404 404 404 404 404 404 401",
    ("GET", "/auth/me"):                          "200 200 200 200 200 200 200 200 200 200 200 401",
    ("POST", "/auth/logout"):                     "204 204 204 204 204 204 204 204 204 204 204 401",
    ("POST", "/auth/sign-out-everywhere"):        "204 204 204 204 204 204 204 204 204 204 204 401",
    ("POST", "/auth/password"):                   "422 422 422 422 422 422 422 422 422 422 422 401",
    ("POST", "/auth/password-reset"):             "202 202 202 202 202 202 202 202 202 202 202 202",
    ("POST", "/auth/password-reset/confirm"):     "422 422 422 422 422 422 422 422 422 422 422 422",
    ("GET", "/members/{member_id}/profile"):      "200 404 404 404 404 200 404 403 200 403 200 401",
    ("GET", "/members/{member_id}/orders"):       "200 404 404 404 404 200 404 403 200 403 200 401",
    ("GET", "/members/{member_id}/orders/{order_id}"):
                                                  "200 404 404 404 404 200 404 403 200 403 200 401",
    ("GET", "/members/{member_id}/customers"):    "200 404 404 404 404 200 404 403 200 404 404 401",
    ("GET", "/members/{member_id}/customers/{customer_id}"):
                                                  "200 404 404 404 404 200 404 403 200 404 404 401",
    ("GET", "/members/{member_id}/team"):         "200 200 200 404 404 200 404 200 200 200 200 401",
    ("GET", "/members/{member_id}/rank-progress"):
                                                  "200 404 404 404 404 200 404 403 200 403 200 401",
    ("GET", "/members/{member_id}/statements/{period_key}"):
                                                  "404 404 404 404 404 404 404 403 404 403 404 401",
    ("GET", "/members/{member_id}/statements/{period_key}/csv"):
                                                  "404 404 404 404 404 404 404 403 404 403 404 401",
    ("GET", "/members/{member_id}/access-log"):   "200 404 404 404 404 404 404 403 200 403 200 401",
    ("GET", "/members/{member_id}/grants"):       "200 404 404 404 404 404 404 403 200 403 200 401",
    ("POST", "/members/{member_id}/grants"):      "201 404 404 404 404 404 404 404 404 404 404 401",
    ("DELETE", "/members/{member_id}/grants/{grant_id}"):
                                                  "204 404 404 404 404 404 404 404 404 404 404 401",
    ("GET", "/admin/members"):                    "404 404 404 404 404 404 404 200 200 200 200 401",
    ("GET", "/admin/members/{member_id}"):        "404 404 404 404 404 404 404 200 200 200 200 401",
    ("GET", "/admin/periods"):                    "404 404 404 404 404 404 404 200 200 200 200 401",
    ("GET", "/admin/plan-versions"):              "404 404 404 404 404 404 404 200 200 200 200 401",
    ("GET", "/admin/plan-versions/{version}"):    "404 404 404 404 404 404 404 200 200 200 200 401",
    ("POST", "/admin/plan-versions"):             "404 404 404 404 404 404 404 201 201 404 404 401",
    ("POST", "/admin/members/{member_id}/move"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 401",
    ("POST", "/admin/members/{member_id}/terminate"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 401",
    ("GET", "/admin/audit"):                      "404 404 404 404 404 404 404 200 200 404 404 401",
    # Order intake for the company's systems: no member posts an order, not even their own.
    ("POST", "/orders"):                          "404 404 404 404 404 404 404 201 201 404 404 401",
    # Member-owned data (contacts, notes, goals, help, policies, portability).
    ("GET", "/members/{member_id}/contacts"):     "200 404 404 404 404 200 404 403 200 404 404 401",
    ("POST", "/members/{member_id}/contacts"):    "201 404 404 404 404 404 404 404 404 404 404 401",
    ("GET", "/members/{member_id}/contacts/{contact_id}"):
                                                  "200 404 404 404 404 200 404 403 200 404 404 401",
    ("PATCH", "/members/{member_id}/contacts/{contact_id}"):
                                                  "200 404 404 404 404 404 404 404 404 404 404 401",
    ("DELETE", "/members/{member_id}/contacts/{contact_id}"):
                                                  "204 404 404 404 404 404 404 404 404 404 404 401",
    ("GET", "/me/contacts/outreach"):             "200 200 200 200 200 200 200 404 404 404 404 401",
    ("GET", "/me/contacts/outreach.csv"):         "200 200 200 200 200 200 200 404 404 404 404 401",
    ("POST", "/members/{member_id}/customers"):   "201 404 404 404 404 404 404 404 404 404 404 401",
    ("PATCH", "/members/{member_id}/customers/{customer_id}"):
                                                  "200 404 404 404 404 404 404 404 404 404 404 401",
    ("GET", "/members/{member_id}/notes"):        "200 404 404 404 404 200 404 403 200 403 200 401",
    ("POST", "/members/{member_id}/notes"):       "201 404 404 404 404 404 404 404 404 404 404 401",
    ("GET", "/members/{member_id}/notes/{note_id}"):
                                                  "200 404 404 404 404 200 404 403 200 403 200 401",
    ("DELETE", "/members/{member_id}/notes/{note_id}"):
                                                  "204 404 404 404 404 404 404 404 404 404 404 401",
    ("GET", "/members/{member_id}/goals"):        "200 404 404 404 404 200 404 403 200 403 200 401",
    ("POST", "/members/{member_id}/goals"):       "201 404 404 404 404 404 404 404 404 404 404 401",
    ("GET", "/members/{member_id}/goals/{goal_id}"):
                                                  "200 404 404 404 404 200 404 403 200 403 200 401",
    ("DELETE", "/members/{member_id}/goals/{goal_id}"):
                                                  "204 404 404 404 404 404 404 404 404 404 404 401",
    ("GET", "/help/requests"):                    "200 200 200 200 200 200 200 200 200 200 200 401",
    ("POST", "/help/requests"):                   "201 201 201 201 201 201 201 404 404 404 404 401",
    ("GET", "/help/requests/{request_id}"):       "200 200 404 404 404 404 404 404 404 404 404 401",
    ("POST", "/help/requests/{request_id}/messages"):
                                                  "200 200 404 404 404 404 404 404 404 404 404 401",
    ("POST", "/help/requests/{request_id}/close"):
                                                  "200 403 404 404 404 404 404 404 404 404 404 401",
    ("POST", "/help/requests/{request_id}/withdraw"):
                                                  "200 403 404 404 404 404 404 404 404 404 404 401",
    ("GET", "/help/mentors"):                     "200 200 200 200 200 200 200 200 200 200 200 401",
    ("PUT", "/me/mentoring"):                     "200 200 200 200 200 200 200 404 404 404 404 401",
    ("DELETE", "/me/mentoring"):                  "204 204 204 204 204 204 204 404 404 404 404 401",
    ("GET", "/members/{member_id}/care"):         "200 404 404 200 404 200 404 200 200 200 200 401",
    ("GET", "/policies/current"):                 "200 200 200 200 200 200 200 200 200 200 200 401",
    ("POST", "/policies/{version}/acknowledgement"):
                                                  "200 200 200 200 200 200 200 404 404 404 404 401",
    ("GET", "/admin/policies"):                   "404 404 404 404 404 404 404 200 200 200 200 401",
    ("POST", "/admin/policies"):                  "404 404 404 404 404 404 404 201 201 404 404 401",
    ("GET", "/me/export"):                        "200 200 200 200 200 200 200 404 404 404 404 401",
    ("POST", "/me/close"):                        "422 422 422 422 422 422 422 404 404 404 404 401",
    # Member back office pages: each shows the reader's own data; no sign-in redirects (303).
    ("GET", "/disclosure/{year}"):                "404 404 404 404 404 404 404 404 404 404 404 404",
    ("GET", "/disclosure/{year}.json"):           "404 404 404 404 404 404 404 404 404 404 404 404",
    ("GET", "/app/login"):                        "200 200 200 200 200 200 200 200 200 200 200 200",
    ("POST", "/app/login"):                       "403 403 403 403 403 403 403 403 403 403 403 403",
    ("GET", "/app/forgot-password"):              "200 200 200 200 200 200 200 200 200 200 200 200",
    ("POST", "/app/forgot-password"):             "422 422 422 422 422 422 422 422 422 422 422 422",
    ("GET", "/app/reset-password"):               "200 200 200 200 200 200 200 200 200 200 200 200",
    ("POST", "/app/reset-password"):              "422 422 422 422 422 422 422 422 422 422 422 422",
    ("POST", "/app/logout"):                      "303 303 303 303 303 303 303 303 303 303 303 303",
    ("GET", "/app/"):                             "200 200 200 200 200 200 200 303 303 303 303 303",
    ("GET", "/app/earnings"):                     "200 200 200 200 200 200 200 303 303 303 303 303",
    ("GET", "/app/genealogy"):                    "200 200 200 200 200 200 200 303 303 303 303 303",
    ("GET", "/app/genealogy/level"):              "303 303 303 303 303 303 303 303 303 303 303 303",
    ("GET", "/app/genealogy/search"):             "200 200 200 200 200 200 200 303 303 303 303 303",
    ("GET", "/app/statements"):                   "200 200 200 200 200 200 200 303 303 303 303 303",
    ("GET", "/app/statements/{period_key}"):      "404 404 404 404 404 404 404 303 303 303 303 303",
    ("GET", "/app/statements/{period_key}/lines/{number}"):
                                                  "404 404 404 404 404 404 404 303 303 303 303 303",
    ("GET", "/app/statements/{period_key}/csv"):  "404 404 404 404 404 404 404 303 303 303 303 303",
    ("GET", "/app/statements/{period_key}/pdf"):  "404 404 404 404 404 404 404 303 303 303 303 303",
    ("GET", "/app/downline"):                     "200 200 200 200 200 200 200 303 303 303 303 303",
    ("GET", "/app/downline/csv"):                 "200 200 200 200 200 200 200 303 303 303 303 303",
    ("GET", "/app/my-data"):                      "200 200 200 200 200 200 200 303 303 303 303 303",
    ("POST", "/app/my-data/grants"):              "422 422 422 422 422 422 422 303 303 303 303 303",
    ("POST", "/app/my-data/grants/{grant_id}/revoke"):
                                                  "404 404 404 404 404 404 404 303 303 303 303 303",
    ("POST", "/app/my-data/password"):            "422 422 422 422 422 422 422 303 303 303 303 303",
    ("POST", "/app/my-data/tokens"):              "422 422 422 422 422 422 422 303 303 303 303 303",
    ("POST", "/app/my-data/tokens/{token_id}/revoke"):
                                                  "404 404 404 404 404 404 404 303 303 303 303 303",
    ("POST", "/app/my-data/mentoring"):           "422 422 422 422 422 422 422 303 303 303 303 303",
    ("GET", "/app/my-data/close"):                "200 200 200 200 200 200 200 303 303 303 303 303",
    ("POST", "/app/my-data/close"):               "422 422 422 422 422 422 422 303 303 303 303 303",
    ("GET", "/app/orders"):                       "200 200 200 200 200 200 200 303 303 303 303 303",
    ("GET", "/app/contacts/{contact_id}"):
                                                  "200 404 404 404 404 404 404 303 303 303 303 303",
    ("POST", "/app/contacts/{contact_id}"):
                                                  "422 404 404 404 404 404 404 303 303 303 303 303",
    ("POST", "/app/contacts/{contact_id}/delete"):
                                                  "303 404 404 404 404 404 404 303 303 303 303 303",
    ("GET", "/app/notes"):                        "200 200 200 200 200 200 200 303 303 303 303 303",
    ("POST", "/app/notes"):                       "422 422 422 422 422 422 422 303 303 303 303 303",
    ("POST", "/app/notes/{note_id}/delete"):      "303 404 404 404 404 404 404 303 303 303 303 303",
    ("GET", "/app/customers"):                    "200 200 200 200 200 200 200 303 303 303 303 303",
    ("GET", "/app/customers/{customer_id}"):
                                                  "200 404 404 404 404 404 404 303 303 303 303 303",
    ("POST", "/app/customers/{customer_id}"):
                                                  "422 404 404 404 404 404 404 303 303 303 303 303",
    ("POST", "/app/customers"):                   "422 422 422 422 422 422 422 303 303 303 303 303",
    ("GET", "/app/contacts"):                     "200 200 200 200 200 200 200 303 303 303 303 303",
    ("POST", "/app/contacts"):                    "422 422 422 422 422 422 422 303 303 303 303 303",
    ("GET", "/app/goals"):                        "200 200 200 200 200 200 200 303 303 303 303 303",
    ("POST", "/app/goals"):                       "422 422 422 422 422 422 422 303 303 303 303 303",
    ("GET", "/app/help"):                         "200 200 200 200 200 200 200 303 303 303 303 303",
    ("POST", "/app/help"):                        "422 422 422 422 422 422 422 303 303 303 303 303",
    ("GET", "/app/policies"):                     "200 200 200 200 200 200 200 303 303 303 303 303",
    ("POST", "/app/policies/acknowledge"):        "422 422 422 422 422 422 422 303 303 303 303 303",
    ("GET", "/app/access-log"):                   "200 200 200 200 200 200 200 303 303 303 303 303",
    ("GET", "/app/team"):                         "303 303 303 303 303 303 303 303 303 303 303 303",
    ("POST", "/app/contacts/{contact_id}/consent"):
                                                  "422 404 404 404 404 404 404 303 303 303 303 303",
    ("GET", "/app/help/{request_id}"):            "200 200 404 404 404 404 404 303 303 303 303 303",
    ("POST", "/app/help/{request_id}/reply"):     "422 422 404 404 404 404 404 303 303 303 303 303",
    ("POST", "/app/help/{request_id}/state"):     "422 422 404 404 404 404 404 303 303 303 303 303",
    # The operator console (staff pages; members get the 404 of a missing page).
    ("GET", "/console"):
                                                  "303 303 303 303 303 303 303 303 303 303 303 303",
    ("GET", "/console/"):
                                                  "404 404 404 404 404 404 404 200 200 200 200 303",
    ("GET", "/console/compliance"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/compliance/{period}.{fmt}"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/disclosure"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/disclosure/statement.{fmt}"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("GET", "/console/simulations"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/simulations/{job_id}"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/simulations/{job_id}/report.{fmt}"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/genealogy"):
                                                  "404 404 404 404 404 404 404 200 200 200 200 303",
    ("GET", "/console/genealogy/level"):
                                                  "404 404 404 404 404 404 404 303 303 303 303 303",
    ("GET", "/console/genealogy/search"):
                                                  "404 404 404 404 404 404 404 200 200 200 200 303",
    ("GET", "/console/help"):
                                                  "404 404 404 404 404 404 404 200 200 200 200 303",
    ("GET", "/console/help/{request_id}"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/jobs/{job_id}"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/jobs/{job_id}/status"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/logs/access"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/logs/audit"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/members"):
                                                  "404 404 404 404 404 404 404 200 200 200 200 303",
    ("GET", "/console/members/new/enrol"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/members/{member_id}"):
                                                  "404 404 404 404 404 404 404 200 200 200 200 303",
    ("GET", "/console/members/{member_id}/move"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/members/{member_id}/terminate"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/periods"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/periods/{period}"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/periods/{period}/finalize"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/periods/{period}/members/{member_id}"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/periods/{period}/payouts"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/periods/{period}/payouts/new"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/periods/{period}/payouts/payouts.csv"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/periods/{period}/statement"):
                                                  "404 404 404 404 404 404 404 303 303 404 404 303",
    ("GET", "/console/plans"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/plans/cases/{job_id}"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("GET", "/console/plans/versions/{version}"):
                                                  "404 404 404 404 404 404 404 200 200 404 404 303",
    ("GET", "/console/plans/whatif/{job_id}"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("POST", "/admin/members"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 401",
    ("POST", "/console/disclosure/publish"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/disclosure/publish/confirm"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/simulations"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/help/{request_id}/reply"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("POST", "/console/members/new/enrol"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/members/{member_id}/contacts"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/members/{member_id}/move"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/members/{member_id}/private"):
                                                  "404 404 404 404 404 404 404 422 422 422 422 303",
    ("POST", "/console/members/{member_id}/terminate"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/periods/close"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/periods/{period}/approve"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("POST", "/console/periods/{period}/finalize"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("POST", "/console/periods/{period}/payouts"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("POST", "/console/periods/{period}/payouts/mark"):
                                                  "404 404 404 404 404 404 404 404 404 404 404 303",
    ("POST", "/console/plans/versions"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/plans/versions/{version}/cases"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/plans/whatif"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
    ("POST", "/console/settings/approval"):
                                                  "404 404 404 404 404 404 404 422 422 404 404 303",
}
# fmt: on

_serial = count()


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    found: set[tuple[str, Any]] = set()
    for route in iter_route_contexts(app.routes):
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                found.add((method, route.path))
    return found


def _body(method: str, path: str, who: str) -> Any:
    n = next(_serial)
    bodies = {
        "/auth/login": {"login": f"nobody{n}", "password": "wrong password!"},
        "/auth/tokens": {"login": f"nobody{n}", "password": "wrong password!", "name": "x"},
        "/auth/password": {"current_password": "wrong password!", "new_password": "x" * 12},
        "/auth/password-reset": {"login": f"nobody{n}"},
        "/auth/password-reset/confirm": {"token": "ftr_bogus", "new_password": "x" * 12},
        "/members/{member_id}/grants": {"grantee_login": "d", "kinds": ["orders"], "days": 1},
        # refused by the rules (a loop; a date before joining), so the world stays as it is
        "/admin/members/{member_id}/move": {
            "sponsor_id": "D",
            "effective_on": "2026-06-01",
            "reason": "authorization matrix",
        },
        "/admin/members/{member_id}/terminate": {
            "effective_on": "1990-01-01",
            "reason": "authorization matrix",
        },
        "/orders": {
            "order_id": f"matrix-{who}-{n}",
            "placed_on": "2026-03-20",
            "buyer_member_id": "T",
            "lines": [{"sku": "P1", "quantity": 1}],
        },
        "/admin/plan-versions": {
            "version": f"matrix-{who}-{n}",
            "effective_from": "2026-05-01",
            "yaml_text": ACME_PLAN,
            "reason": "authorization matrix",
        },
    }
    if method == "POST" and path in bodies:
        return bodies[path]
    return member_data_body(method, path, n, who)


def _url(method: str, path: str, world: World, data: MemberDataWorld, spare_token_id: int) -> str:
    page_revoke = path.startswith("/app/") and path.endswith("/revoke")  # no such grant or token
    url = path.format(
        **data.path_ids(method, path),
        member_id="T",
        order_id="OT1",
        customer_id="CT1",
        grant_id=999_999 if page_revoke else world.spare_grant_id,
        token_id=999_999 if page_revoke else spare_token_id,
        version="v1",
        period_key="2026-03",
        number=0,
        year=2026,
        period="2026-03",
        job_id=1,
        fmt="csv",
    )
    return url + ("?period=2026-03" if path.endswith("/team") else "")


SIGN_OUTS = ("/auth/logout", "/auth/sign-out-everywhere")


def _fresh_token(world: World, engine: Engine, reader: str) -> str:
    with session_scope(engine) as session:
        user = session.get_one(User, world.user_ids[reader])
        return sign_in.issue_api_token(session, world.settings, user, "fresh").token


def _headers(world: World, engine: Engine, column: str, path: str) -> dict[str, str]:
    reader = READER[column]
    if reader is None:
        return {}
    headers = world.auth(reader)
    if path in SIGN_OUTS:  # these revoke the caller's credentials: use a fresh one
        headers = {"Authorization": f"Bearer {_fresh_token(world, engine, reader)}"}
    if column.endswith("_reason"):
        headers["X-Access-Reason"] = "support ticket 1234"
    return headers


@pytest.fixture
def matrix_app(committing_engine: Engine, db_url: str, tmp_path) -> tuple[FastAPI, World]:
    settings = Settings(
        database_url=db_url,
        outbox_dir=tmp_path / "outbox",
        login_failures_per_account=1000,
        login_failures_per_address=1000,
    )
    return create_app(settings, engine=committing_engine), build_world(committing_engine, settings)


@pytest.fixture
def member_data(matrix_app: tuple[FastAPI, World], committing_engine: Engine) -> MemberDataWorld:
    return build_member_data(committing_engine, matrix_app[1])


def test_every_route_is_in_the_table(matrix_app: tuple[FastAPI, World]) -> None:
    app, _ = matrix_app
    routes = _routes(app)
    assert routes - set(EXPECTED) == set(), "routes missing from the authorization table"
    assert set(EXPECTED) - routes == set(), "table rows for routes that no longer exist"
    assert all(len(v.split()) == len(COLUMNS) for v in EXPECTED.values())


def test_every_route_answers_every_relationship_as_the_table_says(
    matrix_app: tuple[FastAPI, World], committing_engine: Engine, member_data: MemberDataWorld
) -> None:
    app, world = matrix_app
    with session_scope(committing_engine) as session:
        t_user = session.get_one(User, world.user_ids["T"])
        spare_token_id = sign_in.issue_api_token(session, world.settings, t_user, "spare").record.id
    mismatches = []
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:

        def run(columns: tuple[str, ...]) -> None:
            for (method, path), row in sorted(EXPECTED.items()):
                expected = dict(zip(COLUMNS, row.split(), strict=True))
                for column in columns:
                    response = client.request(
                        method,
                        _url(method, path, world, member_data, spare_token_id),
                        json=_body(method, path, column),
                        headers=_headers(world, committing_engine, column, path),
                    )
                    reader = READER[column]
                    if path == "/auth/sign-out-everywhere" and reader is not None:
                        world.tokens[reader] = _fresh_token(world, committing_engine, reader)
                    if str(response.status_code) != expected[column]:
                        mismatches.append(
                            f"{method} {path} as {column}: {response.status_code}"
                            f" (expected {expected[column]}) {response.text[:120]}"
                        )

        run(tuple(c for c in COLUMNS if c != "grantee_revoked"))
        revoke = client.delete(f"/members/T/grants/{world.grant_id}", headers=world.auth("T"))
        assert revoke.status_code == 204
        run(("grantee_revoked",))
    assert mismatches == []
    assert PASSWORD  # the world's password is never sent by this test: logins above are wrong
