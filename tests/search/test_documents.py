"""Library documents in search (issues 11 and 13): found by the words inside the file,
only by those who may read the network's library, and gone once removed."""
import io
import re

import pytest

from tests.library import samples


@pytest.fixture
def scene(app, tmp_path, make_user, make_network, login):
    app.config["LIBRARY_DIR"] = str(tmp_path / "library")
    member, outsider = make_user(username="docmember"), make_user(username="docoutsider")
    manager = make_user(username="docmanager")
    make_network(visibility="closed", members=[member], managers=[manager], slug="closed-lib")
    client = login(app.test_client(), member)
    response = client.post("/networks/closed-lib/library/upload", content_type="multipart/form-data",
                           data={"title": "Winter plan", "description": "Our escalation plan.",
                                 "file": (io.BytesIO(samples.pdf("Hospital at home saves beds")),
                                          "plan.pdf")})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    document_id = int(response.location.rstrip("/").rsplit("/", 1)[-1])
    return dict(member=client, outsider=login(app.test_client(), outsider),
                manager=login(app.test_client(), manager), anonymous=app.test_client(),
                document_id=document_id)


def _hits(client, q, kind=""):
    page = client.get(f"/search?q={q}" + (f"&type={kind}" if kind else "")).get_data(
        as_text=True)
    return re.findall(r'href="(/networks/closed-lib/library/\d+)"', page)


def test_a_member_finds_a_document_by_the_text_inside_it(scene):
    url = f"/networks/closed-lib/library/{scene['document_id']}"
    assert url in _hits(scene["member"], "hospital+at+home")
    assert url in _hits(scene["member"], "escalation", kind="document")
    assert scene["member"].get(url).status_code == 200


def test_outsiders_and_visitors_find_nothing_of_a_closed_library(scene):
    for who in ("outsider", "anonymous"):
        assert _hits(scene[who], "hospital+at+home") == []
        page = scene[who].get("/search?q=escalation+plan").get_data(as_text=True)
        assert "Winter plan" not in page and "Hospital at home" not in page


def test_a_removed_document_leaves_search(scene):
    removed = scene["manager"].post(
        f"/networks/closed-lib/library/{scene['document_id']}/remove",
        data={"reason": "Out of date"})
    assert removed.status_code == 302
    assert _hits(scene["member"], "hospital+at+home") == []
