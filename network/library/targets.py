"""Documents as the moderation log names them: registered with
``moderation.registry`` when imported (create_app does), so moderation names a
removed document only to readers who may read its network."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from network.core import policy
from network.extensions import db
from network.library.models import Document
from network.moderation.registry import Subject, register_subject
from network.networks.models import Network


def _document_names(viewer, ids: set[int]) -> dict[int, tuple[str, str | None]]:
    """Titles of the documents whose network this reader may read (one query)."""
    documents = db.session.scalars(
        select(Document).where(Document.id.in_(ids))
        .options(lazyload(Document.topics),
                 joinedload(Document.network).lazyload(Network.topics))).unique()
    return {document.id: (f"document “{document.title}”", None)
            for document in documents
            if policy.can_read_network_content(viewer, document.network)}


register_subject(Subject(name="document", names=_document_names, unnamed="a document"))
