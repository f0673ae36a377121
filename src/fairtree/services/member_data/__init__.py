"""member_data."""
