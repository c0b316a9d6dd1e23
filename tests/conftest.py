"""Suite-wide settings: Qt without a screen, and no test touches the real
per-user data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.support.servers", "tests.support.gui"]
