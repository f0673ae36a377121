"""fairtree: an open back office and compensation engine for network-marketing companies.

Every amount is exact (integer minor units), every payout line is explained, and every
member owns their own customers, contacts and goals.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
