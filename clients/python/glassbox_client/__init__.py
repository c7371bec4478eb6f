"""Python client for the Glassbox server's JSON API, for notebooks.

    >>> from glassbox_client import Glassbox
    >>> gb = Glassbox("http://127.0.0.1:8080")
    >>> run = gb.run("The capital of France is")
    >>> run.tokens, run.top[0]["display"]
    >>> run.graph(threshold=0.04).to_pandas()
    >>> run.attention(layer=0, head=0)          # numpy n x n
"""

from .client import Glassbox
from .errors import BadRequest, Busy, ConnectionFailed, GlassboxError, JobFailed, NotFound, Unauthorized
from .figure import Figure
from .graph import Graph
from .records import Anomalies, Lens, Metrics, Records
from .run import Run

__version__ = "0.1.0"

__all__ = ["Glassbox", "Run", "Graph", "Figure", "Records", "Metrics", "Lens", "Anomalies", "GlassboxError", "BadRequest",
           "Unauthorized", "NotFound", "Busy", "ConnectionFailed", "JobFailed", "__version__"]
