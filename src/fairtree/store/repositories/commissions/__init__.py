"""commissions."""
