"""Use cases of the disclosure domain: the statement, claim checks, monitors, publishing."""
