"""Developer tool for the zh_Hans_CN catalogue.

    python scripts/translations.py missing           # msgids without a translation (exit 1 if any)
    python scripts/translations.py fill FILE.json    # add translations from {"msgid": "译文"}
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent.parent / "app/translations/zh_Hans_CN/LC_MESSAGES/messages.po"


def _load():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


def missing() -> list[str]:
    return [m.id for m in _load() if m.id and (not m.string or m.fuzzy)]


def fill(mapping: dict[str, str]) -> None:
    catalogue = _load()
    for message in catalogue:
        if message.id in mapping:
            message.string = mapping[message.id]
            message.flags.discard("fuzzy")
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalogue, width=100)


if __name__ == "__main__":
    if sys.argv[1:2] == ["fill"]:
        fill(json.loads(Path(sys.argv[2]).read_text()))
    gaps = missing()
    for msgid in gaps:
        print(f"missing: {msgid}")
    sys.exit(1 if gaps else 0)
