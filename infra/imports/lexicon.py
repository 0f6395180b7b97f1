"""PyThaiNLP's Thai word list (with the plan documents' phrases), loaded once, on first use."""

from __future__ import annotations

import threading

from domain.imports.lexicon import PLAN_WORDS, Lexicon

_lock = threading.Lock()
_lexicon: Lexicon | None = None


def thai_lexicon() -> Lexicon:
    global _lexicon
    if _lexicon is None:
        with _lock:
            if _lexicon is None:
                from pythainlp.corpus import thai_words

                _lexicon = Lexicon([*thai_words(), *PLAN_WORDS])
    return _lexicon
