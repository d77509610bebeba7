"""The SQLAlchemy internals the row memo relies on, and nothing else.

The memo keeps plain column values and later turns them back into ORM objects
as if the rows had just been loaded, without SQL. Doing that needs a few steps
SQLAlchemy does not document as public API; they are all here, in one place, and
``tests/core/test_cache_orm.py`` pins exactly what is relied on (the object is
persistent and clean, joins the session's identity map, is not built through its
constructor, loads missing columns on first use, saves a change as an UPDATE of
that column only, expires on rollback). An upgrade that changes any of it fails
that test instead of corrupting a session.
"""
from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.orm import scoped_session
from sqlalchemy.orm.attributes import instance_state, set_committed_value

_MODELS: dict = {}  # model -> (mapper, primary key attribute names, column attribute names)


def _model(model):
    found = _MODELS.get(model)
    if found is None:
        mapper = inspect(model)
        found = _MODELS[model] = (
            mapper, tuple(mapper.get_property_by_column(c).key for c in mapper.primary_key),
            frozenset(attr.key for attr in mapper.column_attrs))
    return found


def loaded_columns(obj) -> dict:
    """The column values already loaded on ``obj`` (nothing is loaded here)."""
    state = inspect(obj)
    loaded = state.dict
    return {attr.key: loaded[attr.key] for attr in state.mapper.column_attrs
            if attr.key in loaded}


def loaded_relationships(obj) -> dict:
    """{name: related object, list of them, or None} for the relationships already
    loaded on ``obj`` (nothing is loaded here)."""
    state = inspect(obj)
    loaded = state.dict
    return {rel.key: loaded[rel.key] for rel in state.mapper.relationships
            if rel.key in loaded}


def attach(session, model, values: dict):
    """A persistent instance of ``model`` built from column ``values``, with no SQL.

    The values go straight into the instance's state, as when a row is loaded (no
    constructor, no attribute events), and columns not among them load on first
    use. The instance joins the session the way a loaded row does, through the
    session's own step for a detached instance (``Session._update_impl``, what
    ``add()`` calls after walking cascades that a fresh instance does not have
    yet). When the session already holds that row, it is returned unchanged."""
    mapper, key_names, column_names = _model(model)
    key = mapper.identity_key_from_primary_key(tuple(values[name] for name in key_names))
    if isinstance(session, scoped_session):
        session = session()
    present = session.identity_map.get(key)
    if present is not None:
        return present
    obj = mapper.class_manager.new_instance()
    state = instance_state(obj)
    state.dict.update(values)
    state.key = key
    missing = column_names.difference(values)
    if missing:
        state._expire_attributes(state.dict, missing)
    session._update_impl(state)
    return obj


def set_loaded(obj, name: str, value) -> None:
    """Set relationship ``name`` on ``obj`` as if it had been loaded: no SQL, no
    change recorded (``set_committed_value``)."""
    set_committed_value(obj, name, value)


def is_loaded(obj, name: str) -> bool:
    return name in instance_state(obj).dict
