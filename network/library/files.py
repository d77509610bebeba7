"""What an uploaded file is, decided from its bytes; its name made safe to show and
to send back.

The type never comes from the file's name or the browser's claim. puremagic (pure
Python, no system library) reads the signature; a ZIP signature is only the start:
the archive is checked (reading.check_zip) and then told apart by its parts, OOXML
by ``[Content_Types].xml`` with ``word/``, ``xl/`` or ``ppt/``, OpenDocument by its
``mimetype`` entry. Anything else (a plain ZIP, HTML, SVG, a program) is refused.
"""
import csv
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

import puremagic

from network.core.errors import Invalid
from network.library.reading import Unsafe, check_zip


@dataclass(frozen=True)
class Kind:
    name: str          # "pdf", "docx", ...
    mimetype: str
    extension: str     # the one a download gets when its name has none of these
    label: str
    inline: bool = False  # images may be shown in the page; the rest are attachments


KINDS = {k.name: k for k in (
    Kind("pdf", "application/pdf", ".pdf", "PDF"),
    Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".docx", "Word document"),
    Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".xlsx", "Excel spreadsheet"),
    Kind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         ".pptx", "PowerPoint presentation"),
    Kind("odt", "application/vnd.oasis.opendocument.text", ".odt", "OpenDocument text"),
    Kind("ods", "application/vnd.oasis.opendocument.spreadsheet", ".ods",
         "OpenDocument spreadsheet"),
    Kind("odp", "application/vnd.oasis.opendocument.presentation", ".odp",
         "OpenDocument presentation"),
    Kind("csv", "text/csv; charset=utf-8", ".csv", "CSV table"),
    Kind("txt", "text/plain; charset=utf-8", ".txt", "Plain text"),
    Kind("png", "image/png", ".png", "PNG image", inline=True),
    Kind("jpeg", "image/jpeg", ".jpg", "JPEG image", inline=True),
)}
EXTENSIONS = {"jpeg": (".jpg", ".jpeg")}
ODF = {"application/vnd.oasis.opendocument.text": "odt",
       "application/vnd.oasis.opendocument.spreadsheet": "ods",
       "application/vnd.oasis.opendocument.presentation": "odp"}
OOXML_PARTS = (("word/", "word/document.xml", "docx"), ("xl/", "xl/workbook.xml", "xlsx"),
               ("ppt/", "ppt/presentation.xml", "pptx"))
ACCEPTED = ("PDF, Word, Excel, PowerPoint, OpenDocument, CSV, plain text, PNG or JPEG")
NOT_ACCEPTED = f"This type of file is not accepted. Upload a {ACCEPTED} file."
MAX_NAME = 255      # longer than any file system allows: not a real file's name
SHOWN_NAME = 120    # what pages show and downloads use, extension kept

_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MARKUP = re.compile(rb"^\s*<(?:!doctype|html|svg|\?xml|head|body|script|iframe|!--)", re.I)


def _zip_kind(data: bytes, limits) -> str:
    try:
        archive = check_zip(data, *limits)
    except Unsafe as refusal:
        raise Invalid(f"{refusal} It was not added.", field="file") from None
    names = set(archive.namelist())
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Invalid("Files with macros are not accepted. Save it without macros "
                      "(.docx, .xlsx, .pptx) and try again.", field="file")
    first = archive.infolist()[0] if archive.infolist() else None
    if first is not None and first.filename == "mimetype" and "content.xml" in names:
        if first.compress_type == 0 and first.file_size < 100:
            kind = ODF.get(archive.read(first).decode("ascii", errors="replace").strip())
            if kind:
                return kind
    if "[Content_Types].xml" in names:
        for folder, main_part, kind in OOXML_PARTS:
            if main_part in names and any(n.startswith(folder) for n in names):
                return kind
    raise Invalid("This is a ZIP archive, not a document. " + NOT_ACCEPTED, field="file")


def _text_kind(data: bytes) -> str | None:
    """'csv' or 'txt' for clean UTF-8 text that is not markup, else None."""
    if _MARKUP.match(data.lstrip(b"\xef\xbb\xbf")):
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if _TEXT_CONTROLS.search(text):
        return None
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) >= 2:
        try:
            dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t")
        except csv.Error:
            return "txt"
        widths = {len(row) for row in csv.reader(lines, dialect)}
        if len(widths) == 1 and widths.pop() >= 2:
            return "csv"
    return "txt"


def detect(data: bytes, limits=()) -> Kind:
    """The kind of an accepted file, from its content alone; ``Invalid`` (field
    "file") for an empty, unknown, disguised or unsafe one. ``limits``: the entry
    count and declared-size caps for ZIP-based files."""
    if not data:
        raise Invalid("The file is empty. Choose a file with something in it.", field="file")
    try:
        found = {(m.mime_type, m.byte_match) for m in puremagic.magic_string(data)}
    except puremagic.PureError:
        found = set()
    mimes = {mime for mime, _ in found}
    if "application/pdf" in mimes and data.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if "image/png" in mimes and data.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if "image/jpeg" in mimes and data.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return KINDS[_zip_kind(data, limits)]
    text = _text_kind(data)
    if text:
        return KINDS[text]
    raise Invalid(NOT_ACCEPTED, field="file")


# --- names ---------------------------------------------------------------------------

def _drop_unsafe(text: str) -> str:
    """Without control, format (bidi overrides, zero-width) and separator characters."""
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Zs":
            kept.append(" ")
        elif category[0] != "C" and category not in ("Zl", "Zp"):
            kept.append(ch)
    return "".join(kept)


def clean_name(raw: str | None) -> str:
    """A file name as the browser sent it, made safe to show: the last part of a
    Windows or Unix path, NFC, no control or bidi characters, no leading dots, at most
    SHOWN_NAME characters with the extension kept. ``Invalid`` for a name longer than
    MAX_NAME or one that climbs out of a folder (``../``): no real file is named so."""
    raw = raw or ""
    if len(raw) > MAX_NAME:
        raise Invalid(f"The file's name is {len(raw):,} characters long. Rename the file to "
                      f"at most {MAX_NAME} characters and try again.", field="file")
    if ".." in re.split(r"[/\\]", raw):
        raise Invalid("The file's name contains a path (../). Rename the file and try again.",
                      field="file")
    name = unicodedata.normalize("NFC", re.split(r"[/\\]", raw)[-1])
    name = re.sub(r"\s+", " ", _drop_unsafe(name.replace("\t", " "))).strip().lstrip(". ")
    if len(name) > SHOWN_NAME:
        stem, dot, extension = name.rpartition(".")
        extension = dot + extension if dot and len(extension) <= 10 else ""
        name = (stem if extension else name)[:SHOWN_NAME - len(extension)].rstrip() + extension
    return name or "document"


def download_name(original: str, kind: Kind) -> str:
    """The cleaned original name, with the detected kind's extension when it has none
    of that kind's (so a PDF named report.exe downloads as report.exe.pdf)."""
    extensions = EXTENSIONS.get(kind.name, (kind.extension,))
    if original.lower().endswith(extensions):
        return original
    return original + kind.extension


def content_disposition(name: str, inline: bool = False) -> str:
    """RFC 6266: an ASCII ``filename`` for old clients and ``filename*`` in UTF-8."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r'[^A-Za-z0-9._ -]', "_", ascii_name).strip() or "document"
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
