"""The one module that configures jieba and OpenCC (STYLE.md, "One home per concern").

Every other module of ``textkit`` reaches the libraries through these getters, so
each dictionary is loaded once per process (never per request) and a server can
load them all before it forks (``textkit.warm_up``). The t2s exception list that
protects gazetteer names from OpenCC lives beside it, in ``dictionaries/``
(``textkit.scripts``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import jieba
from opencc import OpenCC

from textkit.fastconv import FastConversion

log = logging.getLogger(__name__)
_lock = threading.RLock()  # re-entrant: a builder may need another object
_loaded: dict[str, Any] = {}
_accelerate = True


def _once(name: str, build: Callable[[], Any]) -> Any:
    """Build a process-wide object once, even when threads race for it."""
    if name not in _loaded:
        with _lock:
            if name not in _loaded:
                _loaded[name] = build()
    return _loaded[name]


def _build_tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict…" on stderr
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def _get_tokenizer() -> jieba.Tokenizer:
    """The jieba tokenizer, built once per process (DESIGN: never per request)."""
    return _once("jieba", _build_tokenizer)


def _build_accelerator() -> Callable[[str], list[str]] | None:
    try:
        import rjieba  # the jieba-rs binding; optional (requirements.txt pins it)
    except ImportError:
        return None
    return rjieba.Jieba().cut


def _get_accelerator() -> Callable[[str], list[str]] | None:
    """rjieba's ``cut`` (HMM on), or None when disabled or not installed."""
    if not _accelerate:
        return None
    return _once("rjieba", _build_accelerator)


def use_accelerator(enabled: bool) -> None:
    """Switch the rjieba accelerator on or off (benchmarks and equivalence tests)."""
    global _accelerate
    _accelerate = enabled


def reference_opencc(conversion: str) -> OpenCC:
    """The reference OpenCC converter; its constructor loads the dictionaries.

    Public for the equivalence tests and bench/: ``FastConversion`` must give its output.
    """
    return _once(f"opencc-{conversion}", lambda: OpenCC(conversion))


def _get_converter(conversion: str = "t2s") -> Callable[[str], str]:
    """The converter used everywhere: ``FastConversion``, or OpenCC's own if the
    dictionaries are not laid out as ``FastConversion`` expects."""

    def build() -> Callable[[str], str]:
        reference = reference_opencc(conversion)
        try:
            return FastConversion(reference)
        except ValueError:
            log.warning("OpenCC %s: unexpected dictionary layout, using the slow path", conversion)
            return reference.convert

    return _once(conversion, build)
