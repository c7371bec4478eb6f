"""Jobs the server runs in the background (reports, explanations, checkpoint series, attribution jobs): start, poll
with a progress display, return the result; cancel on KeyboardInterrupt.

Every job answers ``{id, status: queued|running|done|failed|cancelled, progress: {done, total, ...}, error, ...}``
and is cancelled by ``DELETE`` on its URL.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Dict, Optional, TextIO

from ._optional import available
from .errors import GlassboxError, JobFailed
from .transport import Transport

FINISHED = ("done", "failed", "cancelled")


class Progress:
    """Shows a job's ``progress.done`` of ``progress.total``: a tqdm bar when tqdm is installed, else one line on
    stderr rewritten in place; ``enabled=False`` shows nothing."""

    def __init__(self, label: str, enabled: bool = True, stream: Optional[TextIO] = None) -> None:
        self.label = label
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.bar: Any = None
        self.last = ""
        if enabled and available("tqdm"):
            from tqdm import tqdm  # the text bar (tqdm.auto would pick a Jupyter widget)

            self.bar = tqdm(total=0, desc=label, unit="pass", file=self.stream)

    def update(self, job: Dict[str, Any]) -> None:
        """Show the job's current progress."""
        if not self.enabled:
            return
        progress = job.get("progress") or {}
        done = int(progress.get("done") or 0)
        total = int(progress.get("total") or 0)
        status = job.get("status", "")
        if self.bar is not None:
            if total and self.bar.total != total:
                self.bar.total = total
                self.bar.refresh()
            self.bar.n = done
            self.bar.set_postfix_str(status, refresh=True)
            return
        line = f"{self.label}: {done}/{total} ({status})"
        if line != self.last:
            self.stream.write("\r" + line)
            self.stream.flush()
            self.last = line

    def close(self) -> None:
        """End the display (a newline after the plain line)."""
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.close()
        elif self.last:
            self.stream.write("\n")
            self.stream.flush()


def wait(transport: Transport, job: Dict[str, Any], path: str, *, label: str, progress: bool = True,
         poll: float = 0.25, timeout: Optional[float] = None,
         on_update: Optional[Callable[[Dict[str, Any]], None]] = None) -> Dict[str, Any]:
    """Poll the job at ``path`` (e.g. ``/api/reports/{id}``) from its first answer ``job`` until it finishes; the
    finished job's JSON.

    Raises :class:`~glassbox_client.errors.JobFailed` if it fails or is cancelled, or ``timeout`` seconds pass (the
    job is then cancelled). On KeyboardInterrupt the job is cancelled (``DELETE path``) and the interrupt re-raised.
    ``on_update`` sees every answer (also the first).
    """
    display = Progress(label, enabled=progress)
    started = time.monotonic()
    delay = min(poll, 0.1)
    try:
        while True:
            display.update(job)
            if on_update is not None:
                on_update(job)
            if job.get("status") in FINISHED:
                break
            if timeout is not None and time.monotonic() - started > timeout:
                _cancel(transport, path)
                raise JobFailed(f"{label}: not finished after {timeout} s; cancelled", job=job, code="timeout")
            time.sleep(delay)
            delay = min(delay * 1.5, max(poll, 1.0))
            job = transport.get_object(path)
    except KeyboardInterrupt:
        _cancel(transport, path)
        raise
    finally:
        display.close()
    if job.get("status") != "done":
        message = job.get("error") or f"the job ended {job.get('status')}"
        if isinstance(message, dict):
            message = message.get("message", str(message))
        raise JobFailed(f"{label}: {message}", job=job, code=str(job.get("status")))
    return job


def _cancel(transport: Transport, path: str) -> None:
    try:
        transport.delete(path)
    except GlassboxError:
        pass  # it may have finished or gone already
