"""Where the officer's data lives: the per-user data folder from platformdirs.

Never inside the install folder, so upgrading or uninstalling the
application leaves the data alone.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "Tapis"
APP_AUTHOR = "DinasKUKMLampung"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
