"""A line chart as geometry for an SVG drawn on the server (no script in the page).

The template (``includes/_line_chart.html``) only places what is computed here.
The drawing is 640 units wide and scales to its box; the stylesheet makes its
text larger on phones and hides the year labels marked ``minor`` there, so the
axis stays legible at phone width.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil, floor, log10

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 72, 36, 16, 44        # the plot's margins, room for labels at phone size
YEAR_LABELS_WIDE, YEAR_LABELS_NARROW = 14, 6      # at most this many year labels on a wide screen, a phone
Y_STEPS = 4


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    minor: bool = False       # not labelled on a phone


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    href: str
    label: str                # what the point says in words (its tooltip)


@dataclass(frozen=True)
class Line:
    number: int               # 1, 2, ...: the series' colour and dash in the stylesheet
    path: str                 # SVG path data; a gap where a value is missing
    points: list[Point]


@dataclass(frozen=True)
class LineChart:
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[Line]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def label_y(self) -> int:
        return self.bottom + 26

    @property
    def label_x(self) -> int:
        return self.left - 8


def nice_step(largest: float, steps: int, *, smallest: float = 0.0) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that covers ``largest`` in about ``steps`` steps."""
    raw = max(largest / steps, smallest, 1e-9)
    magnitude = 10 ** floor(log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude * (1 + 1e-9):
            return max(factor * magnitude, smallest)
    return 10 * magnitude


def line_chart(*, years: list[int], series: list[list[float | None]], hrefs: list[list[str]],
               labels: list[list[str]], percent: bool) -> LineChart:
    """Lines over years: ``series[i][j]`` is series i's value in ``years[j]`` (None: no value),
    ``hrefs``/``labels`` the link and words of that point; ``percent``: values are shares (0 to 1)."""
    values = [value for line in series for value in line if value is not None]
    top_value = max(values, default=0.0)
    if percent:
        step = nice_step(top_value or 0.1, Y_STEPS)
    else:
        step = nice_step(top_value or 1, Y_STEPS, smallest=1)
    ceiling = step * max(1, ceil(top_value / step - 1e-9))
    first, last = (years[0], years[-1]) if years else (0, 0)

    def x_of(year: int) -> float:
        if last == first:
            return (LEFT + WIDTH - RIGHT) / 2
        return LEFT + (year - first) / (last - first) * (WIDTH - RIGHT - LEFT)

    def y_of(value: float) -> float:
        return HEIGHT - BOTTOM - value / ceiling * (HEIGHT - BOTTOM - TOP)

    digits = 0 if not percent or step * 100 >= 1 else 1
    y_ticks = []
    for index in range(round(ceiling / step) + 1):
        value = index * step
        label = f"{value * 100:.{digits}f}%" if percent else f"{value:g}"
        y_ticks.append(Tick(round(y_of(value), 1), label))

    span = last - first + 1
    wide = _label_every(span, YEAR_LABELS_WIDE, multiple_of=1)
    narrow = _label_every(span, YEAR_LABELS_NARROW, multiple_of=wide)
    x_ticks = [Tick(round(x_of(year), 1), str(year), minor=(year - first) % narrow != 0)
               for year in range(first, last + 1) if (year - first) % wide == 0] if years else []

    lines = []
    for number, (line, line_hrefs, line_labels) in enumerate(zip(series, hrefs, labels), start=1):
        points, commands, drawing = [], [], False
        for year, value, href, label in zip(years, line, line_hrefs, line_labels):
            if value is None:
                drawing = False
                continue
            point = Point(round(x_of(year), 1), round(y_of(value), 1), href, label)
            commands.append(f"{'L' if drawing else 'M'}{point.x} {point.y}")
            drawing = True
            points.append(point)
        lines.append(Line(number, " ".join(commands), points))
    return LineChart(x_ticks, y_ticks, lines)


def _label_every(count: int, most: int, *, multiple_of: int) -> int:
    """Label every n-th of ``count`` years (n a round multiple of ``multiple_of``) so that at
    most ``most`` labels show; a phone's labels are then some of a wide screen's."""
    for every in (1, 2, 4, 5, 10, 20, 50, 100, 200, 500, 1000):
        if every % multiple_of == 0 and ceil(count / every) <= most:
            return every
    return multiple_of * max(1, ceil(count / most / multiple_of))
