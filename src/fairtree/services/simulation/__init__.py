"""Simulations run as background jobs: a single run, a sweep of seeds, plan A against B."""
