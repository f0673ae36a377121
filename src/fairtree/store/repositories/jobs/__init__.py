"""Queries of the background jobs and run approvals."""
