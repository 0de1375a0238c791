"""Geometry of the status picture's SVG, read back from its markup (N7).

Shared by the unit tests (the SVG as rendered) and the browser tests (the SVG
decoded from the ``<img>`` the browser shows). Pure Python, no IPython.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"

#: The shape of the 13-module workspace where ``cli -> db`` seemed to come out
#: of a module that does not import ``db``, plus two more modules and a cycle.
WORKSPACE_15 = {
    "cli": ["app", "db", "configuration_defaults"],
    "app": ["services", "models", "util"],
    "services": ["db", "models", "cache"],
    "models": ["schema", "util"],
    "schema": ["util"],
    "db": ["configuration_defaults", "util"],
    "cache": ["util", "configuration_defaults"],
    "util": [],
    "configuration_defaults": [],
    "plugin_loader": ["plugin_registry", "app"],
    "plugin_registry": ["plugin_loader"],
    "report": ["models", "plots"],
    "plots": ["util"],
    "metrics": ["report", "db"],
    "tasks": ["metrics", "cache", "cli"],
}

Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    def shrunk(self, by: float) -> Rect:
        return Rect(self.left + by, self.top + by, self.right - by, self.bottom - by)


@dataclass(frozen=True)
class Picture:
    width: float
    height: float
    boxes: dict[str, Rect]
    edges: list[tuple[str, str, list[Point]]]


def parse(svg: str) -> Picture:
    root = ET.fromstring(svg)
    boxes = {}
    for group in root.iter(SVG + "g"):
        rect = group.find(SVG + "rect")
        x, y = float(rect.get("x")), float(rect.get("y"))
        w, h = float(rect.get("width")), float(rect.get("height"))
        boxes[group.get("data-name")] = Rect(x, y, x + w, y + h)
    edges = []
    for path in root.iter(SVG + "path"):
        if path.get("class") != "li-edge":
            continue
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
        assert path.get("d").startswith("M ") and set(re.findall(r"[A-Za-z]", path.get("d"))) <= {
            "M",
            "L",
        }, "edges are polylines"
        points = list(zip(numbers[::2], numbers[1::2], strict=True))
        edges.append((path.get("data-from"), path.get("data-to"), points))
    return Picture(float(root.get("width")), float(root.get("height")), boxes, edges)


def segment_meets(p: Point, q: Point, rect: Rect) -> bool:
    """Whether segment pq touches the closed rectangle (Liang-Barsky clipping)."""
    (x1, y1), (x2, y2) = p, q
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for step, distance in (
        (-dx, x1 - rect.left),
        (dx, rect.right - x1),
        (-dy, y1 - rect.top),
        (dy, rect.bottom - y1),
    ):
        if step == 0:
            if distance < 0:
                return False
            continue
        t = distance / step
        if step < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def problems(picture: Picture) -> list[str]:
    """Every way the picture breaks N7's geometry: an edge meeting a box it does
    not connect, an edge running through one of its own boxes, overlapping
    boxes, or anything outside the picture."""
    found = []
    for source, target, points in picture.edges:
        for name, (x, y) in ((source, points[0]), (target, points[-1])):
            rect = picture.boxes[name]
            on_border = (rect.left <= x <= rect.right and y in (rect.top, rect.bottom)) or (
                rect.top <= y <= rect.bottom and x in (rect.left, rect.right)
            )
            if not on_border:
                found.append(f"{source}->{target} does not end on the border of {name}")
        for p, q in itertools.pairwise(points):
            for name, rect in picture.boxes.items():
                if name in (source, target):
                    # An edge leaves and enters its own boxes at their border.
                    if segment_meets(p, q, rect.shrunk(0.5)):
                        found.append(f"{source}->{target} runs through its own box {name}")
                elif segment_meets(p, q, rect.shrunk(-1.0)):
                    found.append(f"{source}->{target} passes behind {name}")
            for x, y in (p, q):
                if not (0 <= x <= picture.width and 0 <= y <= picture.height):
                    found.append(f"{source}->{target} leaves the picture at {x}, {y}")
    names = sorted(picture.boxes)
    for i, a in enumerate(names):
        ra = picture.boxes[a]
        if ra.left < 0 or ra.top < 0 or ra.right > picture.width or ra.bottom > picture.height:
            found.append(f"box {a} leaves the picture")
        for b in names[i + 1 :]:
            rb = picture.boxes[b]
            if (
                ra.left < rb.right
                and rb.left < ra.right
                and ra.top < rb.bottom
                and rb.top < ra.bottom
            ):
                found.append(f"boxes {a} and {b} overlap")
    return found
