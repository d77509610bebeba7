"""The library through the HTTP client, as people use it: uploading each accepted
type, the hostile files refused beside the field with nothing stored, downloads
with their headers and permissions, versions, removal with a reason."""
import io
import os

import pytest
from sqlalchemy import func, select

from network.extensions import db
from network.library.models import Document, DocumentVersion
from network.moderation.models import ModerationAction
from tests.library import samples


@pytest.fixture
def library(app, tmp_path, make_user, make_network, login):
    """A closed network with a member, a manager and an outsider; files in tmp_path."""
    folder = tmp_path / "library"
    app.config["LIBRARY_DIR"] = str(folder)

    class Library:
        member = make_user(username="member")
        manager = make_user(username="manager")
        outsider = make_user(username="outsider")
        moderator = make_user(username="moderator", role="moderator")
        network = make_network(visibility="closed", members=[member], managers=[manager],
                               slug="closed-net")
        base = "/networks/closed-net/library/"

        def client(self, user=None):
            client = app.test_client()
            return login(client, user) if user is not None else client

        def files_on_disk(self):
            return sorted(os.listdir(folder)) if folder.exists() else []

        def rows(self):
            with app.app_context():
                return (db.session.scalar(select(func.count()).select_from(Document)),
                        db.session.scalar(select(func.count()).select_from(DocumentVersion)))

        def upload(self, client, data, name, title="Discharge plan", **fields):
            form = {"title": title, "description": "How we plan discharge.",
                    "file": (io.BytesIO(data), name), **fields}
            return client.post(self.base + "upload", data=form,
                               content_type="multipart/form-data")

    return Library()


def _document_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.location.rstrip("/").rsplit("/", 1)[-1])


@pytest.mark.parametrize("kind", sorted(samples.ACCEPTED))
def test_a_member_uploads_each_accepted_type_and_downloads_it_back(app, library, kind):
    member = library.client(library.member)
    data = samples.ACCEPTED[kind]()
    document_id = _document_id(library.upload(member, data, samples.NAMES[kind]))
    download = member.get(f"{library.base}{document_id}/versions/1")
    assert download.status_code == 200 and download.data == data
    with app.app_context():
        version = db.session.scalar(select(DocumentVersion))
        assert version.kind == kind and version.size == len(data)
        assert version.original_name == samples.NAMES[kind]
        if kind not in ("png", "jpeg"):
            assert "Discharge planning works" in version.text or "Leeds" in version.text
    assert library.files_on_disk() == [version.stored_name]
    assert "." not in version.stored_name and samples.NAMES[kind] not in version.stored_name


def test_a_download_is_an_attachment_of_the_detected_type_that_cannot_run(library):
    member = library.client(library.member)
    document_id = _document_id(library.upload(member, samples.pdf(), "Plan für 2026.pdf"))
    response = member.get(f"{library.base}{document_id}/versions/1")
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"Plan fur 2026.pdf\"")
    assert "filename*=UTF-8''Plan%20f%C3%BCr%202026.pdf" in disposition


def test_an_image_is_shown_inline(library):
    member = library.client(library.member)
    document_id = _document_id(library.upload(member, samples.png(), "chart.png"))
    response = member.get(f"{library.base}{document_id}/versions/1")
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline;")


def test_a_closed_networks_files_are_404_for_outsiders_and_visitors(library):
    member = library.client(library.member)
    document_id = _document_id(library.upload(member, samples.pdf(), "plan.pdf"))
    for client in (library.client(library.outsider), library.client()):
        for url in (library.base, f"{library.base}{document_id}",
                    f"{library.base}{document_id}/versions/1"):
            assert client.get(url).status_code == 404, url


def test_leaving_the_network_ends_downloads_at_once(app, library):
    from network.networks.models import Membership

    member = library.client(library.member)
    document_id = _document_id(library.upload(member, samples.pdf(), "plan.pdf"))
    url = f"{library.base}{document_id}/versions/1"
    assert member.get(url).status_code == 200
    with app.app_context():
        db.session.execute(db.delete(Membership).where(Membership.user_id == library.member.id))
        db.session.commit()
    assert member.get(url).status_code == 404


# --- bad input: a clear message beside the field, nothing stored, no file on disk -----

