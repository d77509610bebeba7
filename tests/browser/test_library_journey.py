"""A member uploads a PDF to a closed network's library; another member downloads it
(the same bytes, as an attachment); an outsider gets 404 for the library, the
document and the file."""
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import follow, sign_in
from tests.conftest import TEST_PASSWORD
from tests.library import samples


def _sign_in(page, base, username):
    sign_in(page, base, username, TEST_PASSWORD)
    expect(page.get_by_text("Signed in as")).to_be_visible()


def test_upload_download_and_outsider_404_journey(live_server, page, axe_check, make_user,
                                                  make_network, tmp_path):
    base = live_server.url
    live_server.app.config["LIBRARY_DIR"] = str(tmp_path / "library")
    uploader = make_user(username="uploader", display_name="Una Uploader")
    reader = make_user(username="reader", display_name="Rex Reader")
    make_user(username="outsider", display_name="Otto Outsider")
    make_network(name="Discharge Leads", slug="discharge-leads", visibility="closed",
                 members=[uploader, reader])
    data = samples.pdf("Discharge planning works")

    _sign_in(page, base, "uploader")
    page.goto(f"{base}/networks/discharge-leads/", wait_until="load")
    follow(page, page.get_by_role("link", name="Library"))
    axe_check(page)
    follow(page, page.get_by_role("link", name="Upload a document"))
    axe_check(page)
    page.get_by_label("File").set_input_files(files=[
        {"name": "Discharge plan.pdf", "mimeType": "application/pdf", "buffer": data}])
    page.get_by_label("Title").fill("Discharge plan 2026")
    page.get_by_label("Short description (optional)").fill("What we agreed in March.")
    follow(page, page.get_by_role("button", name="Upload"))
    expect(page.locator("h1")).to_have_text("Discharge plan 2026")
    expect(page.get_by_text("Document added to the library.")).to_be_visible()
    document_url = page.url
    axe_check(page)
    follow(page, page.get_by_role("button", name="Sign out"))

    _sign_in(page, base, "reader")
    page.goto(document_url, wait_until="load")
    expect(page.get_by_role("cell", name="Una Uploader")).to_be_visible()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download Discharge plan.pdf").click()
    download = downloading.value
    assert download.suggested_filename == "Discharge plan.pdf"
    assert Path(download.path()).read_bytes() == data
    file_url = download.url
    response = page.request.get(file_url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["content-disposition"].startswith("attachment;")
    follow(page, page.get_by_role("button", name="Sign out"))

    _sign_in(page, base, "outsider")
    for url in (f"{base}/networks/discharge-leads/library/", document_url, file_url):
        assert page.request.get(url).status == 404, url
    page.goto(document_url, wait_until="load")
    expect(page.locator("h1")).to_have_text("Page not found")
    axe_check(page)
