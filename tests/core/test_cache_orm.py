"""Pins the SQLAlchemy behaviour the row memo relies on (network/core/cache/orm.py).

The memo turns remembered column values back into ORM objects without SQL,
through steps SQLAlchemy does not promise to keep. Each test states one property
the memo depends on, on a model of its own in a private in-memory database, so an
SQLAlchemy upgrade that changes any of them fails here instead of corrupting a
session (lost updates, phantom UPDATEs, wrong identity, stale rows after rollback).
"""
import pytest
from sqlalchemy import ForeignKey, String, create_engine, event, inspect, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from network.core.cache import orm


class Base(DeclarativeBase):
    pass


class Place(Base):
    __tablename__ = "place"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))


class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(40), default="")
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    place: Mapped[Place | None] = relationship()

    def __init__(self, **values):
        self.built_by_constructor = True
        super().__init__(**values)


@pytest.fixture
def db():
    """(session, statements): a fresh database holding person 1 (Ada, in York)."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as setup:
        setup.add(Place(id=1, name="York"))
        setup.add(Person(id=1, name="Ada", title="GP", place_id=1))
        setup.commit()
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    session = Session(engine)
    yield session, statements
    session.close()
    engine.dispose()


ADA = {"id": 1, "name": "Ada", "title": "GP", "place_id": 1}


def test_an_attached_row_is_persistent_clean_and_in_the_identity_map_without_sql(db):
    session, statements = db
    person = orm.attach(session, Person, dict(ADA))
    state = inspect(person)
    assert state.persistent and state.session is session
    assert state.identity == (1,)
    assert session.get(Person, 1) is person  # the identity map answers, no query
    assert person not in session.dirty and not session.new
    assert (person.name, person.title) == ("Ada", "GP")
    assert statements == []


def test_attaching_does_not_run_the_constructor(db):
    session, _ = db
    person = orm.attach(session, Person, dict(ADA))
    assert "built_by_constructor" not in person.__dict__


def test_a_row_already_in_the_session_is_returned_unchanged(db):
    session, _ = db
    loaded = session.get(Person, 1)
    loaded.title = "Changed in this session"
    again = orm.attach(session, Person, dict(ADA))
    assert again is loaded and again.title == "Changed in this session"


def test_committing_an_untouched_attached_row_writes_nothing(db):
    session, statements = db
    orm.attach(session, Person, dict(ADA))
    session.commit()
    assert not any(s.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
                   for s in statements)


def test_a_change_to_an_attached_row_saves_only_that_column(db):
    session, statements = db
    person = orm.attach(session, Person, dict(ADA))
    person.title = "Nurse"
    assert person in session.dirty
    session.commit()
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1 and "title" in updates[0] and "name" not in updates[0]
    session.close()
    assert session.get(Person, 1).title == "Nurse"


def test_columns_not_remembered_load_on_first_use(db):
    session, statements = db
    person = orm.attach(session, Person, {"id": 1, "name": "Ada"})
    assert statements == []
    assert person.title == "GP"
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")


def test_remembered_values_are_taken_as_loaded_even_when_the_row_has_changed(db):
    """The memo's values are the truth for the session (it is the content version
    that makes them stale), and a rollback expires them like any loaded row."""
    session, _ = db
    session.connection().exec_driver_sql("UPDATE person SET title = 'Newer' WHERE id = 1")
    person = orm.attach(session, Person, dict(ADA))
    assert person.title == "GP"
    session.rollback()  # also undoes the UPDATE above
    session.connection().exec_driver_sql("UPDATE person SET title = 'Newest' WHERE id = 1")
    assert "title" not in person.__dict__  # expired by the rollback
    assert person.title == "Newest"  # reloaded, not the remembered value


def test_a_relationship_set_as_loaded_needs_no_sql_and_is_not_a_change(db):
    session, statements = db
    person = orm.attach(session, Person, dict(ADA))
    assert not orm.is_loaded(person, "place")
    place = orm.attach(session, Place, {"id": 1, "name": "York"})
    orm.set_loaded(person, "place", place)
    assert orm.is_loaded(person, "place") and person.place.name == "York"
    assert person not in session.dirty
    session.commit()
    assert statements == []


def test_loaded_values_read_nothing_new(db):
    session, statements = db
    person = session.scalar(select(Person).where(Person.id == 1))
    statements.clear()
    assert orm.loaded_columns(person) == ADA
    assert orm.loaded_relationships(person) == {}  # place is lazy and not loaded yet
    person.place  # noqa: B018 (loads it)
    assert set(orm.loaded_relationships(person)) == {"place"}
    session.expire(person, ["title"])
    assert "title" not in orm.loaded_columns(person)
    assert len(statements) == 1  # only the lazy load of place


def test_an_attached_row_can_be_deleted(db):
    session, _ = db
    session.delete(orm.attach(session, Person, dict(ADA)))
    session.commit()
    assert session.get(Person, 1) is None


def test_attaching_to_a_second_session_leaves_the_first_alone(db):
    session, _ = db
    first = orm.attach(session, Person, dict(ADA))
    with Session(session.get_bind()) as other:
        second = orm.attach(other, Person, dict(ADA))
        assert second is not first and inspect(second).session is other
    assert inspect(first).session is session
