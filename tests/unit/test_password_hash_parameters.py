"""New password hashes use OWASP's argon2id configuration; older hashes still verify."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.low_level import Type

from fairtree.services.access import credentials


def test_a_new_hash_is_argon2id_with_owasp_parameters() -> None:
    stored = credentials.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert credentials.verify_password(stored, "correct horse battery") is True
    assert credentials.verify_password(stored, "wrong horse battery") is False


def test_a_hash_made_with_the_library_defaults_still_verifies() -> None:
    library_default = PasswordHasher()  # RFC 9106 low-memory: 64 MiB, 3 passes, 4 lanes
    assert library_default.type is Type.ID
    stored = library_default.hash("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert credentials.verify_password(stored, "correct horse battery") is True
    assert credentials.verify_password(stored, "wrong horse battery") is False
