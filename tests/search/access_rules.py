"""Access rules for the search page: public; what it shows is filtered per viewer
(tests/search/test_permissions.py, tests/test_privacy.py)."""
from tests.access import PUBLIC, Rule

RULES = [
    Rule("search.search", lambda w: "/search", PUBLIC),
    Rule("search.search", lambda w: "/search?q=post", PUBLIC, note="a query"),
    Rule("search.search", lambda w: "/search?q=thread&type=thread&sort=newest", PUBLIC,
         note="filtered by type, newest first"),
    Rule("search.search", lambda w: "/search?q=post&network=private-net", PUBLIC,
         note="narrowed to the private network: nothing for those outside it"),
    Rule("search.search", lambda w: "/search?q=world&type=member", PUBLIC,
         note="members: only for signed-in viewers"),
]
