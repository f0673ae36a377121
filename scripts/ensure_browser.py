"""Make sure Debian's Chromium is present for the browser tests.

Installs it with apt-get when missing and we are root; otherwise the browser
tests skip with a message (and fail in CI, where CI=true).
"""

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(f"{CHROMIUM} is missing and cannot be installed here; browser tests will skip")
        return 0
    print("installing Debian's chromium for the browser tests")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"], env=env
    )
    if result.returncode != 0:
        print("could not install chromium; browser tests will skip (fail in CI)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
