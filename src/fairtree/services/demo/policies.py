"""The demo company's published policies and procedures, so a member can tell what
they must do (obligations) from what is only advice (suggestions), one click away."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from fairtree.services.member_data.policies import publish

DEMO_POLICY_VERSION = "2025.1"

DEMO_POLICY_TEXT = """# Demo Co policies and procedures

## 1. You are independent {obligation}
You run your own business. Nobody in your upline may set your hours, quotas, tasks or
scripts, and nothing here requires you to buy inventory to qualify for anything.

## 2. Returns {obligation}
Accept a customer's return of unopened products within 30 days and refund them in
full. The company buys back your own unsold, resaleable products at 90% of what you
paid, within 12 months of purchase.

## 3. Honest income statements {obligation}
Do not state or imply an income figure. Point people to the company's income
disclosure statement, which covers every member, including those who earned nothing.

## 4. Customers' and contacts' privacy {obligation}
Contact only people who agreed to hear from you, and stop when they ask. Your
customers and contacts are yours; the company never hands them to your upline.

## 5. Sharing online {suggestion}
Say you are an independent member when you talk about the products.

## 6. Buying for yourself {suggestion}
Buy what you and your customers will use. Volume bought to reach a rank that nobody
uses is money spent, not earned.
"""


def publish_demo_policies(session: Session, effective_from: date) -> None:
    """Publish the demo's policies, in force from the demo's first day (no commit)."""
    publish(
        session,
        None,
        DEMO_POLICY_VERSION,
        effective_from,
        DEMO_POLICY_TEXT,
        reason="the demo company's policies and procedures",
    )
