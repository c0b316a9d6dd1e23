"""Keep the Indonesian translation of the screens current.

    python build_scripts/translations.py update AREA FILE...   # lupdate FILEs into id/AREA.ts
    python build_scripts/translations.py compile               # every .ts -> .qm (the build runs this)
    python build_scripts/translations.py check                 # exit 1 on unfinished or missing strings

The GUI's source strings are English; each area of the GUI (forms, lists,
sync, ...) has its own .ts under resources/translations/id so that people
working on different screens do not edit one file. `check` runs lupdate over
every GUI source into a scratch file and fails when a string on screen has
no Indonesian.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "resources" / "translations" / "id"
UI_DIR = ROOT / "desktop_app" / "ui"


def tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else name


def update(area: str, files: list[str]) -> None:
    TS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool("pyside6-lupdate"), *files, "-no-obsolete", "-source-language", "en",
                    "-target-language", "id", "-ts", str(TS_DIR / f"{area}.ts")], check=True)


def compile_all() -> list[Path]:
    out = []
    for source in sorted(TS_DIR.glob("*.ts")):
        target = source.with_suffix(".qm")
        # Written beside, then renamed: a running application (or test) never reads half a file.
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(source), "-qm", str(partial)],
                       check=True)
        os.replace(partial, target)
        out.append(target)
    return out


def messages(ts: Path) -> dict[tuple[str, str], str | None]:
    """(context, source) -> translation, None when unfinished or empty."""
    found: dict[tuple[str, str], str | None] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            text = translation.text if translation is not None else None
            done = translation is not None and translation.get("type") not in ("unfinished", "obsolete", "vanished")
            found[(name, source)] = text if done and text else None
    return found


def problems() -> list[str]:
    """Strings shown on screen with no Indonesian, and translations left unfinished."""
    translated: dict[tuple[str, str], str | None] = {}
    for ts in sorted(TS_DIR.glob("*.ts")):
        translated.update({k: v for k, v in messages(ts).items() if v or k not in translated})
    with tempfile.TemporaryDirectory() as scratch:
        every = Path(scratch) / "all.ts"
        sources = [str(p) for p in sorted(UI_DIR.rglob("*.py"))]
        subprocess.run([tool("pyside6-lupdate"), *sources, "-silent", "-ts", str(every)], check=True,
                       capture_output=True)
        wanted = messages(every)
    return [f"{context}: {source!r}" for (context, source) in sorted(wanted)
            if not translated.get((context, source))]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    if argv[0] == "update" and len(argv) >= 3:
        update(argv[1], argv[2:])
    elif argv[0] == "compile":
        for path in compile_all():
            print(path.relative_to(ROOT))
    elif argv[0] == "check":
        missing = problems()
        for line in missing:
            print("untranslated:", line)
        return 1 if missing else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
