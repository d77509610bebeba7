"""Full-text search (issue 11): one interface over SQLite FTS5 and PostgreSQL.

This first slice holds the query parser and each engine's query builder
(network/search/query.py); user text never reaches FTS5 or to_tsquery syntax raw.
"""
