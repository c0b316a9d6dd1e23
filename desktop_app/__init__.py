"""Tapis desktop application: offline-first field records for Lampung's
cooperative and UMKM offices."""

from __future__ import annotations

import sys
from pathlib import Path


def _version() -> str:
    """The version, whose one source is ``version`` in pyproject.toml.

    A PyInstaller bundle carries it in ``tapis_build_info`` (written by
    build_scripts/tapis.spec from pyproject.toml); a source checkout reads
    pyproject.toml itself (an editable install's metadata can lag behind it);
    an installed wheel asks its metadata.
    """
    if getattr(sys, "frozen", False):
        try:
            from tapis_build_info import VERSION  # type: ignore[import-not-found]

            return str(VERSION)
        except ImportError:
            pass
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (OSError, tomllib.TOMLDecodeError):
            project = {}
        if project.get("name") == "tapis" and "version" in project:
            return str(project["version"])
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tapis")
    except PackageNotFoundError:
        return "0+unknown"


__version__ = _version()
