"""Opening uploaded files without trusting them: ZIP containers checked before
anything is inflated, inflated bytes counted while reading, and text taken out of
PDF, OOXML, ODF and text files.

Self-contained on purpose (standard library, pypdf and defusedxml only): the text
is extracted in a child process (``network/library/extraction.py`` runs this file
by its path with ``main``), which must not pay for importing the app, and the
parent uses the same checks (``check_zip``) when it decides a file's type.
"""
import io
import re
import struct
import sys
import zipfile

# Limits (the parent passes its configured values to the child on the command line).
MAX_ENTRIES = 2_000
MAX_DECLARED = 100 * 1024 * 1024      # sum of the entries' declared sizes
MAX_INFLATED = 100 * 1024 * 1024      # bytes actually inflated, whatever was declared
MAX_TEXT = 1_000_000                  # characters of text kept for search
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_DRIVE = re.compile(r"^[A-Za-z]:")


class Unsafe(ValueError):
    """The file cannot be opened within the limits; the message says why, for people."""


def _end_record(data: bytes) -> tuple[int, int, int, int]:
    """(position, entries, central directory size, its offset) from the end record."""
    position = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if position < 0 or len(data) < position + 22:
        raise Unsafe("The file looks like a ZIP archive but its directory is missing or broken.")
    (_sig, disk, cd_disk, on_disk, entries, cd_size, cd_offset,
     comment_len) = struct.unpack("<4sHHHHIIH", data[position:position + 22])
    if disk or cd_disk or on_disk != entries:
        raise Unsafe("Archives split over several files are not accepted.")
    if 0xFFFF in (entries,) or 0xFFFFFFFF in (cd_size, cd_offset):
        raise Unsafe("ZIP64 archives are not accepted.")
    return position, entries, cd_size, cd_offset


def _refuse_name(name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if (name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts
            or "\x00" in name):
        raise Unsafe("The archive holds a file whose name points outside it.")


def _check_local_header(data: bytes, info: zipfile.ZipInfo) -> None:
    """The entry's local header is where the directory says, names the same file and
    carries no ZIP64 field (which the directory may leave out)."""
    start = info.header_offset
    if data[start:start + 4] != b"PK\x03\x04" or len(data) < start + 30:
        raise Unsafe("The file's ZIP directory is broken.")
    name_length, extra_length = struct.unpack("<HH", data[start + 26:start + 30])
    name = data[start + 30:start + 30 + name_length]
    if name != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437",
                                         errors="replace"):
        raise Unsafe("The file's ZIP directory is broken.")
    if _has_zip64_field(data[start + 30 + name_length:start + 30 + name_length + extra_length]):
        raise Unsafe("ZIP64 archives are not accepted.")


def _has_zip64_field(extra: bytes) -> bool:
    position = 0
    while position + 4 <= len(extra):
        header_id, size = struct.unpack("<HH", extra[position:position + 4])
        if header_id == 0x0001:
            return True
        position += 4 + size
    return False


def check_zip(data: bytes, max_entries: int = MAX_ENTRIES,
              max_declared: int = MAX_DECLARED) -> zipfile.ZipFile:
    """An open ZipFile over ``data`` once its structure is known to be sound, before
    any entry is inflated: at most ``max_entries`` entries (counted from the end
    record, before the directory is read), declared sizes adding up to at most
    ``max_declared``, no ZIP64, a central directory that ends where the end record
    starts and lists what the end record says, no duplicate names, no entry named
    with ``..``, an absolute path or a drive. Raises ``Unsafe``."""
    if _ZIP64_LOCATOR in data[-65_600:] or _ZIP64_EOCD in data[-65_600:]:
        raise Unsafe("ZIP64 archives are not accepted.")
    position, entries, cd_size, cd_offset = _end_record(data)
    if entries > max_entries:
        raise Unsafe(f"The archive holds more than {max_entries:,} files.")
    if cd_offset + cd_size != position:
        raise Unsafe("The file's ZIP directory is broken.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError,
            NotImplementedError, struct.error) as error:
        raise Unsafe("The file's ZIP directory is broken.") from error
    if len(infos) != entries:
        raise Unsafe("The file's ZIP directory is broken.")
    names = set()
    declared = 0
    for info in infos:
        _refuse_name(info.filename)
        if info.filename in names:
            raise Unsafe("The archive names the same file twice.")
        names.add(info.filename)
        if _has_zip64_field(info.extra):
            raise Unsafe("ZIP64 archives are not accepted.")
        if info.header_offset >= cd_offset:
            raise Unsafe("The file's ZIP directory is broken.")
        _check_local_header(data, info)
        if info.flag_bits & 0x1:
            raise Unsafe("Encrypted files cannot be read, so they are not accepted.")
        declared += info.file_size
        if declared > max_declared:
            raise Unsafe("The archive would take up too much space once unpacked.")
    return archive


