"""gunicorn settings read automatically from the working directory (make run, bench).

The access log never records secret tokens (password-reset and invitation links).
"""
from gunicorn.glogging import Logger

from network.core.security import redact_path


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_path(atoms[key])
        return atoms


logger_class = RedactingLogger
