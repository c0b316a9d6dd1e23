"""Fill a .ts file's unfinished messages from a Python table of translations.

    python build_scripts/fill_translations.py resources/translations/id/work.ts table.py

The table module defines T (source -> translation, any context), CONTEXT
((context, source) -> translation) and PLURAL ((context, source) -> forms).
Messages already translated are left alone; the script prints what is left.
"""

from __future__ import annotations

import runpy
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def fill(ts: Path, table: dict) -> list[str]:
    tree = ET.parse(ts)
    left = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None or translation.get("type") != "unfinished":
                continue
            key = (name, source)
            if message.get("numerus") == "yes" and key in table.get("PLURAL", {}):
                for child in list(translation):
                    translation.remove(child)
                for form in table["PLURAL"][key]:
                    ET.SubElement(translation, "numerusform").text = form
            elif key in table.get("CONTEXT", {}):
                translation.text = table["CONTEXT"][key]
            elif source in table.get("T", {}):
                translation.text = table["T"][source]
            else:
                left.append(f"{name}: {source}")
                continue
            del translation.attrib["type"]
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return left


if __name__ == "__main__":
    missing = fill(Path(sys.argv[1]), runpy.run_path(sys.argv[2]))
    for line in missing:
        print("left:", line)
    raise SystemExit(1 if missing else 0)
