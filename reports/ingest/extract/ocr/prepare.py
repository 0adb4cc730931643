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
        if ink.mean() > 0.0005:
            red_image = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))
            text = without_red(colour, ink, dpi=target)
        else:
            red_image, text = None, flatten_light(colour.getchannel("R"))
    else:
        text, red_image = flatten_light(colour), None
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
    return Image.fromarray((_divided(grey, _paper(grey)) * 255).astype(np.uint8))


def without_red(colour: Image.Image, ink: np.ndarray, *, dpi: float) -> Image.Image:
    """The print of an RGB page with its red ink (letterhead, seal) taken out, light flattened.

    The red channel shows red ink nearly as light as paper and black print as
    black, also where a seal is stamped over it. But a JPEG keeps colour at half
    the resolution of brightness (and a phone adds blur), so the edges of red
    strokes come out dark in the red channel, as outlines a reader takes for
    characters. Near red ink, then, brightness decides: what is darker than the
    red ink itself is black print; the rest is paper.
    """
    red_channel = colour.getchannel("R")
    paper = _paper(red_channel)
    text = _divided(red_channel, paper)
    luma = _divided(colour.convert("L"), paper)
    reach = max(3, round(dpi / 50)) | 1  # a few pixels: JPEG's 2x2 colour blocks, a phone's blur
    near = np.asarray(Image.fromarray(ink.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(reach))) > 0
    # Brightness levels of the page's black print and of its red ink (the darker part of the red strokes).
    black = float(np.percentile(luma[(text < 0.5) & ~near], 20)) if ((text < 0.5) & ~near).any() else 0.1
    red = float(np.percentile(luma[ink], 25))
    if red - black < 0.08:
        # Red as dark as the print: only what is clearly red goes.
        cleaned = np.where(ink, 1.0, text)
    else:
        cleaned = np.where(near, np.maximum(text, np.clip((luma - black) / (red - black), 0, 1)), text)
    return Image.fromarray((cleaned * 255).astype(np.uint8))


def _paper(grey: Image.Image) -> Image.Image:
    """The paper's brightness under the print: the page with the print closed over (a wider max than a stroke), smoothed."""
    scale = 8
    small = grey.resize((max(1, grey.width // scale), max(1, grey.height // scale)), Image.Resampling.BOX)
    return small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.GaussianBlur(4)).resize(grey.size, Image.Resampling.BILINEAR)


def _divided(grey: Image.Image, paper: Image.Image) -> np.ndarray:
    page = np.asarray(grey, dtype=np.float32)
    return np.clip(page / np.maximum(np.asarray(paper, dtype=np.float32), 40), 0, 1)


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
    lines = _bands(np.asarray(grey) < 128)
    tall = [b - a for a, b in lines]
    if not tall:
        return []
    typical = sorted(tall)[len(tall) // 2]
    return [(a, b) for a, b in lines if b - a >= typical * 0.5]


def _bands(ink: np.ndarray) -> list[tuple[int, int]]:
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
    return lines


def is_rule(ink: np.ndarray, band: tuple[int, int], *, dpi: int) -> bool:
    """A band that is a printed rule: thin, and across most of the width."""
    top, bottom = band
    return bottom - top <= dpi // 20 and ink[top:bottom].any(axis=0).mean() >= 0.6


def letterhead_band(grey: Image.Image, *, dpi: int) -> tuple[int, int] | None:
    """Where a letterhead printed in black stands: (top, bottom), or None.

    A 红头文件 that lost its colour (a fax, a grey scan) still shows its
    letterhead by its place and size: the first line of the page, in type far
    larger than the text (GB/T 9704 sets it at twice the body's size or more),
    over a rule across the page, all in the top part of the page.
    """
    ink = np.asarray(grey) < 128
    bands = _bands(ink)
    rules = [i for i, band in enumerate(bands) if is_rule(ink, band, dpi=dpi) and band[0] < 0.4 * ink.shape[0]]
    lines = [band for band in bands if not is_rule(ink, band, dpi=dpi) and band[1] - band[0] > dpi // 50]
    if not rules or len(lines) < 3:
        return None
    heights = sorted(b - a for a, b in lines)
    body = heights[len(heights) // 2]
    above = [band for band in bands[: rules[0]] if band in lines]
    if not above or above[0] != lines[0]:
        return None
    top, bottom = above[0]
    return (top, bottom) if bottom - top >= 1.6 * body else None
