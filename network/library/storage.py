"""Where uploaded files live: a folder set by LIBRARY_DIR (default
``instance/library``), shared by every app server, outside ``static/`` so the web
server never serves or runs them. Each file is stored under a generated name (the
person's name for it is only ever a column), written whole or not at all.
"""
import os
import secrets
import tempfile

from flask import current_app


def library_dir() -> str:
    folder = current_app.config.get("LIBRARY_DIR") or os.path.join(current_app.instance_path,
                                                                   "library")
    os.makedirs(folder, mode=0o750, exist_ok=True)
    return folder


def path_of(stored_name: str) -> str:
    """The file's path; the name is ours (hex), checked so a row can never point away."""
    if not stored_name or not all(c in "0123456789abcdef" for c in stored_name):
        raise ValueError("not a stored name")
    return os.path.join(library_dir(), stored_name)


def save(data: bytes) -> str:
    """Write ``data`` under a new generated name (through a temporary file renamed into
    place, so a reader never sees half a file); returns the name."""
    folder = library_dir()
    name = secrets.token_hex(16)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o640)
        os.replace(temporary, os.path.join(folder, name))
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return name


def delete(stored_name: str) -> None:
    try:
        os.unlink(path_of(stored_name))
    except FileNotFoundError:
        pass
