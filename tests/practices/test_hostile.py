"""Hostile text through every field of a practice and an adoption never comes back as markup."""
import re
from html.parser import HTMLParser

from sqlalchemy import select

from network.extensions import db
from network.practices.models import Practice
from tests.practices.conftest import adoption_form, practice_form

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](javascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "<a href='JaVaScRiPt:alert(1)'>x</a>",
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=//evil></iframe><style>body{}</style>",
]
TEXT_FIELDS = ("title", "summary", "problem", "approach", "results", "key_learning",
               "partners", "organisation", "measures-0-name", "measures-0-unit",
               "measures-0-period")


class _Runnable(HTMLParser):
    """What a browser would run: script, iframe or style elements, event-handler
    attributes, and links or sources with a javascript:, data: or vbscript: address."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "style", "img"):
            self.found.append(tag)
        for name, value in attrs:
            address = re.sub(r"\s", "", (value or "")).lower()
            if name.startswith("on") or (name in ("href", "src") and address.startswith(
                    ("javascript:", "data:", "vbscript:"))):
                self.found.append(f"{tag} {name}={value}")


def _markup(page: str) -> list[str]:
    parser = _Runnable()
    parser.feed(page)
    return parser.found


def test_hostile_text_in_every_practice_field_is_shown_as_text(app, make_user, login):
    author = make_user(role="associate")
    client = login(app.test_client(), author)
    for n, payload in enumerate(PAYLOADS):
        # Within each field's length (the unit holds 40 characters).
        data = practice_form(**{name: f"{payload[:36]} {n}" for name in TEXT_FIELDS})
        response = client.post("/practices/new", data=data)
        assert response.status_code == 302, payload
        download = client.get("/practices/?format=csv")  # text, never rendered as a page
        assert download.mimetype == "text/csv"
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        for url in (response.location, "/practices/", "/", response.location + "/edit",
                    "/practices/map"):
            page = client.get(url).get_data(as_text=True)
            assert _markup(page) == [], (payload, url)
    with app.app_context():
        for practice in db.session.scalars(select(Practice)):
            for name in ("problem_html", "approach_html", "results_html", "key_learning_html"):
                assert _markup(getattr(practice, name)) == []


def test_hostile_text_in_adoptions_is_shown_as_text(app, make_user, login, make_practice):
    practice = make_practice(make_user(role="associate"))
    for n, payload in enumerate(PAYLOADS):
        client = login(app.test_client(), make_user())
        response = client.post(f"/practices/{practice.slug}/adopt", data=adoption_form(
            organisation=f"{payload} {n}", adaptations=payload, note=payload,
            **{"own-0-name": payload, "own-0-before": "1", "own-0-after": "2",
               "own-0-unit": payload[:40], "own-0-direction": "higher",
               "figures-0-period": payload[:60], "figures-0-before": "3",
               "figures-0-after": "2"}))
        assert response.status_code == 302, payload
    page = app.test_client().get(f"/practices/{practice.slug}").get_data(as_text=True)
    assert _markup(page) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_hostile_text_comes_back_escaped_in_a_form_with_an_error(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    payload = "<script>alert(1)</script>"
    response = client.post("/practices/new", data=practice_form(
        **{name: payload for name in TEXT_FIELDS}, region="nowhere"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and _markup(page) == []
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= len(TEXT_FIELDS)


def test_control_characters_in_a_measure_row_are_refused_beside_it(app, make_user, login):
    client = login(app.test_client(), make_user(role="associate"))
    response = client.post("/practices/new", data=practice_form(
        **{"measures-0-name": "Wait\x00ing"}))
    assert response.status_code == 400
    assert "characters we cannot accept" in response.get_data(as_text=True)
