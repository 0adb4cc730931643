"""A page image made ready for reading: upright, flat light, red ink apart, straight.

* Red ink (the letterhead, the round seal) is taken out of the image that is
  read, so the date under the seal reads as text; it stays in an image of its
  own, from which the letterhead is read as the issuing body. In the red
  channel red ink is as light as the paper, and black print under a seal stays
  black, so that channel is the text image.
* Light is flattened (a photo is darker on one side) by dividing by the
  background, which is the page with the print closed over.
* A skewed photo is turned straight by the angle at which its text lines give
  the sharpest row profile; a sideways page (text lines running down) is
  reported, so the caller can ask Tesseract which way is up.
"""

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter, ImageOps

# Pages are read at this resolution at most: finer scans only cost time.
MAX_DPI = 300
# Below this, characters are too small to read well: upscale.
MIN_DPI = 150
A4_LONG_SIDE_INCHES = 11.69
_MAX_SKEW = 6.0


@dataclass
class PreparedPage:
    text: Image.Image             # "L": print on white, red ink taken out
    red: Image.Image | None       # "L": red ink as black on white; None for pages without colour
    view: Image.Image             # what readers see: the upright, straightened page in its colours
    dpi: int
    sideways: bool                # text lines run vertically: turned by 90 or 270 degrees
    skew: float                   # degrees straightened

    def turned(self, degrees: int) -> "PreparedPage":
        """The same page turned ``degrees`` clockwise."""
        if not degrees:
            return self
        turn = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}[degrees % 360]
        return PreparedPage(
            text=self.text.transpose(turn),
            red=self.red.transpose(turn) if self.red is not None else None,
            view=self.view.transpose(turn),
            dpi=self.dpi,
            sideways=False,
            skew=self.skew,
        )


def page_resolution(image: Image.Image) -> tuple[float, float]:
    """The scan's resolution (x, y) in dots per inch, as stated if plausible, else as if the page were A4."""
    stated = image.info.get("dpi")
    long_side = max(image.size)
    if stated:
        try:
            x, y = float(stated[0]), float(stated[1])
        except (TypeError, ValueError, IndexError):
            x = y = 0.0
        # 72 dpi is what cameras and screenshots write, whatever the page; faxes have y half of x.
        if 100 <= x <= 1200 and 100 <= max(y, 2 * y) <= 1200 and 5 <= image.width / x <= 20:
            return x, y or x
    guess = long_side / A4_LONG_SIDE_INCHES
    return guess, guess


def prepare(image: Image.Image) -> PreparedPage:
    image = ImageOps.exif_transpose(image)
    x_dpi, y_dpi = page_resolution(image)
    colour = _as_colour_or_grey(image)
    # Square pixels at a resolution Tesseract reads well (a fax's standard mode has half the rows).
    target = min(MAX_DPI, max(MIN_DPI, x_dpi))
    size = (max(1, round(colour.width * target / x_dpi)), max(1, round(colour.height * target / y_dpi)))
    if size != colour.size:
        colour = colour.resize(size, Image.Resampling.LANCZOS if target < x_dpi else Image.Resampling.BICUBIC)
    dpi = round(target)

    if colour.mode == "RGB":
        pixels = np.asarray(colour, dtype=np.int16)
        red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
        ink = (red - np.maximum(green, blue) > 60) & (red > 90)
        text = colour.getchannel("R")
        red_image = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8)) if ink.mean() > 0.0005 else None
    else:
        text, red_image = colour, None
    text = flatten_light(text)
    skew = skew_angle(text)
    if abs(skew) >= 0.2:
        text = text.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
        colour = colour.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=(255, 255, 255) if colour.mode == "RGB" else 255)
        if red_image is not None:
            red_image = red_image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return PreparedPage(text=text, red=red_image, view=colour, dpi=dpi, sideways=_sideways(text), skew=skew)


def _as_colour_or_grey(image: Image.Image) -> Image.Image:
    if image.mode in ("1", "L", "I", "I;16", "F"):
        return image.convert("L") if image.mode != "I;16" else image.point(lambda v: v / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # A transparent background is paper.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    rgb = image.convert("RGB")
    # A colour file of a grey page (most scanners' default) is read as grey.
    small = np.asarray(rgb.resize((max(1, rgb.width // 8), max(1, rgb.height // 8))), dtype=np.int16)
    if np.abs(small - small.mean(axis=2, keepdims=True)).max() < 24:
        return rgb.convert("L")
    return rgb


def flatten_light(grey: Image.Image) -> Image.Image:
    """Divide by the paper's own brightness, so a shadowed corner is as white as the rest."""
    scale = 8
    small = grey.resize((max(1, grey.width // scale), max(1, grey.height // scale)), Image.Resampling.BOX)
    # The background: close the print over (max filter wider than a stroke), then smooth.
    background = small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.GaussianBlur(4)).resize(grey.size, Image.Resampling.BILINEAR)
    page = np.asarray(grey, dtype=np.float32)
    paper = np.maximum(np.asarray(background, dtype=np.float32), 40)
    return Image.fromarray(np.clip(page / paper * 255, 0, 255).astype(np.uint8))


def _ink(grey: Image.Image, width: int) -> np.ndarray:
    small = grey.resize((width, max(1, round(grey.height * width / grey.width))), Image.Resampling.BOX)
    return (np.asarray(small) < 160).astype(np.float32)


def skew_angle(grey: Image.Image) -> float:
    """Degrees (anticlockwise) that make the text lines level; 0 when there is not enough text to tell."""
    ink = Image.fromarray((_ink(grey, 600) * 255).astype(np.uint8))
    if np.asarray(ink).mean() < 0.5:
        return 0.0

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.BILINEAR), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    angles = np.arange(-_MAX_SKEW, _MAX_SKEW + 0.01, 0.5)
    best = max(angles, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    best = max(fine, key=sharpness)
    return round(float(best), 1)


def _sideways(grey: Image.Image) -> bool:
    """Text lines run down the page: the column profile is sharper than the row profile."""
    ink = _ink(grey, 400)
    if ink.mean() < 0.002:
        return False
    rows = np.square(np.diff(ink.sum(axis=1))).sum() / ink.shape[1]
    columns = np.square(np.diff(ink.sum(axis=0))).sum() / ink.shape[0]
    return columns > 1.5 * rows


def text_lines(grey: Image.Image) -> list[tuple[int, int]]:
    """(top, bottom) of each band of print, from the row profile: where a sample can be cut without cutting a line."""
    ink = np.asarray(grey) < 128
    rows = ink.sum(axis=1) > max(2, ink.shape[1] // 400)
    lines, start = [], None
    for y, filled in enumerate(rows):
        if filled and start is None:
            start = y
        elif not filled and start is not None:
            lines.append((start, y))
            start = None
    if start is not None:
        lines.append((start, len(rows)))
    tall = [b - a for a, b in lines]
    if not tall:
        return []
    typical = sorted(tall)[len(tall) // 2]
    return [(a, b) for a, b in lines if b - a >= typical * 0.5]
