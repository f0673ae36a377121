"""Set-based reads for the income disclosure statement and the compliance monitors."""
