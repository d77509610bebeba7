"""Each database's own full-text SQL, behind one small interface.

``Engine.match`` is the WHERE clause, ``score`` a number where higher is better, and
``snippets`` the highlighted excerpts of a page of rows. The reader's query reaches the
engine only as the expression ``search/query.py`` built from parsed words, as a bound
parameter.

Snippet marks are the control characters START and STOP, which the index never holds
(search/index.py strips them), so highlighting after escaping cannot be forged.
"""
from __future__ import annotations

from sqlalchemy import bindparam, func, literal_column, select, table, column

from network.extensions import db
from network.search import query as parser
from network.search.models import FTS_TABLE, VECTOR_COLUMN, SearchDocument

START, STOP = "\x02", "\x03"
# ts_headline reads "<...>" as a tag and drops it; the text goes in with "<" as this
# private-use character (which the index never holds) and comes back as "<" before
# escaping.
LT = "\ue000"
SNIPPET_WORDS = 24

_fts = table(FTS_TABLE, column("rowid"))
_fts_name = literal_column(FTS_TABLE)


class SQLiteEngine:
    """FTS5: bm25 with the columns weighted title 10, summary 4, body 1."""

    def __init__(self, parsed: parser.ParsedQuery):
        self.expression = parser.fts5_match(parsed)

    def joined(self, stmt):
        return stmt.join(_fts, _fts.c.rowid == SearchDocument.id)

    def match(self):
        return _fts_name.op("MATCH")(bindparam("search_match", self.expression))

    def score(self):
        return -func.bm25(_fts_name, 10.0, 4.0, 1.0)

    def snippets(self, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = db.session.execute(
            select(_fts.c.rowid, func.snippet(_fts_name, -1, START, STOP, "…", SNIPPET_WORDS))
            .where(self.match(), _fts.c.rowid.in_(ids)))
        return {rowid: text or "" for rowid, text in rows}


class PostgreSQLEngine:
    """to_tsquery (prefix on the last term) against the weighted tsvector; ts_rank with
    PostgreSQL's default weights (A 1.0, B 0.4, C 0.2)."""

    def __init__(self, parsed: parser.ParsedQuery):
        self.expression = parser.tsquery_text(parsed)
        self.vector = literal_column(f"search_document.{VECTOR_COLUMN}")

    def tsquery(self):
        return func.to_tsquery(literal_column("'english'::regconfig"),
                               bindparam("search_match", self.expression))

    def joined(self, stmt):
        return stmt

    def match(self):
        return self.vector.op("@@")(self.tsquery())

    def score(self):
        return func.ts_rank(self.vector, self.tsquery())

    def snippets(self, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        D = SearchDocument
        text = func.replace(func.coalesce(func.nullif(D.body, ""), func.nullif(D.summary, ""),
                                          D.title), "<", LT)
        options = (f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, "
                   "MinWords=8, MaxFragments=2, FragmentDelimiter=\" … \"")
        rows = db.session.execute(
            select(D.id, func.ts_headline(literal_column("'english'::regconfig"), text,
                                          self.tsquery(), options))
            .where(D.id.in_(ids)))
        return {row_id: (headline or "").replace(LT, "<") for row_id, headline in rows}


def engine_for(parsed: parser.ParsedQuery):
    """The engine of the database in use."""
    if db.session.get_bind().dialect.name == "sqlite":
        return SQLiteEngine(parsed)
    return PostgreSQLEngine(parsed)


def matching_items(kind: str, text: str):
    """Statement: ids of the ``kind`` rows whose indexed text matches what was typed
    (parsed as /search parses it), for lists that filter by words (the network
    directory's q=). None when there is nothing to look for. Permission filtering is the
    caller's: the list's own clause still applies."""
    parsed = parser.parse(text)
    if parsed.empty:
        return None
    engine = engine_for(parsed)
    return engine.joined(select(SearchDocument.item_id).select_from(SearchDocument)).where(
        SearchDocument.kind == kind, engine.match())
