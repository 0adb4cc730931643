"""The chart's geometry: round axis steps, year labels that fit a phone, gaps for missing values."""

import pytest

from reports.research.chart import LEFT, RIGHT, TOP, WIDTH, line_chart, nice_step


@pytest.mark.parametrize("largest,steps,smallest,expected", [
    (7, 4, 1, 2), (3, 4, 1, 1), (1000, 4, 1, 250), (0.37, 4, 0, 0.1), (0.08, 4, 0, 0.02), (45, 4, 1, 20),
])
def test_steps_are_round(largest, steps, smallest, expected):
    assert nice_step(largest, steps, smallest=smallest) == pytest.approx(expected)


def chart(years, *series, percent=False):
    hrefs = [[f"/search/?year={year}" for year in years] for _ in series]
    labels = [[str(value) for value in values] for values in series]
    return line_chart(years=years, series=list(series), hrefs=hrefs, labels=labels, percent=percent)


def test_counts_are_placed_on_an_axis_from_zero_to_a_round_top():
    drawn = chart([2019, 2020, 2021], [0, 3, 7])
    assert [tick.label for tick in drawn.y_ticks] == ["0", "2", "4", "6", "8"]
    (line,) = drawn.lines
    assert [point.x for point in line.points] == [LEFT, (LEFT + WIDTH - RIGHT) / 2, WIDTH - RIGHT]
    assert line.points[0].y == drawn.bottom and TOP <= line.points[2].y < line.points[1].y
    assert line.points[1].href == "/search/?year=2020" and line.points[1].label == "3"


def test_shares_are_percentages():
    drawn = chart([2020, 2021], [0.05, 0.375], percent=True)
    assert [tick.label for tick in drawn.y_ticks] == ["0%", "10%", "20%", "30%", "40%"]
    assert chart([2020], [0.004], percent=True).y_ticks[1].label == "0.1%"


def test_a_missing_value_breaks_the_line():
    (line,) = chart([2018, 2019, 2020, 2021], [1, None, 2, 3]).lines
    assert line.path.count("M") == 2 and line.path.count("L") == 1
    assert len(line.points) == 3


def test_many_years_label_fewer_on_a_phone():
    drawn = chart(list(range(2000, 2026)), [1] * 26)
    shown = [tick.label for tick in drawn.x_ticks]
    on_phone = [tick.label for tick in drawn.x_ticks if not tick.minor]
    assert len(shown) <= 14 and len(on_phone) <= 6
    assert set(on_phone) <= set(shown) and shown[0] == on_phone[0] == "2000"


def test_nothing_to_draw_still_draws_axes():
    drawn = chart([2021], [0])
    assert drawn.x_ticks[0].position == (LEFT + WIDTH - RIGHT) / 2
    assert [tick.label for tick in drawn.y_ticks] == ["0", "1"]
    empty = chart([])
    assert empty.x_ticks == [] and empty.lines == []
