"""Text is read by a child process with time and memory limits: a hostile file fails
only its own upload, and the worker neither waits past the limit nor grows."""
import sys
import time

import pytest

from network.core.errors import Invalid
from network.library import extraction
from tests.library import samples

LIMIT = 10 * 1024 * 1024


@pytest.mark.parametrize("kind", ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt"])
def test_the_child_reads_the_text_of_each_kind(kind):
    text = extraction.extract_text(kind, samples.ACCEPTED[kind](), max_inflated=LIMIT)
    assert "Discharge planning works" in text


def test_the_child_refuses_a_bomb_whose_sizes_lie():
    liar = samples.zip_bomb(20 * 1024 * 1024, declared=1000)
    with pytest.raises(Invalid) as refused:
        extraction.extract_text("docx", liar, max_inflated=5 * 1024 * 1024)
    assert refused.value.field == "file"


def test_a_damaged_pdf_fails_with_a_message():
    with pytest.raises(Invalid, match="PDF is damaged|could not be read"):
        extraction.extract_text("pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R",
                                max_inflated=LIMIT)


def _child_runs(monkeypatch, code):
    monkeypatch.setattr(extraction, "child_command",
                        lambda kind, max_inflated: [sys.executable, "-c", code])


@pytest.mark.parametrize("code", ["while True: pass", "import time; time.sleep(60)"],
                         ids=["loops (CPU limit)", "sleeps (wall-clock limit)"])
def test_a_reader_that_runs_on_is_killed_at_the_time_limit(monkeypatch, code):
    _child_runs(monkeypatch, code)
    started = time.monotonic()
    with pytest.raises(Invalid, match="took too long"):
        extraction.extract_text("pdf", samples.pdf(), seconds=1, max_inflated=LIMIT)
    assert time.monotonic() - started < 5


def test_a_reader_that_grows_is_stopped_by_the_memory_limit(monkeypatch):
    _child_runs(monkeypatch, "x = bytearray(2 * 1024 ** 3)")
    with pytest.raises(Invalid, match="could not be read safely"):
        extraction.extract_text("pdf", samples.pdf(), memory=256 * 1024 * 1024,
                                max_inflated=LIMIT)


def test_a_hostile_file_fails_only_its_own_upload(app, make_user, make_network, login,
                                                  monkeypatch, tmp_path):
    import io

    app.config.update(LIBRARY_DIR=str(tmp_path), LIBRARY_EXTRACT_SECONDS=1)
    member = make_user()
    make_network(visibility="closed", members=[member], slug="closed-net")
    client = login(app.test_client(), member)

    def upload():
        return client.post("/networks/closed-net/library/upload",
                           data={"title": "Plan", "file": (io.BytesIO(samples.pdf()), "p.pdf")},
                           content_type="multipart/form-data")

    with monkeypatch.context() as patched:
        _child_runs(patched, "while True: pass")
        refused = upload()
    assert refused.status_code == 400 and "took too long" in refused.get_data(as_text=True)
    assert list(tmp_path.iterdir()) == []
    assert upload().status_code == 302
