"""Uploading documents and new versions, removing them, folders, and reading a
network's library.

Guarantees: a file is accepted only when its content is of an accepted kind
(files.detect), its name is sane (files.clean_name) and its text could be read by
the limited child process (extraction.py); otherwise ``Invalid`` beside the file
field, nothing stored and no file left on disk (a file written before a failed
commit is deleted). Removing a document deletes its files, keeps its rows, and is
recorded in the moderation log with its reason, in the same transaction.
"""
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from network.core import policy
from network.core.errors import Invalid, PermissionDenied
from network.core.time import utcnow
from network.extensions import db
from network.search import index as search_index
from network.library import extraction, files, storage
from network.library.models import Document, DocumentVersion, Folder
from network.moderation.log import clean_reason, record_action
from network.networks.taxonomy import Topic

DEFAULT_MAX_UPLOAD = 25 * 1024 * 1024
TITLE_MAX, DESCRIPTION_MAX, FOLDER_MAX = 200, 1000, 80
PER_PAGE = 50


@dataclass
class Upload:
    data: bytes
    filename: str


@dataclass
class DocumentInput:
    title: str
    description: str = ""
    folder_id: int | None = None
    topic_ids: list[int] = field(default_factory=list)


def max_upload() -> int:
    return current_app.config.get("LIBRARY_MAX_UPLOAD", DEFAULT_MAX_UPLOAD)


def size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def too_large_message() -> str:
    return (f"The file is larger than {size_words(max_upload())}, the most the library "
            "accepts. Make it smaller (for example, save it as PDF) and try again.")


@dataclass
class Accepted:
    kind: files.Kind
    name: str
    text: str
    size: int


def accept_file(upload: Upload) -> Accepted:
    """The checked file: its name, its kind from its content, its text. Raises
    ``Invalid`` (field "file") and stores nothing."""
    config = current_app.config
    name = files.clean_name(upload.filename)
    if len(upload.data) > max_upload():
        raise Invalid(too_large_message(), field="file")
    kind = files.detect(upload.data, (config["LIBRARY_MAX_ENTRIES"],
                                      config["LIBRARY_MAX_INFLATED"]))
    text = extraction.extract_text(kind.name, upload.data,
                                   seconds=config["LIBRARY_EXTRACT_SECONDS"],
                                   memory=config["LIBRARY_EXTRACT_MEMORY"],
                                   max_inflated=config["LIBRARY_MAX_INFLATED"])
    return Accepted(kind, name, text.replace("\x00", ""), len(upload.data))


