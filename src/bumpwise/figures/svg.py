"""SVG text for a drawing: calm line art, an animation between the positions, and the positions
side by side when the reader asks for reduced motion. Built by hand, every text escaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from bumpwise.domain.catalog import pgettext
from bumpwise.figures.drawing import Circle, Drawing, FrameDrawing, Line, Rect, Shape

PAD = 8.0
MIN_ASPECT = 4 / 3
SECONDS_PER_POSITION = 2.2
FADE_PERCENT = 9


def frame_labels(count: int) -> tuple[str, ...]:
    """The words under each frame of a figure, in the language in force."""
    start, middle, end = (
        pgettext("figure frame", "Start"),
        pgettext("figure frame", "Middle"),
        pgettext("figure frame", "End"),
    )
    return {2: (start, end), 3: (start, middle, end)}.get(count, ("",) * count)


STYLE = (
    ".b,.f,.s,.r,.g,.l{fill:none;stroke-linecap:round;stroke-linejoin:round}"
    ".b{stroke:#3d5a6c}.f{stroke:#a9bcc8}.h,.k{fill:#3d5a6c}.u{fill:#dfe9ef;stroke:#3d5a6c;stroke-width:2}"
    ".p{stroke:#8f8b84;stroke-width:2.5;fill:#f4f2ed}.s{stroke:#8f8b84}.w{fill:#6b665f}.r{stroke:#c8825f}"
    ".g,.l{stroke:#cbc6bd}.l{stroke-width:2}.water{fill:#d3e8f3}"
    ".n{display:none;fill:#6b665f;text-anchor:middle}"
)


def _num(value: float) -> str:
    return str(round(value))


def _point(point: tuple[float, float]) -> str:
    return f"{_num(point[0])},{_num(-point[1])}"


def shape_svg(shape: Shape) -> str:
    if isinstance(shape, Line):
        width = f' stroke-width="{_num(shape.width)}"' if shape.width else ""
        points = " ".join(_point(p) for p in shape.points)
        return f'<polyline class="{shape.tone}"{width} points="{points}"/>'
    if isinstance(shape, Circle):
        (x, y), r = shape.center, shape.radius
        return f'<circle class="{shape.tone}" cx="{_num(x)}" cy="{_num(-y)}" r="{_num(r)}"/>'
    if isinstance(shape, Rect):
        (x, y), (w, h) = shape.corner, shape.size
        return (
            f'<rect class="{shape.tone}" x="{_num(x)}" y="{_num(-(y + h))}" '
            f'width="{_num(w)}" height="{_num(h)}" rx="2"/>'
        )
    curve = f"M{_point(shape.start)}Q{_point(shape.control)} {_point(shape.end)}Z"
    return f'<path class="{shape.tone}" d="{curve}"/>'


def shape_bounds(shape: Shape) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in figure units."""
    if isinstance(shape, Line):
        half = shape.width / 2
        xs, ys = [p[0] for p in shape.points], [p[1] for p in shape.points]
        return min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half
    if isinstance(shape, Circle):
        (x, y), r = shape.center, shape.radius
        return x - r, y - r, x + r, y + r
    if isinstance(shape, Rect):
        (x, y), (w, h) = shape.corner, shape.size
        return x, y, x + w, y + h
    points = (shape.start, shape.control, shape.end)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _bounds(frames: Sequence[FrameDrawing]) -> tuple[float, float, float, float]:
    boxes = [shape_bounds(s) for frame in frames for s in frame.shapes]
    return (
        min(b[0] for b in boxes),
        min(min(b[1] for b in boxes), -3.0),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _keyframes(count: int) -> str:
    if count == 1:
        return ""
    rules = []
    for i in range(count):
        start, end, fade = 100 * i // count, 100 * (i + 1) // count, FADE_PERCENT
        if i == 0:
            steps = f"0%,{end - fade}%{{opacity:1}}{end}%,{100 - fade}%{{opacity:0}}100%{{opacity:1}}"
        else:
            steps = (
                f"0%,{start - fade}%{{opacity:0}}{start}%,{end - fade}%{{opacity:1}}{end}%,100%{{opacity:0}}"
            )
        rules.append(
            f"@keyframes k{i}{{{steps}}}"
            f".q{i}{{animation:k{i} {SECONDS_PER_POSITION * count:.1f}s ease-in-out infinite}}"
        )
    return "".join(rules)


def render_svg(drawing: Drawing, title: str, description: str, *, animated: bool = True) -> str:
    """The figure as SVG. Animated, it cross-fades between the positions (and still lays them side by
    side where the SVG itself sees ``prefers-reduced-motion``); not animated, it is the static row."""
    frames = drawing.frames
    left, bottom, right, top = _bounds(frames)
    width, height = right - left + 2 * PAD, top - bottom + 2 * PAD + 16
    box_width = max(width, height * MIN_ASPECT)
    x0 = left - PAD - (box_width - width) / 2
    y0 = -top - PAD - 16
    reduced = _side_by_side(len(frames), (left, bottom, right, top), (x0, y0, box_width, height))
    if animated:
        style = STYLE + _keyframes(len(frames)) + f"@media (prefers-reduced-motion:reduce){{{reduced}}}"
    else:
        style = STYLE + reduced
    label_at = ((left + right) / 2, top + 4)
    labels = frame_labels(len(frames))
    body = "".join(_frame_svg(i, frame, labels[i], label_at, (left, right)) for i, frame in enumerate(frames))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg"'
        f' viewBox="{_num(x0)} {_num(y0)} {_num(box_width)} {_num(height)}"'
        f' width="{_num(box_width * 1.5)}" height="{_num(height * 1.5)}" role="img"'
        ' aria-labelledby="fig-t fig-d">'
        f'<title id="fig-t">{escape(title)}</title><desc id="fig-d">{escape(description)}</desc>'
        f"<style>{style}</style>{body}</svg>"
    )


def _frame_svg(
    index: int, frame: FrameDrawing, label: str, label_at: tuple[float, float], span: tuple[float, float]
) -> str:
    floor = f'<polyline class="l" points="{_point((span[0] - 6, 0))} {_point((span[1] + 6, 0))}"/>'
    shapes = "".join(shape_svg(shape) for shape in frame.shapes)
    text = (
        f'<text class="n" font-size="15" font-family="sans-serif" font-weight="600"'
        f' x="{_num(label_at[0])}" y="{_num(-label_at[1] - 4)}">{escape(label)}</text>'
        if label
        else ""
    )
    return f'<g class="q q{index}">{floor}{shapes}{text}</g>'


def _side_by_side(
    count: int, content: tuple[float, float, float, float], box: tuple[float, float, float, float]
) -> str:
    """CSS that stops the animation and lays the positions out in a row, scaled to fit the box."""
    if count == 1:
        return ".n{display:none}"
    left, bottom, right, top = content
    x0, y0, box_width, box_height = box
    gap = 10.0
    content_width, content_height = right - left, top - bottom + 24
    scale = min(1.0, (box_width - gap * (count - 1)) / (count * content_width), box_height / content_height)
    slot = box_width / count
    centre_x, centre_y = (left + right) / 2, -(top + 16 + bottom) / 2
    rules = [".q{animation:none;opacity:1}.n{display:inline}"]
    for i in range(count):
        tx = x0 + (i + 0.5) * slot - scale * centre_x
        ty = y0 + box_height / 2 - scale * centre_y
        rules.append(
            f".q{i}{{transform:translate({tx:.1f}px,{ty:.1f}px) scale({scale:.3f});transform-origin:0 0}}"
        )
    return "".join(rules)


def joined(words: Iterable[str]) -> str:
    items = list(words)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
