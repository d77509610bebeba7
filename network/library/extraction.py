"""Text extraction in a child process with time and memory limits.

PDF libraries have had denial-of-service bugs (pages that loop, streams that grow
without end), so a file's text is taken out by a separate Python process that runs
``reading.py`` by its path: its address space and CPU time are capped with
``resource.setrlimit`` before it starts, and it is killed when it runs past
``LIBRARY_EXTRACT_SECONDS`` of wall time. A hostile file fails only its own upload
(``Invalid`` beside the file field); the worker never grows or waits longer.
"""
import os
import resource
import signal
import subprocess
import sys

from network.core.errors import Invalid

READER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reading.py")
DEFAULT_SECONDS = 10
DEFAULT_MEMORY = 512 * 1024 * 1024
TOO_SLOW = ("This file took too long to read, so it was not added. If it is a real "
            "document, save it again (or as PDF) and try once more.")
UNREADABLE = ("This file could not be read safely, so it was not added. Save it again "
              "(or as PDF) and try once more.")


def child_command(kind: str, max_inflated: int) -> list[str]:
    # -I: isolated (no environment variables, no user site, not the working folder).
    return [sys.executable, "-I", READER, kind, str(max_inflated)]


def _limits(memory: int, seconds: int):
    def apply():  # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # it writes no file
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def extract_text(kind: str, data: bytes, *, seconds: int = DEFAULT_SECONDS,
                 memory: int = DEFAULT_MEMORY, max_inflated: int) -> str:
    """The text of ``data`` (of a kind files.detect decided), read by a limited child
    process. Raises ``Invalid`` (field "file") when it refuses the file, runs out of
    time or memory, or dies."""
    try:
        done = subprocess.run(child_command(kind, max_inflated), input=data,
                              capture_output=True, timeout=seconds,
                              preexec_fn=_limits(memory, seconds), close_fds=True,
                              env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"})
    except subprocess.TimeoutExpired:
        raise Invalid(TOO_SLOW, field="file") from None
    if done.returncode == 3:
        message = done.stderr.decode("utf-8", errors="replace").strip()[:300]
        raise Invalid(f"{message} It was not added." if message else UNREADABLE, field="file")
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):  # past its CPU time
        raise Invalid(TOO_SLOW, field="file")
    if done.returncode != 0:
        # Killed by a limit (memory: MemoryError; CPU: SIGXCPU) or crashed.
        raise Invalid(UNREADABLE, field="file")
    return done.stdout.decode("utf-8", errors="replace")
