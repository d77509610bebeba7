"""A member starts a closed network, someone asks to join, the manager approves, and
the new member then reads the member-only discussions, in Chromium."""
from playwright.sync_api import expect
from sqlalchemy import select

from network.extensions import db
from network.forum.models import Thread
from network.networks.models import Network
from tests.browser.conftest import follow, html, sign_in
from tests.conftest import TEST_PASSWORD


def _sign_in(page, base, username):
    sign_in(page, base, username, TEST_PASSWORD)
    expect(page.get_by_text("Signed in as")).to_be_visible()


def _sign_out(page):
    follow(page, page.get_by_role("button", name="Sign out"))
    expect(page.get_by_text("You have signed out")).to_be_visible()


def test_closed_network_request_approval_journey(live_server, page, axe_check, make_user):
    base = live_server.url
    make_user(username="founder", display_name="Fay Founder")
    make_user(username="joiner", display_name="Jo Joiner")

    _sign_in(page, base, "founder")
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Networks"))
    expect(page).to_have_url(f"{base}/networks/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Start a network"))
    expect(page).to_have_url(f"{base}/networks/new")
    axe_check(page)
    page.get_by_label("Name").fill("Crisis Café Leads")
    page.get_by_label("Summary").fill("People running crisis cafés.")
    page.get_by_label("Description").fill("We compare **what works** after hours.")
    page.get_by_label("Region").select_option(label="London")
    page.get_by_label("Mental health").check()
    page.get_by_label("Closed", exact=False).check()
    follow(page, page.get_by_role("button", name="Create network"))
    expect(page.locator("h1")).to_have_text("Crisis Café Leads")
    expect(page.get_by_text("You are a manager of this network")).to_be_visible()
    axe_check(page)
    _sign_out(page)

    # A thread in the network (the discussion pages are built elsewhere).
    with live_server.app.app_context():
        network = db.session.scalar(select(Network).where(Network.name == "Crisis Café Leads"))
        db.session.add(Thread(network_id=network.id, title="Staffing the night shift",
                              author_id=network.created_by_id, post_count=1))
        db.session.commit()
        slug = network.slug

    _sign_in(page, base, "joiner")
    page.goto(f"{base}/networks/{slug}/")
    assert "Discussions are for members only" in html(page)
    assert "Staffing the night shift" not in html(page)
    page.get_by_label("Message to the managers (optional)").fill("I run a café in Lambeth.")
    follow(page, page.get_by_role("button", name="Ask to join"))
    expect(page.get_by_text("Your request has been sent")).to_be_visible()
    _sign_out(page)

    _sign_in(page, base, "founder")
    page.goto(f"{base}/networks/{slug}/requests")
    assert "I run a café in Lambeth." in html(page)
    axe_check(page)
    follow(page, page.get_by_role("button", name="Approve Jo Joiner"))
    expect(page.get_by_text("Jo Joiner is now a member")).to_be_visible()
    _sign_out(page)

    _sign_in(page, base, "joiner")
    page.goto(f"{base}/networks/{slug}/")
    expect(page.locator(".latest-threads").get_by_text("Staffing the night shift")).to_be_visible()
    assert "You are a member of this network" in html(page)
    assert "2 members" in html(page)
    axe_check(page)


def test_private_network_invitation_and_member_management(live_server, page, axe_check,
                                                          make_user, make_network):
    base = live_server.url
    manager = make_user(username="boss", display_name="Bea Boss")
    make_user(username="guest", display_name="Gil Guest")
    network = make_network(name="Directors Circle", visibility="private", managers=[manager])

    _sign_in(page, base, "guest")
    assert page.goto(f"{base}/networks/{network.slug}/").status == 404
    _sign_out(page)

    _sign_in(page, base, "boss")
    page.goto(f"{base}/networks/{network.slug}/members")
    axe_check(page)
    page.get_by_label("Username or email address").fill("guest")
    follow(page, page.get_by_role("button", name="Send invitation"))
    expect(page.get_by_text("Invitation sent to Gil Guest")).to_be_visible()
    _sign_out(page)

    _sign_in(page, base, "guest")
    follow(page, page.get_by_role("link", name="Notifications"))
    follow(page, page.get_by_role("link", name="Bea Boss invited you to join a private network."))
    expect(page.locator("h1")).to_have_text("You are invited to join Directors Circle")
    axe_check(page)
    follow(page, page.get_by_role("button", name="Accept and join"))
    expect(page.get_by_text("You are a member of this network")).to_be_visible()
    _sign_out(page)

    _sign_in(page, base, "boss")
    page.goto(f"{base}/networks/{network.slug}/members")
    follow(page, page.get_by_role("link", name="Manage Gil Guest"))
    axe_check(page)
    page.get_by_label("Reason").fill("Co-chair from April")
    follow(page, page.get_by_role("button", name="Make a manager"))
    expect(page.get_by_text("Gil Guest is now a manager.")).to_be_visible()
