"""Library rows for tests and the route walk's world (no fixtures here)."""
from network.core.time import utcnow
from network.extensions import db
from network.library import storage
from network.library.models import Document, DocumentVersion
from tests.library import samples


def add_document(network, uploader, title="Discharge plan", data=None, name="plan.pdf",
                 kind="pdf", text="", folder=None, description=""):
    """A live document with one version whose file is on disk (inside an app
    context; flushed, not committed). The file is written as given: the upload
    checks are tested through the service and the routes."""
    data = data if data is not None else samples.pdf(title.encode("ascii", "replace").decode())
    now = utcnow()
    document = Document(network_id=network.id, title=title, description=description,
                        uploader_id=uploader.id, status="live", version_count=1,
                        created_at=now, updated_at=now, folder_id=folder.id if folder else None)
    db.session.add(document)
    db.session.flush()
    db.session.add(DocumentVersion(document_id=document.id, number=1, uploader_id=uploader.id,
                                   created_at=now, stored_name=storage.save(data),
                                   original_name=name, kind=kind, size=len(data),
                                   text=text or title))
    db.session.flush()
    return document


def add_world_documents(world, people) -> None:
    """The route walk's world: a PDF uploaded by the member in each network's library
    (SECRET in the private one's title and file name)."""
    from network.networks.models import Network

    for visibility, place in world.places.items():
        network = db.session.get(Network, place.network_id)
        label = "SECRETPRIVATE" if visibility == "private" else visibility.title()
        document = add_document(network, people["member"], title=f"{label} document",
                                name=f"{label} plan.pdf",
                                description=f"{label} description of the document")
        place.document_id = document.id
