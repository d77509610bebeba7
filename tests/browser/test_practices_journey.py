"""An associate records a practice with two measures; a member in another region takes it
up and reports "adopted" with their own figures; the map shades that region, the practice
shows the timeline and the replication summary, and the CSV has the right rows."""
import csv
import io

from playwright.sync_api import expect
from sqlalchemy import select

from network.networks.taxonomy import Region
from network.extensions import db
from tests.browser.conftest import follow, sign_in
from tests.conftest import TEST_PASSWORD


def _sign_in(page, base, username):
    sign_in(page, base, username, TEST_PASSWORD)
    expect(page.get_by_text("Signed in as")).to_be_visible()


def test_record_adopt_and_report_a_practice_journey(live_server, page, axe_check, make_user):
    base = live_server.url
    with live_server.app.app_context():
        midlands = db.session.scalar(select(Region.id).where(Region.slug == "midlands"))
    make_user(role="associate", username="origin", display_name="Olu Origin")
    make_user(username="adopter", display_name="Ada Adopter",
              organisation="Midlands Partnership Trust", region_id=midlands)

    _sign_in(page, base, "origin")
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link",
                                                                          name="What works"))
    follow(page, page.get_by_role("link", name="Record a practice"))
    axe_check(page)
    page.get_by_label("Title").fill("Care-home in-reach team")
    page.get_by_label("Summary in one line").fill("A named clinician for every home.")
    page.get_by_label("The problem and why it mattered").fill("Too many admissions.")
    page.get_by_label("What was done and how it was put in place").fill("Weekly visits.")
    for row, (name, before, after, unit) in enumerate((("Emergency admissions", "38", "24",
                                                        "per 100 beds"),
                                                       ("Hospital days", "4.1", "2.6",
                                                        "days"))):
        page.locator(f"[name='measures-{row}-name']").fill(name)
        page.locator(f"[name='measures-{row}-before']").fill(before)
        page.locator(f"[name='measures-{row}-after']").fill(after)
        page.locator(f"[name='measures-{row}-unit']").fill(unit)
    page.get_by_label("NHS", exact=True).check()
    page.get_by_label("Region it came from").select_option(label="North East and Yorkshire")
    page.get_by_label("Organisation it came from").fill("Tyneside Community Health")
    page.get_by_label("Frailty and older people").check()
    page.get_by_label("Under £10,000").check()
    page.get_by_label("Level 2: Data show change").check()
    follow(page, page.get_by_role("button", name="Publish"))
    expect(page.locator("h1")).to_have_text("Care-home in-reach team")
    expect(page.get_by_text("Practice published.")).to_be_visible()
    slug = page.url.rsplit("/", 1)[-1]
    axe_check(page)
    follow(page, page.get_by_role("button", name="Sign out"))

    _sign_in(page, base, "adopter")
    page.goto(f"{base}/practices/{slug}", wait_until="load")
    follow(page, page.get_by_role("link", name="Record that you are trying it"))
    axe_check(page)
    page.get_by_label("Trying it").check()
    page.get_by_label("Outcome note").fill("Started with ten homes.")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Started with ten homes.")).to_be_visible()
    follow(page, page.get_by_role("link", name="Update Midlands Partnership Trust's adoption"))
    axe_check(page)
    page.get_by_label("Adopted", exact=True).check()
    page.get_by_label("Outcome note").fill("Across all homes now.")
    page.locator("[name='figures-0-before']").fill("41")
    page.locator("[name='figures-0-after']").fill("29")
    follow(page, page.get_by_role("button", name="Add update"))
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Started with ten homes.")
    expect(timeline).to_contain_text("Across all homes now.")
    expect(page.locator(".replication")).to_contain_text("Adopted in 1 region")
    expect(page.locator(".replication")).to_contain_text(
        "Emergency admissions: 1 adopter reported it, 1 saw it improve")

    page.goto(f"{base}/practices/map", wait_until="load")
    axe_check(page)
    expect(page.locator(".map-table tr", has_text="Midlands")).to_contain_text("1")
    expect(page.locator(".tile.shade-4")).to_have_count(1)

    download = page.request.get(f"{base}/practices/?format=csv&region=midlands")
    rows = list(csv.reader(io.StringIO(download.text())))
    assert [r[0] for r in rows[1:]] == ["Care-home in-reach team"]
    assert rows[1][6:8] == ["1", "1"]
