"""Every string on screen has its Indonesian, and the translation compiles."""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
tools = runpy.run_path(str(ROOT / "build_scripts" / "translations.py"))


def test_no_string_on_screen_lacks_indonesian() -> None:
    assert tools["problems"]() == []


def test_the_translations_compile() -> None:
    compiled = tools["compile_all"]()
    assert compiled and all(path.stat().st_size > 100 for path in compiled)
