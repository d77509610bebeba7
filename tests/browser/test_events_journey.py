"""A manager posts an event in a closed network; a member says they are going and
downloads its calendar file, which icalendar reads back with the right time in UTC;
an outsider gets 404, in Chromium."""
from datetime import datetime, timezone
from pathlib import Path

import icalendar
from playwright.sync_api import expect

from network.core.time import utcnow
from tests.browser.conftest import follow, sign_in
from tests.conftest import TEST_PASSWORD


def _sign_in(page, base, username):
    sign_in(page, base, username, TEST_PASSWORD)
    expect(page.get_by_text("Signed in as")).to_be_visible()


def _sign_out(page):
    follow(page, page.get_by_role("button", name="Sign out"))
    expect(page.get_by_text("You have signed out")).to_be_visible()


def test_post_an_event_go_and_download_its_calendar_file(live_server, page, axe_check,
                                                        make_user, make_network):
    base = live_server.url
    year = utcnow().year + 1
    manager = make_user(username="mina", display_name="Mina Manager")
    member = make_user(username="gus", display_name="Gus Going")
    make_user(username="olly", display_name="Olly Outsider")
    network = make_network(visibility="closed", name="Falls Prevention Leads",
                           managers=[manager], members=[member])

    _sign_in(page, base, "mina")
    page.goto(f"{base}/networks/{network.slug}/", wait_until="load")
    follow(page, page.get_by_role("navigation", name="Falls Prevention Leads")
           .get_by_role("link", name="Events"))
    axe_check(page)
    follow(page, page.get_by_role("link", name="Post an event"))
    axe_check(page)
    page.get_by_label("Title").fill("Summer learning session")
    page.get_by_label("Description").fill("Bring one **thing that worked**.")
    page.get_by_label("Starts", exact=True).fill(f"{year}-07-01T18:30")
    page.get_by_label("Ends", exact=True).fill(f"{year}-07-01T20:00")
    page.get_by_label("Place", exact=True).fill("Leeds Town Hall")
    page.get_by_label("Places", exact=True).fill("20")
    follow(page, page.get_by_role("button", name="Post event"))
    expect(page.locator("h1")).to_have_text("Summer learning session")
    expect(page.get_by_text("The event is posted.")).to_be_visible()
    expect(page.get_by_text(f"1 July {year}, 18:30 BST").first).to_be_visible()
    event_url = page.url
    axe_check(page)
    _sign_out(page)

    _sign_in(page, base, "gus")
    page.goto(event_url, wait_until="load")
    follow(page, page.get_by_role("button", name="I am going"))
    expect(page.get_by_text("You are going.").first).to_be_visible()
    expect(page.get_by_role("button", name="I am not going")).to_be_visible()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar (.ics file)").click()
    ics = Path(download.value.path()).read_bytes()
    cal = icalendar.Calendar.from_ical(ics)
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["summary"]) == "Summer learning session"
    assert vevent["dtstart"].dt.astimezone(timezone.utc) == datetime(
        year, 7, 1, 17, 30, tzinfo=timezone.utc)
    assert vevent["dtend"].dt.astimezone(timezone.utc) == datetime(
        year, 7, 1, 19, 0, tzinfo=timezone.utc)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    _sign_out(page)

    _sign_in(page, base, "olly")
    response = page.goto(event_url, wait_until="load")
    assert response.status == 404
    assert page.request.get(f"{event_url}.ics").status == 404
