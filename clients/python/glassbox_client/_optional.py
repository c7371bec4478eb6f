"""Imports of the optional dependencies, with errors that name the extra to install."""

from __future__ import annotations

from types import ModuleType

_EXTRAS = {"numpy": "frames", "pandas": "frames", "networkx": "graphs", "tqdm": "progress"}


def require(module: str, feature: str) -> ModuleType:
    """Import ``module`` for ``feature``, or raise ImportError saying which extra provides it."""
    try:
        return __import__(module)
    except ImportError as error:
        extra = _EXTRAS.get(module, "all")
        raise ImportError(
            f"{feature} needs {module}, which is not installed: pip install 'glassbox-client[{extra}]' "
            f"(or: pip install {module})") from error


def available(module: str) -> bool:
    """Whether ``module`` can be imported."""
    try:
        __import__(module)
    except ImportError:
        return False
    return True
