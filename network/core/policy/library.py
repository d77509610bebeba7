"""Libraries: a network's documents are its content, so they are read exactly as its
threads are (``can_read_network_content``, ``readable_networks``); members upload,
the uploader and the network's moderators add versions and remove."""
from network.core.policy.networks import (can_manage_network, can_moderate_network,
                                          can_post_in_network, can_read_network_content,
                                          readable_networks)
from network.core.policy.people import can_post, is_signed_in


def can_read_library(user, network) -> bool:
    return can_read_network_content(user, network)


def can_read_document(user, document) -> bool:
    """Every download asks this: a live document in a network the viewer may read."""
    return not document.is_removed and can_read_network_content(user, document.network)


def can_upload_document(user, network) -> bool:
    """Members who may post, while the network is not archived."""
    return can_post_in_network(user, network)


def is_document_uploader(user, document) -> bool:
    return is_signed_in(user) and document.uploader_id == user.id


def can_add_version(user, document) -> bool:
    """Its uploader while still a member, or the network's managers (and admins)."""
    if document.is_removed or document.network.is_archived or not can_post(user):
        return False
    return ((is_document_uploader(user, document) and can_post_in_network(user, document.network))
            or can_manage_network(user, document.network))


def can_remove_document(user, document) -> bool:
    """Managers (and site staff) remove any document; uploaders their own."""
    if document.is_removed or not can_read_network_content(user, document.network):
        return False
    return (can_moderate_network(user, document.network)
            or (is_document_uploader(user, document) and can_post(user)))


def can_make_folder(user, network) -> bool:
    return can_manage_network(user, network) and not network.is_archived


def readable_documents(viewer, document_cls, network_cls):
    """Clause (with ``network_cls`` joined): live documents in networks the viewer may
    read; ``can_read_document`` in SQL, for search and lists."""
    return (document_cls.status == "live") & readable_networks(viewer, network_cls)
