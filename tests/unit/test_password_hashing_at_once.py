"""A burst of sign-ins hashes at most one password per core of the process at a time."""

from __future__ import annotations

import os
import threading
import time

import pytest

from fairtree.services.access import credentials


def test_concurrent_verifications_wait_for_a_core(monkeypatch: pytest.MonkeyPatch) -> None:
    running, peak, lock = 0, 0, threading.Lock()
    hasher = credentials._hasher

    class Counting:
        def hash(self, password: str) -> str:
            return hasher.hash(password)

        def verify(self, stored: str, password: str) -> bool:
            return counted(stored, password)

    def counted(stored: str, password: str) -> bool:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        try:
            return hasher.verify(stored, password)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(credentials, "_hasher", Counting())
    stored = credentials.hash_password("correct horse battery")
    results: list[bool] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                credentials.verify_password(stored, "correct horse battery")
            )
        )
        for _ in range(4 * (os.cpu_count() or 1))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * len(threads)
    assert 1 <= peak <= (os.cpu_count() or 1)
