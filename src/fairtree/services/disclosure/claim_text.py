"""An earnings claim's check in words a reader of the claim can use."""

from __future__ import annotations

from fairtree.disclosure.claim import ClaimCheck
from fairtree.disclosure.render import percent
from fairtree.money import format_amount


def claim_text(check: ClaimCheck) -> str:
    amount = f"{format_amount(check.amount, check.currency)} {check.currency}"
    lines = [
        f"Claim: {amount} a {check.per}. Checked against the finalized months "
        f"{check.covered_from} to {check.covered_to} (exclusive).",
        f"Population: {check.population} ({check.participants}).",
    ]
    if check.per == "year":
        lines += [
            f"Earned at least that gross: {check.reached_gross} of {check.participants} "
            f"({percent(str(check.reached_gross_share))}).",
            f"Earned at least that net of own purchases: {check.reached_net} of "
            f"{check.participants} ({percent(str(check.reached_net_share))}).",
        ]
    else:
        lines += [
            f"Reached it gross in at least one month: {check.reached_gross} of "
            f"{check.participants} ({percent(str(check.reached_gross_share))}); net of own "
            f"purchases: {check.reached_net} ({percent(str(check.reached_net_share))}).",
            f"Months in which a member reached it gross: {check.months_reached_gross} of "
            f"{check.member_months} member-months "
            f"({percent(str(check.months_reached_gross_share))}); "
            f"net: {check.months_reached_net} ({percent(str(check.months_reached_net_share))}).",
        ]
    lines.append(check.note)
    return "\n".join(lines)
