"""Every query fairtree runs lives in this package, one module per concept."""
