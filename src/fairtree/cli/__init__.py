"""The ``fairtree`` command."""
