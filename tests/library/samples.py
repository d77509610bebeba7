"""Real files of every type the library accepts, and hostile ones, made here.

Office files come from the libraries people's own tools are tested against
(python-docx, openpyxl, python-pptx, odfpy), images from Pillow, the PDF is written
out by hand (the format is text) with a real text layer pypdf can read.
"""
import io
import struct
import zipfile


def pdf(text: str = "Discharge planning works") -> bytes:
    """A one-page PDF whose page says ``text`` (Helvetica), with a correct xref."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx(text: str = "Discharge planning works") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    return _saved(document)


def xlsx(text: str = "Discharge planning works") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = text
    book.active["B1"] = 42
    return _saved(book)


def pptx(text: str = "Discharge planning works") -> bytes:
    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = text
    return _saved(deck)


def _odf(kind: str, text: str) -> bytes:
    from odf.opendocument import (OpenDocumentPresentation, OpenDocumentSpreadsheet,
                                  OpenDocumentText)
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    if kind == "odt":
        document = OpenDocumentText()
        document.text.addElement(P(text=text))
    elif kind == "ods":
        document = OpenDocumentSpreadsheet()
        table = Table(name="Sheet1")
        row = TableRow()
        cell = TableCell()
        cell.addElement(P(text=text))
        row.addElement(cell)
        table.addElement(row)
        document.spreadsheet.addElement(table)
    else:
        from odf.draw import Frame, Page, TextBox
        from odf.style import MasterPage, PageLayout

        document = OpenDocumentPresentation()
        layout = PageLayout(name="Layout")
        document.automaticstyles.addElement(layout)
        master = MasterPage(name="Master", pagelayoutname=layout)
        document.masterstyles.addElement(master)
        page = Page(masterpagename=master)
        frame = Frame(width="20cm", height="3cm", x="1cm", y="1cm")
        box = TextBox()
        box.addElement(P(text=text))
        frame.addElement(box)
        page.addElement(frame)
        document.presentation.addElement(page)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def odt(text: str = "Discharge planning works") -> bytes:
    return _odf("odt", text)


def ods(text: str = "Discharge planning works") -> bytes:
    return _odf("ods", text)


def odp(text: str = "Discharge planning works") -> bytes:
    return _odf("odp", text)


def csv_file() -> bytes:
    return b"site,weeks before,weeks after\nLeeds,18,6\nYork,20,9\n"


def text_file() -> bytes:
    return "Notes from the meeting.\nDischarge planning works — everyone agreed.\n".encode()


def _image(format_: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 94, 184)).save(out, format=format_)
    return out.getvalue()


def png() -> bytes:
    return _image("PNG")


def jpeg() -> bytes:
    return _image("JPEG")


ACCEPTED = {"pdf": pdf, "docx": docx, "xlsx": xlsx, "pptx": pptx, "odt": odt, "ods": ods,
            "odp": odp, "csv": csv_file, "txt": text_file, "png": png, "jpeg": jpeg}
NAMES = {"pdf": "plan.pdf", "docx": "plan.docx", "xlsx": "figures.xlsx", "pptx": "talk.pptx",
         "odt": "plan.odt", "ods": "figures.ods", "odp": "talk.odp", "csv": "figures.csv",
         "txt": "notes.txt", "png": "chart.png", "jpeg": "photo.jpg"}


# --- hostile ---------------------------------------------------------------------------

def html_page() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def svg_image() -> bytes:
    return (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
            b'<script>alert(1)</script></svg>')


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "just a zip")
    return out.getvalue()


def zip_bomb(size: int = 200 * 1024 * 1024, declared: int | None = None) -> bytes:
    """A .docx-shaped archive whose document.xml inflates to ``size`` bytes of zeros;
    with ``declared``, its directory claims that size instead (declared sizes lie)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=False) as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                entry.write(chunk)
    data = out.getvalue()
    if declared is not None:
        data = _lie_about_sizes(data, "word/document.xml", declared)
    return data


def _lie_about_sizes(data: bytes, name: str, declared: int) -> bytes:
    """Rewrite the uncompressed size of ``name`` in its local header and the central
    directory (the CRC stays that of the real content)."""
    data = bytearray(data)
    encoded = name.encode()
    position = 0
    while (position := data.find(b"PK\x03\x04", position)) >= 0:
        length = struct.unpack("<H", data[position + 26:position + 28])[0]
        if data[position + 30:position + 30 + length] == encoded:
            struct.pack_into("<I", data, position + 22, declared)
        position += 4
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) >= 0:
        length = struct.unpack("<H", data[position + 28:position + 30])[0]
        if data[position + 46:position + 46 + length] == encoded:
            struct.pack_into("<I", data, position + 24, declared)
        position += 4
    return bytes(data)


def many_entries(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
        for n in range(count):
            archive.writestr(f"word/media/{n}.bin", b"")
    return out.getvalue()


def with_entry_named(name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr(name, b"x")
    return out.getvalue()


def zip64_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            entry.write(b"<w/>")
    return out.getvalue()


def broken_directory() -> bytes:
    """A real .docx whose central directory is cut short."""
    data = bytearray(docx())
    start = data.rfind(b"PK\x01\x02")
    return bytes(data[:start] + data[start + 20:])
