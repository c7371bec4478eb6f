"""Analysis answers as dicts that also turn their main list into a DataFrame (``metrics``, ``lens``, ``anomalies``)."""

from __future__ import annotations

from typing import Any, ClassVar, Dict, List, Optional

from . import html as _html
from ._optional import require


class Records(Dict[str, Any]):
    """The JSON answer of an analysis endpoint, unchanged (a ``dict``), whose list under :attr:`rows_key` is its
    table: :meth:`rows`, :meth:`to_pandas` and a rich display in Jupyter."""

    rows_key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    html_rows: ClassVar[int] = 20

    def rows(self) -> List[Dict[str, Any]]:
        """The table's rows as the server sent them."""
        value = self.get(self.rows_key) or []
        return list(value)

    def to_pandas(self) -> Any:
        """The rows as a ``pandas.DataFrame``, one column per key (nested values kept as objects)."""
        pandas = require("pandas", f"{type(self).__name__}.to_pandas()")
        return pandas.DataFrame(self.rows())

    def _columns(self) -> List[str]:
        columns: List[str] = []
        for row in self.rows():
            for key in row:
                if key not in columns:
                    columns.append(key)
        return columns

    def _repr_html_(self) -> str:
        rows = self.rows()
        columns = self._columns()
        shown = rows[: self.html_rows]
        caption = f"{self.title}: {len(rows)} rows" + (f" (first {len(shown)})" if len(shown) < len(rows) else "")
        return _html.table(columns, ([row.get(c) for c in columns] for row in shown), caption)


class Metrics(Records):
    """``GET /api/runs/{id}/metrics``: one row per head (layer, head, class and every metric); ``clusters`` too."""

    rows_key = "heads"
    title = "Head metrics"
    html_rows = 64


class Lens(Records):
    """``GET /api/runs/{id}/lens``: the top tokens of the logit lens at one layer and token, with rank changes."""

    rows_key = "top"
    title = "Logit lens"


class Anomalies(Records):
    """``GET /api/runs/{id}/anomalies``: the findings (type, layer, head, positions, value, threshold); the
    per-position ``lens_flips`` stay in the dict (``lens_flips_frame()``)."""

    rows_key = "anomalies"
    title = "Anomalies"

    def lens_flips_frame(self) -> Any:
        """``lens_flips`` as a ``pandas.DataFrame``."""
        pandas = require("pandas", "Anomalies.lens_flips_frame()")
        return pandas.DataFrame(list(self.get("lens_flips") or []))


def wrap(cls: type, value: Optional[Dict[str, Any]]) -> Any:
    """``value`` as an instance of the :class:`Records` subclass ``cls``."""
    return cls(value or {})
