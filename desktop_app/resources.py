"""Where the files shipped with the application live.

In a PyInstaller bundle they are unpacked under ``sys._MEIPASS``; in an
installed wheel (``pip install ".[server]"``) the reference data is package
data, ``desktop_app/_resources/reference`` (setup.py puts it there); from a
source checkout they are in the repository's ``resources/`` folder.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding reference data, translations and icons."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    installed = Path(__file__).resolve().parent / "_resources"
    if (installed / "reference" / "manifest.json").is_file():
        return installed
    return Path(__file__).resolve().parent.parent / "resources"


def reference_dir() -> Path:
    return resources_dir() / "reference"
