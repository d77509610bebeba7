"""Parse a reader's query ourselves, then build each engine's own query from it.

A query is split into terms, "quoted phrases" and -exclusions. Every word is reduced
to letters and digits (Unicode-aware), so nothing a reader types is ever engine syntax:
for FTS5 each word is double-quoted (FTS5 treats -, :, *, (, NEAR, AND as syntax even in
bound parameters), for PostgreSQL each word becomes a quoted lexeme for to_tsquery.
The last plain term is prefix-matched (`discharg` finds "discharge").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 500   # longer queries are cut, never refused
MAX_WORDS = 16          # terms + phrase words + exclusions, beyond which words are dropped
_WORD = re.compile(r"\w+", re.UNICODE)
_PIECE = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    exclusions: tuple[str, ...] = ()
    prefix_last: bool = field(default=True)

    @property
    def empty(self) -> bool:
        """Nothing positive to look for: an exclusion alone matches nothing."""
        return not self.terms and not self.phrases


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("_", " "))]


def parse(raw: str | None) -> ParsedQuery:
    """Terms, phrases and exclusions from whatever a reader typed (never raises)."""
    text = (raw or "").replace("\x00", " ")[:MAX_QUERY_CHARS]
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []
    exclusions: list[str] = []
    budget = MAX_WORDS
    for match in _PIECE.finditer(text):
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            words = _words(quoted)[:budget]
            if len(words) == 1:
                terms.append(words[0])
            elif words:
                phrases.append(tuple(words))
            budget -= len(words)
        elif bare.startswith("-") and len(bare) > 1:
            words = _words(bare[1:])[:budget]
            exclusions.extend(words)
            budget -= len(words)
        else:
            words = _words(bare)[:budget]
            terms.extend(words)
            budget -= len(words)
        if budget <= 0:
            break
    seen: set[str] = set()
    unique = [t for t in terms if not (t in seen or seen.add(t))]
    # A bare term the reader also excluded cancels out rather than matching nothing.
    kept_excl = tuple(dict.fromkeys(e for e in exclusions if e not in seen))
    last_is_term = bool(unique) and text.rstrip()[-1:] != '"'
    return ParsedQuery(tuple(unique), tuple(phrases), kept_excl, last_is_term)


def _term_parts(query: ParsedQuery, quote, prefix_mark: str) -> list[str]:
    """Each term quoted for its engine, the last one marked as a prefix."""
    last = len(query.terms) - 1
    return [quote(term) + (prefix_mark if i == last and query.prefix_last else "")
            for i, term in enumerate(query.terms)]


def _fts5_word(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def fts5_match(query: ParsedQuery) -> str | None:
    """An FTS5 MATCH expression, or None when there is nothing to look for."""
    if query.empty:
        return None
    parts = _term_parts(query, _fts5_word, " *")
    for phrase in query.phrases:
        parts.append(_fts5_word(" ".join(phrase)))
    expression = " AND ".join(parts)
    for word in query.exclusions:
        expression += " NOT " + _fts5_word(word)
    return expression


def _pg_word(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"


def tsquery_text(query: ParsedQuery) -> str | None:
    """Text for to_tsquery('english', :q), or None when there is nothing to look for.

    Each word is a quoted lexeme, so to_tsquery stems it and no operator slips in;
    a word that is only a stop word is dropped by PostgreSQL itself.
    """
    if query.empty:
        return None
    parts = _term_parts(query, _pg_word, ":*")
    for phrase in query.phrases:
        parts.append("(" + " <-> ".join(_pg_word(w) for w in phrase) + ")")
    for word in query.exclusions:
        parts.append("!" + _pg_word(word))
    return " & ".join(parts)
