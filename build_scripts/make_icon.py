"""Draws the application icon: a small square of woven tapis cloth.

Lampung's tapis is a ship-cloth woven in stripes of deep red, black and
gold with couched gold thread; the icon shows three bands, the middle one
with the diamond-and-shoot ("pucuk rebung") motif in gold on maroon. Run
once after changing it (``python build_scripts/make_icon.py``); the PNG is
the window icon, the ICO the Windows executable's and the installer's.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
MAROON = (122, 18, 30)
RED = (168, 32, 38)
GOLD = (224, 170, 48)
DARK = (36, 20, 16)
CREAM = (246, 232, 200)
SIZE = 256


def draw(size: int = SIZE) -> Image.Image:
    scale = 4  # draw large, shrink smooth
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    radius = big // 8
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=MAROON)
    band = big // 8
    # Outer dark bands with thin gold weft lines: the cloth's selvedges.
    for top in (band, big - 2 * band):
        pen.rectangle((0, top, big, top + band), fill=DARK)
        for k in range(1, 4):
            y = top + k * band // 4
            pen.line((0, y, big, y), fill=GOLD, width=max(1, big // 160))
    # Middle band: red ground with a row of gold diamonds and shoots.
    middle_top, middle_bottom = 2 * band + band // 2, big - 2 * band - band // 2
    pen.rectangle((0, middle_top, big, middle_bottom), fill=RED)
    height = middle_bottom - middle_top
    count = 3
    step = big / count
    cy = middle_top + height / 2
    for i in range(count):
        cx = step * (i + 0.5)
        w, h = step * 0.42, height * 0.42
        pen.polygon([(cx, cy - h), (cx + w, cy), (cx, cy + h), (cx - w, cy)], fill=GOLD)
        w2, h2 = w * 0.5, h * 0.5
        pen.polygon([(cx, cy - h2), (cx + w2, cy), (cx, cy + h2), (cx - w2, cy)], fill=MAROON)
        pen.ellipse((cx - w2 / 3, cy - h2 / 3, cx + w2 / 3, cy + h2 / 3), fill=CREAM)
    # "Pucuk rebung" shoots: gold triangles pointing in from the band edges.
    teeth = 8
    tooth = big / teeth
    for i in range(teeth):
        x0 = i * tooth
        pen.polygon([(x0, middle_top), (x0 + tooth, middle_top), (x0 + tooth / 2, middle_top + band * 0.45)],
                    fill=DARK)
        pen.polygon([(x0, middle_bottom), (x0 + tooth, middle_bottom),
                     (x0 + tooth / 2, middle_bottom - band * 0.45)], fill=DARK)
    # Keep the rounded corners clean after the bands were painted across them.
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, big - 1, big - 1), radius=radius, fill=255)
    image.putalpha(mask)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    image = draw()
    image.save(ICONS / "tapis.png", optimize=True)
    image.save(ICONS / "tapis.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64),
                                           (128, 128), (256, 256)])
    print(f"wrote {ICONS / 'tapis.png'} and {ICONS / 'tapis.ico'}")


if __name__ == "__main__":
    main()