HOSTILE = {
    "empty": (b"", "plan.pdf", "empty"),
    "html named .pdf": (samples.html_page(), "plan.pdf", "not accepted"),
    "svg named .pdf": (samples.svg_image(), "plan.pdf", "not accepted"),
    "plain zip named .docx": (samples.plain_zip(), "plan.docx", "ZIP archive"),
    "zip bomb named .docx": (samples.zip_bomb(20 * 1024 * 1024), "plan.docx", "too much space"),
    "lying zip bomb named .docx": (samples.zip_bomb(20 * 1024 * 1024, declared=1000),
                                   "plan.docx", "not added"),
    "zip64": (samples.zip64_docx(), "plan.docx", "ZIP64"),
    "5,000-character name": (samples.pdf(), "x" * 5000 + ".pdf", "5,004 characters long"),
    "name with ../": (samples.pdf(), "../../etc/plan.pdf", "contains a path"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_upload_is_refused_beside_the_file_field_and_nothing_is_kept(
        app, library, case):
    app.config["LIBRARY_MAX_INFLATED"] = 5 * 1024 * 1024
    data, name, message = HOSTILE[case]
    response = library.upload(library.client(library.member), data, name,
                              title="Kept title <script>")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="file-error"' in page and message in page.replace("&#39;", "'")
    assert 'value="Kept title &lt;script&gt;"' in page
    assert library.rows() == (0, 0)
    assert library.files_on_disk() == []


def test_no_file_chosen_is_said_beside_the_field(library):
    response = library.client(library.member).post(
        library.base + "upload", data={"title": "Plan"}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file to upload." in response.get_data(
        as_text=True)


def test_a_file_over_the_limit_is_refused_with_the_limit_named(app, library):
    app.config["LIBRARY_MAX_UPLOAD"] = 1024 * 1024
    response = library.upload(library.client(library.member),
                              b"a" * (1024 * 1024 + 200_000), "notes.txt")
    assert response.status_code == 413
    assert "larger than 1 MB" in response.get_data(as_text=True)
    assert library.rows() == (0, 0) and library.files_on_disk() == []


def test_the_upload_route_takes_more_than_the_one_megabyte_every_other_route_takes(
        app, library):
    big = ("Discharge planning works.\n" * 80_000).encode()  # about 2 MB of text
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]
    _document_id(library.upload(library.client(library.member), big, "notes.txt"))
    other = library.client(library.member).post(
        "/networks/closed-net/threads/new", data={"title": "x", "body": "x" * len(big)})
    assert other.status_code == 413


def test_multipart_bodies_are_still_refused_on_other_routes(library):
    response = library.client(library.member).post(
        "/auth/login", data={"login": "x", "file": (io.BytesIO(b"x"), "x.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 400 and "was not a web form" in response.get_data(as_text=True)


def test_a_failed_commit_leaves_no_file_behind(app, library, monkeypatch):
    from network.library import services

    def broken_commit():
        raise RuntimeError("database went away")

    member = library.client(library.member)
    monkeypatch.setattr(services.db.session, "commit", broken_commit)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = library.upload(member, samples.pdf(), "plan.pdf")
    assert response.status_code == 500
    monkeypatch.undo()
    assert library.rows() == (0, 0) and library.files_on_disk() == []


# --- versions and removal ----------------------------------------------------------------

def test_a_new_version_keeps_the_earlier_ones_downloadable(app, library):
    member = library.client(library.member)
    document_id = _document_id(library.upload(member, samples.pdf("First"), "plan.pdf"))
    manager = library.client(library.manager)
    response = manager.post(f"{library.base}{document_id}/new-version",
                            data={"file": (io.BytesIO(samples.docx("Second")), "plan.docx")},
                            content_type="multipart/form-data")
    assert response.status_code == 302
    page = member.get(f"{library.base}{document_id}").get_data(as_text=True)
    assert "plan.pdf" in page and "plan.docx" in page
    assert library.manager.display_name in page and library.member.display_name in page
    assert b"%PDF" in member.get(f"{library.base}{document_id}/versions/1").data[:5]
    assert member.get(f"{library.base}{document_id}/versions/2").data[:2] == b"PK"
    assert library.rows() == (1, 2)


def test_a_hostile_new_version_is_refused_and_the_old_one_stays(library):
    member = library.client(library.member)
    document_id = _document_id(library.upload(member, samples.pdf(), "plan.pdf"))
    response = member.post(f"{library.base}{document_id}/new-version",
                           data={"file": (io.BytesIO(samples.html_page()), "plan.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and 'id="file-error"' in response.get_data(as_text=True)
    assert library.rows() == (1, 1) and len(library.files_on_disk()) == 1


def test_another_member_may_not_add_a_version_or_remove(app, library, make_user):
    from network.networks.models import Membership

    other = make_user(username="other")
    with app.app_context():
        db.session.add(Membership(user_id=other.id, network_id=library.network.id))
        db.session.commit()
    document_id = _document_id(library.upload(library.client(library.member), samples.pdf(),
                                              "plan.pdf"))
    client = library.client(other)
    assert client.get(f"{library.base}{document_id}").status_code == 200
    assert client.get(f"{library.base}{document_id}/new-version").status_code == 403
    assert client.post(f"{library.base}{document_id}/remove",
                       data={"reason": "mine now"}).status_code == 403


def test_a_manager_removes_a_document_with_a_reason_in_the_moderation_log(app, library):
    member = library.client(library.member)
    document_id = _document_id(library.upload(member, samples.pdf(), "plan.pdf"))
    manager = library.client(library.manager)
    empty = manager.post(f"{library.base}{document_id}/remove", data={"reason": "  "})
    assert empty.status_code == 400 and 'id="reason-error"' in empty.get_data(as_text=True)
    response = manager.post(f"{library.base}{document_id}/remove",
                            data={"reason": "Superseded by the 2026 plan"})
    assert response.status_code == 302
    assert library.files_on_disk() == []
    assert member.get(f"{library.base}{document_id}/versions/1").status_code == 404
    assert member.get(f"{library.base}{document_id}").status_code == 404
    with app.app_context():
        entry = db.session.scalar(select(ModerationAction))
        assert (entry.action, entry.target_type, entry.target_id, entry.reason,
                entry.actor_id, entry.network_id) == (
            "remove_document", "document", document_id, "Superseded by the 2026 plan",
            library.manager.id, library.network.id)
    log = manager.get("/moderation/log").get_data(as_text=True)
    assert "Discharge plan" in log and "Superseded by the 2026 plan" in log


def test_an_uploader_removes_their_own_document(library):
    member = library.client(library.member)
    document_id = _document_id(library.upload(member, samples.pdf(), "plan.pdf"))
    assert member.post(f"{library.base}{document_id}/remove",
                       data={"reason": "Uploaded by mistake"}).status_code == 302
    assert library.files_on_disk() == []


def test_folders_are_one_level_deep_and_hold_documents(app, library):
    manager = library.client(library.manager)
    assert manager.post(library.base + "folders", data={"name": "Minutes"}).status_code == 302
    again = manager.post(library.base + "folders", data={"name": "minutes"})
    assert again.status_code == 400 and "already a folder" in again.get_data(as_text=True)
    with app.app_context():
        from network.library.models import Folder
        folder_id = db.session.scalar(select(Folder.id))
    member = library.client(library.member)
    _document_id(library.upload(member, samples.pdf(), "minutes.pdf", title="March minutes",
                                folder=str(folder_id)))
    top = member.get(library.base).get_data(as_text=True)
    assert "Minutes" in top and "March minutes" not in top
    inside = member.get(f"{library.base}?folder={folder_id}").get_data(as_text=True)
    assert "March minutes" in inside


def test_the_library_pages_run_a_fixed_number_of_queries(app, library, count_queries):
    member = library.client(library.member)
    ids = [_document_id(library.upload(member, samples.text_file(), f"n{n}.txt",
                                       title=f"Notes {n}")) for n in range(2)]
    with count_queries() as few:
        assert member.get(library.base).status_code == 200
    with count_queries() as one_page:
        assert member.get(f"{library.base}{ids[0]}").status_code == 200
    for n in range(2, 6):
        library.upload(member, samples.text_file(), f"n{n}.txt", title=f"Notes {n}")
    with count_queries() as more:
        assert member.get(library.base).status_code == 200
    assert len(more) == len(few)
    assert len(one_page) <= 12


def test_the_text_for_search_is_the_latest_versions_with_title_and_description(app, library):
    from network.library import services

    member = library.client(library.member)
    document_id = _document_id(library.upload(member, samples.docx("Old words"), "plan.docx"))
    member.post(f"{library.base}{document_id}/new-version",
                data={"file": (io.BytesIO(samples.odt("Ward rounds at nine")), "plan.odt")},
                content_type="multipart/form-data")
    with app.app_context():
        text = services.document_text(db.session.get(Document, document_id))
    assert "Ward rounds at nine" in text and "Old words" not in text
    assert "Discharge plan" in text and "How we plan discharge." in text
