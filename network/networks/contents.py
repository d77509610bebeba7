"""What lives in a network, as its home page lists it.

Networks know nothing of what lives in them: each kind of content (discussions,
articles, and later practices, documents, events) is registered with a function
giving a network's latest items of that kind, by the level that knows every
domain (network/site/contents.py, called by create_app).
"""
from typing import Callable

from flask import Flask, current_app

from network.networks.models import Network

_KEY = "network_contents"


def register_latest(app: Flask, kind: str, load: Callable[[Network], list]) -> None:
    """``load(network)`` gives the network's latest items of ``kind`` (readable ones only:
    the home page calls it only for viewers who may read the network's content)."""
    app.extensions.setdefault(_KEY, {})[kind] = load


def latest(network: Network, kind: str) -> list:
    """The network's latest items of ``kind``; none when no domain registered that kind."""
    load = current_app.extensions.get(_KEY, {}).get(kind)
    return load(network) if load is not None else []
