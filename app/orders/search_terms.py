"""The words an order can be found by, cut into two-character terms.

Chinese is written without spaces: a word-splitting full-text parser sees "张伟" or
"新疆精选苹果" as one word, and a merchant typing "苹果" finds nothing. So the text is cut
into overlapping pairs of characters ("精选苹果" → 精选 选苹 苹果), and a keyword is cut the
same way: an order matches when it holds every pair of the keyword, so any run of two or more
characters of a receiver's name, a nickname or a product title finds it, wherever the run sits
in the text, in any script (Latin letters and digits are paired the same way: "pro" → pr ro).
The pairs are matched as a set, so a keyword can also match text holding its pairs apart
("保温 温杯垫" for 保温杯); with names and titles that is rare and harmless.

One character alone cannot be searched this way (a single surname would also match most of
the shop): the console asks for two.

Each pair is stored as one integer, the two code points side by side (21 bits each), so the
index is two integers per row on every database, with no collation or tokenizer in the way.
Why an index of our own rather than a FULLTEXT index: see `app.orders.search_index`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# A "run" is what lies between spaces and punctuation: letters (any script) and digits.
_RUN = re.compile(r"[^\W_]+")
_BITS = 21  # enough for any Unicode code point (≤ 0x10FFFF)


def _runs(text: str) -> list[str]:
    """Lower-cased, width-folded (ＡＢＣ → abc) runs of letters and digits."""
    return _RUN.findall(unicodedata.normalize("NFKC", text or "").casefold())


def code(pair: str) -> int:
    """The integer standing for a pair of characters."""
    return (ord(pair[0]) << _BITS) | ord(pair[1])


def pair(term: int) -> str:
    """The pair of characters a term stands for (to read the index by eye)."""
    return chr(term >> _BITS) + chr(term & ((1 << _BITS) - 1))


def terms(texts: Iterable[str]) -> set[int]:
    """Every distinct term of `texts`."""
    found: set[int] = set()
    for text in texts:
        for run in _runs(text):
            found.update(code(run[index:index + 2]) for index in range(len(run) - 1))
    return found


def keyword_terms(keyword: str) -> set[int]:
    """The terms an order must all hold to match `keyword`: empty when the keyword has no run
    of two characters (see the module's notes on one character)."""
    return terms([keyword])
