"""The one slug generator: readable ASCII addresses made from names and titles
(networks, articles, series, tags).

Letters are transliterated, not dropped: "Straße" is ``strasse``, "Ærø" is
``aero``. A slug that is taken gets a random suffix of 4 characters, never a
counter: ``-2``, ``-3`` told anyone how many others (private networks, drafts)
had taken the name first.
"""
import re
import secrets
import string
import unicodedata

from sqlalchemy import select

from network.extensions import db

SUFFIX_LENGTH = 4
_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
_CANDIDATES = 8  # suffixed slugs tried in one query; all eight taken is one in 10^40
# Letters NFKD does not take apart into a base letter and an accent.
_TRANSLITERATE = str.maketrans({
    "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
    "ı": "i", "&": " and ",
})


def slugify(text: str, max_length: int = 100, fallback: str = "") -> str:
    """ASCII slug of at most ``max_length`` characters: accents stripped, other
    letters transliterated, anything else a hyphen; ``fallback`` when nothing is left."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_TRANSLITERATE))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:max_length].strip("-") or fallback


def _suffix() -> str:
    return "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(SUFFIX_LENGTH))


def unique_slug(column, text: str, *, fallback: str, max_length: int,
                reserved=frozenset()) -> str:
    """A slug for ``text`` that no row holds in ``column`` (a model's slug column),
    in one query. The slug alone when it is free; with ``-`` and a random suffix
    when it is taken. A reserved slug (an address of another page) becomes
    ``<slug>-<fallback>``. The result is at most ``max_length + 5`` characters.
    A row inserted meanwhile can still take it: the caller's unique index catches that."""
    base = slugify(text, max_length, fallback)
    if base in reserved:
        base = f"{base}-{fallback}"
    candidates = [base] + [f"{base}-{_suffix()}" for _ in range(_CANDIDATES)]
    taken = set(db.session.scalars(select(column).where(column.in_(candidates))))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    return unique_slug(column, text, fallback=fallback, max_length=max_length,
                       reserved=reserved)
