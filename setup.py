"""The build step pyproject.toml cannot say: the shipped reference data
(resources/reference: regions, villages, code lists, health methods, aid
rounds) goes into the wheel as desktop_app/_resources/reference, so that a
server installed with ``pip install ".[server]"`` (not editable) finds it.
desktop_app/resources.py looks there first; a checkout uses resources/."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "resources" / "reference"


class BuildWithReference(build_py):
    def run(self) -> None:
        super().run()
        if self.dry_run or not SOURCE.is_dir():
            return
        target = Path(self.build_lib) / "desktop_app" / "_resources" / "reference"
        target.mkdir(parents=True, exist_ok=True)
        for path in SOURCE.iterdir():
            if path.is_file():
                shutil.copy2(path, target / path.name)


setup(cmdclass={"build_py": BuildWithReference})