class Budget:
    """Inflated bytes left to read across one archive: declared sizes can lie."""

    def __init__(self, limit: int = MAX_INFLATED):
        self.left = limit

    def read(self, archive: zipfile.ZipFile, name: str) -> bytes:
        info = archive.getinfo(name)
        chunks, size = [], 0
        try:
            with archive.open(info) as entry:
                while chunk := entry.read(65_536):
                    size += len(chunk)
                    self.left -= len(chunk)
                    if self.left < 0 or size > info.file_size:
                        raise Unsafe("The archive unpacks to more than it should.")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as error:
            raise Unsafe("Part of the archive is damaged.") from error
        return b"".join(chunks)


def inflate_all(archive: zipfile.ZipFile, budget: Budget) -> dict[str, bytes]:
    """Every entry, read through ``budget`` (a ZIP bomb stops at the limit)."""
    return {info.filename: budget.read(archive, info.filename)
            for info in archive.infolist() if not info.is_dir()}


# --- text ------------------------------------------------------------------------

_PARAGRAPH_TAGS = {"p", "h", "tr", "si", "row", "table-row"}


def _xml_text(data: bytes, keep=("t", "p", "span", "h", "v", "s")) -> str:
    """The text of an XML part (defusedxml: no entities, no external references)."""
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError) as error:  # defusedxml's refusals are ValueErrors
        raise Unsafe("Part of the document is not readable XML.") from error
    pieces = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if local in keep and element.text:
            pieces.append(element.text)
        if local in _PARAGRAPH_TAGS:
            pieces.append("\n")
        if element.tail and local in ("s", "tab", "span"):
            pieces.append(element.tail)
    return re.sub(r"[ \t]*\n[\s]*", "\n", " ".join(pieces)).strip()


def _ooxml_text(parts: dict[str, bytes]) -> str:
    wanted = sorted(name for name in parts if re.fullmatch(
        r"word/document\.xml|xl/sharedStrings\.xml|xl/worksheets/sheet\d+\.xml"
        r"|ppt/slides/slide\d+\.xml", name))
    # Slides in their order (slide2 before slide10).
    wanted.sort(key=lambda n: [int(d) if d.isdigit() else d for d in re.split(r"(\d+)", n)])
    return "\n".join(_xml_text(parts[name]) for name in wanted)


def _odf_text(parts: dict[str, bytes]) -> str:
    return _xml_text(parts.get("content.xml", b"<x/>"))


def _pdf_text(data: bytes) -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Unsafe("Password-protected PDF files cannot be read, so they are not accepted.")
        texts, length = [], 0
        for page in reader.pages:
            text = page.extract_text() or ""
            texts.append(text)
            length += len(text)
            if length > MAX_TEXT:
                break
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, struct.error, ZeroDivisionError) as error:
        raise Unsafe("The PDF is damaged and could not be read.") from error
    return "\n".join(texts)


def text_of(kind: str, data: bytes, max_inflated: int = MAX_INFLATED) -> str:
    """The text of a file whose ``kind`` was already decided (files.detect). ZIP-based
    kinds are inflated in full through a budget, so a bomb is refused even when its
    text lives in a small part. Raises ``Unsafe``."""
    if kind == "pdf":
        text = _pdf_text(data)
    elif kind in ("docx", "xlsx", "pptx", "odt", "ods", "odp"):
        parts = inflate_all(check_zip(data), Budget(max_inflated))
        text = _ooxml_text(parts) if kind in ("docx", "xlsx", "pptx") else _odf_text(parts)
    elif kind in ("txt", "csv"):
        text = data.decode("utf-8-sig", errors="replace")
    else:
        text = ""
    return text[:MAX_TEXT]


def main() -> int:
    """Child process: argv is (kind, max inflated bytes); the file on stdin, the text
    on stdout (UTF-8); a refusal's message on stderr with exit status 3."""
    kind, max_inflated = sys.argv[1], int(sys.argv[2])
    data = sys.stdin.buffer.read()
    try:
        text = text_of(kind, data, max_inflated)
    except Unsafe as refusal:
        sys.stderr.write(str(refusal))
        return 3
    sys.stdout.buffer.write(text.encode("utf-8", errors="replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
