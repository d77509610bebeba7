"""What a file is (from its bytes alone), ZIP containers checked before inflating,
names made safe to show and to send back."""
import io
import zipfile

import pytest

from network.core.errors import Invalid
from network.library import files, reading
from tests.library import samples

LIMITS = (2_000, 10 * 1024 * 1024)


@pytest.mark.parametrize("kind", sorted(samples.ACCEPTED))
def test_each_accepted_type_is_recognised_from_its_content(kind):
    assert files.detect(samples.ACCEPTED[kind](), LIMITS).name == kind


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_ooxml_is_told_apart_by_its_parts_not_its_signature(kind):
    """Every OOXML file and a plain ZIP start with the same bytes: the parts decide."""
    data = samples.ACCEPTED[kind]()
    assert data[:4] == samples.plain_zip()[:4] == b"PK\x03\x04"
    assert files.detect(data, LIMITS).name == kind


def test_a_plain_zip_is_refused():
    with pytest.raises(Invalid, match="ZIP archive, not a document") as refused:
        files.detect(samples.plain_zip(), LIMITS)
    assert refused.value.field == "file"


def test_opendocument_needs_its_mimetype_entry():
    data = samples.odt()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name != "mimetype"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    with pytest.raises(Invalid):
        files.detect(out.getvalue(), LIMITS)


@pytest.mark.parametrize("make", [samples.html_page, samples.svg_image],
                         ids=["html", "svg"])
def test_markup_is_refused_whatever_it_is_called(make):
    with pytest.raises(Invalid, match="not accepted"):
        files.detect(make(), LIMITS)


def test_an_empty_file_is_refused():
    with pytest.raises(Invalid, match="empty"):
        files.detect(b"", LIMITS)


def test_a_program_is_refused():
    with pytest.raises(Invalid, match="not accepted"):
        files.detect(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, LIMITS)


def test_a_macro_enabled_office_file_is_refused():
    with pytest.raises(Invalid, match="macros"):
        files.detect(samples.with_entry_named("word/vbaProject.bin"), LIMITS)


# --- ZIP limits, checked before anything is inflated ----------------------------------

def test_too_many_entries_are_refused_before_the_directory_is_read():
    with pytest.raises(reading.Unsafe, match="more than 100 files"):
        reading.check_zip(samples.many_entries(150), max_entries=100)


def test_declared_sizes_over_the_cap_are_refused_before_inflating():
    bomb = samples.zip_bomb(8 * 1024 * 1024)
    assert len(bomb) < 100_000
    with pytest.raises(reading.Unsafe, match="too much space"):
        reading.check_zip(bomb, max_declared=1024 * 1024)


def test_inflated_bytes_are_capped_when_declared_sizes_lie():
    liar = samples.zip_bomb(8 * 1024 * 1024, declared=1000)
    archive = reading.check_zip(liar, max_declared=1024 * 1024)  # the lie passes the check
    with pytest.raises(reading.Unsafe):
        reading.inflate_all(archive, reading.Budget(1024 * 1024))


def test_the_inflation_budget_stops_a_bomb_whose_sizes_are_true():
    bomb = samples.zip_bomb(4 * 1024 * 1024)
    archive = reading.check_zip(bomb, max_declared=100 * 1024 * 1024)
    with pytest.raises(reading.Unsafe, match="more than it should"):
        reading.inflate_all(archive, reading.Budget(1024 * 1024))


def test_zip64_is_refused():
    with pytest.raises(reading.Unsafe, match="ZIP64"):
        reading.check_zip(samples.zip64_docx())


def test_a_broken_central_directory_is_refused():
    with pytest.raises(reading.Unsafe, match="broken"):
        reading.check_zip(samples.broken_directory())


@pytest.mark.parametrize("name", ["../evil.sh", "word/../../evil", "/etc/passwd",
                                  "C:/Windows/evil.dll", "..\\evil.bat"])
def test_entries_named_outside_the_archive_are_refused(name):
    with pytest.raises(reading.Unsafe, match="outside"):
        reading.check_zip(samples.with_entry_named(name))


# --- names ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, shown", [
    ("plan.pdf", "plan.pdf"),
    ("C:\\Users\\sam\\My plan.pdf", "My plan.pdf"),
    ("folder/plan.pdf", "plan.pdf"),
    ("pl\u202eFDP.exe", "plFDP.exe"),          # a right-to-left override
    ("a\u200bb\x07c\td.pdf", "abc d.pdf"),
    ("...hidden.pdf", "hidden.pdf"),
    ("", "document"),
])
def test_shown_names_lose_paths_controls_and_bidi_characters(raw, shown):
    assert files.clean_name(raw) == shown


def test_a_long_name_is_shortened_keeping_its_extension():
    name = files.clean_name("r" * 250 + ".docx")
    assert len(name) == files.SHOWN_NAME and name.endswith(".docx")


@pytest.mark.parametrize("raw", ["x" * 5000 + ".pdf", "../../etc/passwd.pdf",
                                 "..\\..\\boot.pdf"])
def test_a_hostile_name_is_refused_beside_the_file_field(raw):
    with pytest.raises(Invalid) as refused:
        files.clean_name(raw)
    assert refused.value.field == "file"


def test_downloads_carry_an_rfc_6266_name():
    header = files.content_disposition("Café plan \"v2\".pdf")
    assert header.startswith("attachment; filename=\"")
    assert "filename*=UTF-8''Caf%C3%A9%20plan%20%22v2%22.pdf" in header
    assert '"v2"' not in header.split(";")[1]


def test_images_may_be_shown_inline():
    assert files.content_disposition("chart.png", inline=True).startswith("inline;")


def test_a_download_name_ends_with_its_detected_type():
    assert files.download_name("report.exe", files.KINDS["pdf"]) == "report.exe.pdf"
    assert files.download_name("photo.JPEG", files.KINDS["jpeg"]) == "photo.JPEG"
