"""The library, its CSV and the map: filters, privacy, spreadsheet safety, fixed queries."""
import csv
import io

from sqlalchemy import insert, select

from network.extensions import db
from network.core.spreadsheet import safe_cell
from network.practices.models import Measure, Practice, PracticeSector
from tests.practices.factories import add_adoption, add_practice, region_id


def _csv(client, query=""):
    response = client.get(f"/practices/?format=csv{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_filters_narrow_the_list(app, make_user):
    author, adopter = make_user(role="associate"), make_user()
    with app.app_context():
        a = add_practice(author, title="Crisis cafe", region="london", cost_band="under_10k",
                         evidence_level=3, sectors=("third_sector",))
        add_practice(author, title="Frailty register", region="north-west", evidence_level=2)
        add_adoption(a, adopter, "Welsh Board", region="wales", stage="adopted")
        db.session.commit()
    client = app.test_client()

    def titles(query):
        page = client.get(f"/practices/?{query}").get_data(as_text=True)
        return {t for t in ("Crisis cafe", "Frailty register") if t in page}

    assert titles("") == {"Crisis cafe", "Frailty register"}
    assert titles("region=wales") == {"Crisis cafe"}  # adopted there
    assert titles("region=north-west") == {"Frailty register"}  # came from there
    assert titles("sector=third_sector") == {"Crisis cafe"}
    assert titles("cost=under_10k") == {"Crisis cafe"}
    assert titles("evidence=2") == {"Frailty register"}
    assert titles("stage=adopted") == {"Crisis cafe"}
    assert titles("stage=abandoned") == set()
    assert titles("region=atlantis&evidence=9&sort=zzz") == {"Crisis cafe", "Frailty register"}
    page = client.get("/practices/?sort=adopted").get_data(as_text=True)
    assert page.index("Crisis cafe") < page.index("Frailty register")
    assert "Taken up in 1 region" in page
    rows = _csv(client, "&region=wales")
    assert [r[0] for r in rows[1:]] == ["Crisis cafe"] and rows[1][7] == "1"


def test_private_practices_are_absent_for_outsiders_everywhere(app, make_user, make_network,
                                                               login):
    author, member, outsider = make_user(role="associate"), make_user(), make_user()
    network = make_network(visibility="private", members=[author, member])
    with app.app_context():
        secret = add_practice(author, title="SECRETPRACTICE", network=network)
        add_adoption(secret, member, "Inner Trust", region="wales")
        add_practice(author, title="Open practice")
        db.session.commit()
        slug = secret.slug
    for client in (app.test_client(), login(app.test_client(), outsider)):
        assert client.get(f"/practices/{slug}").status_code == 404
        page = client.get("/practices/").get_data(as_text=True)
        assert "SECRETPRACTICE" not in page and "1 practice" in page
        assert "SECRETPRACTICE" not in client.get("/practices/?format=csv").get_data(
            as_text=True)
        assert len(_csv(client)) == 2
        map_page = client.get("/practices/map").get_data(as_text=True)
        assert '<td>1</td>' not in map_page  # Wales's adoption is not counted
        assert "SECRETPRACTICE" not in client.get("/").get_data(as_text=True)
    insider = login(app.test_client(), member)
    assert insider.get(f"/practices/{slug}").status_code == 200
    assert "SECRETPRACTICE" in insider.get("/practices/?format=csv").get_data(as_text=True)
    assert "<td>1</td>" in insider.get("/practices/map").get_data(as_text=True)


def test_csv_cells_that_look_like_formulas_are_defused(app, make_user):
    with app.app_context():
        add_practice(make_user(role="associate"), title="=HYPERLINK(\"http://evil\")",
                     summary="+1 and -1", organisation="@home")
        db.session.commit()
    row = _csv(app.test_client())[1]
    assert row[0] == "'=HYPERLINK(\"http://evil\")" and row[1] == "'+1 and -1"
    assert row[3] == "'@home"
    assert [safe_cell(v) for v in ("\tx", "\rx", "-2", "plain", None, 5)] == [
        "'\tx", "'\rx", "'-2", "plain", "", "5"]


def _bulk(app, author, adopter, n, prefix):
    """n practices with a measure and sectors; every fifth adopted in two regions."""
    with app.app_context():
        london, wales = region_id("london"), region_id("wales")
        rows = [{"slug": f"{prefix}-{i}", "title": f"{prefix} {i}", "summary": "s",
                 "origin_region_id": london, "organisation": "Org", "author_id": author.id,
                 "status": "published", "cost_band": "none", "evidence_level": 1,
                 "adoption_count": 0} for i in range(n)]
        db.session.execute(insert(Practice), rows)
        ids = db.session.scalars(select(Practice.id).where(
            Practice.slug.like(f"{prefix}-%"))).all()
        db.session.execute(insert(Measure), [{"practice_id": i, "name": "m", "before": 1,
                                              "after": 2, "position": 0} for i in ids])
        db.session.execute(insert(PracticeSector), [{"practice_id": i, "sector": "nhs"}
                                                    for i in ids])
        for i in ids[::5]:
            practice = db.session.get(Practice, i)
            add_adoption(practice, adopter, f"A{i}", region="wales")
            add_adoption(practice, adopter, f"B{i}", region="midlands")
        db.session.commit()
        del london, wales


def _queries(count_queries, client, url):
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_library_csv_and_map_run_a_fixed_number_of_queries(app, make_user, login,
                                                          make_network, count_queries):
    author, adopter = make_user(role="associate"), make_user()
    make_network(members=[adopter])
    reader = login(app.test_client(), adopter)
    urls = ["/practices/", "/practices/?region=wales&sort=adopted", "/practices/?page=2",
            "/practices/?format=csv", "/practices/map", "/"]
    _bulk(app, author, adopter, 30, "few")
    few = [_queries(count_queries, reader, url) for url in urls]
    _bulk(app, author, adopter, 600, "many")
    many = [_queries(count_queries, reader, url) for url in urls]
    assert few == many
    assert max(many[:5]) <= 8


def test_a_much_adopted_practice_page_runs_a_fixed_number_of_queries(app, make_user, login,
                                                                     count_queries):
    author = make_user(role="associate")
    people = [make_user() for _ in range(3)]
    with app.app_context():
        small = add_practice(author, slug="small")
        large = add_practice(author, slug="large")
        add_adoption(small, people[0], "Only one", figures=[(0, 10, 5)])
        for n in range(60):
            add_adoption(large, people[n % 3], f"Org {n}", region=("wales", "midlands")[n % 2],
                         figures=[(0, 10, 5 + n % 7)])
        db.session.commit()
    reader = login(app.test_client(), make_user())
    assert _queries(count_queries, reader, "/practices/small") == \
        _queries(count_queries, reader, "/practices/large")


def test_feeds_carry_only_what_anyone_may_read(app, make_user, make_network, make_adoption):
    author = make_user(role="associate")
    closed = make_network(visibility="closed", members=[author])
    with app.app_context():
        shown = add_practice(author, title="Open scheme", slug="open-scheme")
        add_practice(author, title="SECRETCLOSED", network=closed, slug="closed-scheme")
        db.session.commit()
        del shown
    make_adoption("open-scheme", make_user(), "Welsh Board", region="wales", note="Going well.")
    client = app.test_client()
    feed = client.get("/practices/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    assert "Open scheme" in feed.get_data(as_text=True)
    assert "SECRETCLOSED" not in feed.get_data(as_text=True)
    own = client.get("/practices/open-scheme/feed.atom").get_data(as_text=True)
    assert "Welsh Board (Wales): Trying it" in own and "http://whatworks.test/practices/" in own
    assert client.get("/practices/closed-scheme/feed.atom").status_code == 404