def _checked(network, data: DocumentInput) -> tuple[str, str, Folder | None, list[Topic]]:
    title = (data.title or "").strip()
    if not title:
        raise Invalid("Give the document a title.", field="title")
    if len(title) > TITLE_MAX:
        raise Invalid(f"Use {TITLE_MAX} characters or fewer.", field="title")
    description = (data.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise Invalid(f"Use {DESCRIPTION_MAX} characters or fewer.", field="description")
    folder = None
    if data.folder_id is not None:
        folder = db.session.get(Folder, data.folder_id)
        if folder is None or folder.network_id != network.id:
            raise Invalid("Choose one of this library's folders.", field="folder")
    topics = []
    if data.topic_ids:
        topics = list(db.session.scalars(select(Topic).where(Topic.id.in_(data.topic_ids))))
        if len(topics) != len(set(data.topic_ids)):
            raise Invalid("Choose topics from the list.", field="topics")
    return title, description, folder, topics


def _store(document: Document, user, accepted: Accepted, data: bytes,
           number: int) -> DocumentVersion:
    """Write the file, then the row, and commit; the file is deleted if the commit fails."""
    stored_name = storage.save(data)
    try:
        version = DocumentVersion(
            document=document, number=number, uploader_id=user.id,
            created_at=utcnow(), stored_name=stored_name, original_name=accepted.name,
            kind=accepted.kind.name, size=accepted.size, text=accepted.text)
        db.session.add(version)
        if document.id is not None:
            db.session.execute(update(Document).where(Document.id == document.id).values(
                version_count=Document.version_count + 1, updated_at=utcnow()))
        search_index.index_document(document, document_text(document, accepted.text or ""))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        storage.delete(stored_name)
        raise
    return version


def upload_document(user, network, data: DocumentInput, upload: Upload) -> Document:
    """A new document with its first version. Invalid (with its field) for bad input."""
    if not policy.can_upload_document(user, network):
        raise PermissionDenied("Only members of the network can add documents to its library.")
    title, description, folder, topics = _checked(network, data)
    accepted = accept_file(upload)
    now = utcnow()
    document = Document(network_id=network.id, network=network, folder=folder, title=title,
                        description=description, uploader_id=user.id, status="live",
                        version_count=1, created_at=now, updated_at=now, topics=topics)
    db.session.add(document)
    _store(document, user, accepted, upload.data, 1)
    return document


def add_version(user, document: Document, upload: Upload) -> DocumentVersion:
    """A new version; the earlier ones stay downloadable."""
    if not policy.can_add_version(user, document):
        raise PermissionDenied("Only the person who uploaded it and the network's managers "
                               "can add a version.")
    accepted = accept_file(upload)
    last = db.session.scalar(select(func.max(DocumentVersion.number))
                             .where(DocumentVersion.document_id == document.id)) or 0
    return _store(document, user, accepted, upload.data, last + 1)


def remove_document(user, document: Document, reason: str) -> None:
    """Mark it removed, delete its files, and log who did it and why (one commit)."""
    if not policy.can_remove_document(user, document):
        raise PermissionDenied("Only the network's managers and the person who uploaded it "
                               "can remove it.")
    reason = clean_reason(reason)
    stored = [version.stored_name for version in document.versions]
    document.status = "removed"
    document.updated_at = utcnow()
    record_action(user, "remove_document", "document", document.id, reason,
                  network_id=document.network_id)
    search_index.remove("document", document.id)
    db.session.commit()
    for name in stored:
        storage.delete(name)


def create_folder(user, network, name: str) -> Folder:
    if not policy.can_make_folder(user, network):
        raise PermissionDenied("Only the network's managers make folders.")
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("Give the folder a name.", field="name")
    if len(name) > FOLDER_MAX:
        raise Invalid(f"Use {FOLDER_MAX} characters or fewer.", field="name")
    taken = db.session.scalar(select(Folder.id).where(
        Folder.network_id == network.id, func.lower(Folder.name) == name.lower()))
    if taken:
        raise Invalid("There is already a folder with that name.", field="name")
    folder = Folder(network_id=network.id, name=name, created_at=utcnow())
    db.session.add(folder)
    db.session.commit()
    return folder


# --- reading ----------------------------------------------------------------------

def folders(network) -> list[Folder]:
    return list(db.session.scalars(select(Folder).where(Folder.network_id == network.id)
                                   .order_by(func.lower(Folder.name))))


def documents_statement(network, folder: Folder | None, everything: bool = False):
    """Live documents of one folder (or those in none), newest first, with their
    uploaders and versions loaded (fixed queries, however many documents)."""
    stmt = (select(Document).where(Document.network_id == network.id, Document.status == "live")
            .options(joinedload(Document.uploader), selectinload(Document.versions))
            .order_by(Document.updated_at.desc(), Document.id.desc()))
    if everything:
        return stmt
    if folder is not None:
        return stmt.where(Document.folder_id == folder.id)
    return stmt.where(Document.folder_id.is_(None))


def get_document(network, document_id: int) -> Document | None:
    """A document of this network (removed ones too: the view answers 404 for them)."""
    return db.session.scalar(
        select(Document).where(Document.id == document_id, Document.network_id == network.id)
        .options(joinedload(Document.uploader), joinedload(Document.folder),
                 selectinload(Document.versions).joinedload(DocumentVersion.uploader)))


def get_version(document: Document, number: int) -> DocumentVersion | None:
    return next((v for v in document.versions if v.number == number), None)


def document_text(document: Document, latest_text: str | None = None) -> str:
    """What search indexes for a document: its title, description, topics and the
    text extracted from its latest version (``latest_text`` when that version is the
    one being stored)."""
    if latest_text is None:
        latest = document.versions[0] if document.versions else None
        latest_text = latest.text if latest else ""
    return "\n".join(part for part in (
        document.title, document.description,
        " ".join(topic.name for topic in document.topics), latest_text) if part)
