"""Running a service in several threads at once, as simultaneous requests would.

``race(app, count, action)`` runs ``action(n)`` for n in range(count) in threads
that start together, each in its own app context (so its own session and
transaction), and returns the sorted outcomes: "done", or the name of the domain
error that refused it ("Conflict", "PermissionDenied").

``meeting_at(app, "UPDATE membership")`` makes the threads' first statements that
start so (or with any of a tuple of beginnings) wait for each other before running (for up to ``timeout`` seconds): every
thread has done its reads before any writes, the moment a check-then-write goes
wrong. A thread that is held back by a lock never arrives; the others go on when
the wait times out, so the test still ends, a little later.
"""
import contextlib
import threading

from sqlalchemy import event

from network.core.errors import DomainError
from network.extensions import db


def race(app, count, action) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes = []
    errors = []

    def run(n):
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                action(n)
                outcomes.append("done")
            except DomainError as error:
                db.session.rollback()
                outcomes.append(type(error).__name__)
            except BaseException as error:  # surfaced by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return sorted(outcomes)


@contextlib.contextmanager
def meeting_at(app, statement_start: str | tuple[str, ...], parties: int = 2,
               timeout: float = 2.0):
    barrier = threading.Barrier(parties)
    arrived = threading.local()

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith(statement_start) and not getattr(arrived, "done", False):
            arrived.done = True
            try:
                barrier.wait(timeout=timeout)
            except threading.BrokenBarrierError:
                pass  # another thread is held by a lock: go on alone

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before)
