"""A figure the server drew (an SVG document), shown inline by Jupyter with no JavaScript and no widget."""

from __future__ import annotations

import os
from typing import Union


class Figure:
    """An SVG document from one of the server's figure endpoints (``GET /api/runs/{id}/attention.svg``).

    In Jupyter the figure displays itself (``_repr_svg_``); ``.svg`` is its text and ``.save(path)`` writes it.
    """

    def __init__(self, svg: str, source: str) -> None:
        self.svg = svg
        self.source = source

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the SVG document to ``path`` (UTF-8)."""
        with open(path, "w", encoding="utf-8") as file:
            file.write(self.svg)

    def __repr__(self) -> str:
        return f"<Figure {self.source}: {len(self.svg)} characters of SVG>"
