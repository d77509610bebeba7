"""Access rules for the route walk. Each domain lists its routes in
``tests/<domain>/access_rules.py`` as ``RULES = [Rule(...), ...]``.

``expect`` maps a persona (see tests.world.PERSONAS) to the status code (or a set
of acceptable codes) it must get. A persona not named answers as the one it stands
in for (``STANDS_IN_FOR``: an associate in no network as the outsider, a silenced
member reading as a member, a suspended person as an anonymous visitor, whose
session no longer counts); the rest get ``default``.
"""
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable

import tests

STANDS_IN_FOR = {"associate": "outsider", "silenced": "member", "suspended": "anonymous"}


@dataclass
class Rule:
    endpoint: str
    url: Callable  # world -> url
    expect: dict = field(default_factory=dict)
    default: object = 200
    method: str = "GET"
    data: Callable | None = None  # world -> form data for POST
    note: str = ""

    def expected(self, persona):
        if persona not in self.expect and persona in STANDS_IN_FOR:
            persona = STANDS_IN_FOR[persona]
        value = self.expect.get(persona, self.default)
        return value if isinstance(value, (set, frozenset)) else {value}


# Common expectations
PUBLIC = {}
SIGNED_IN = {"anonymous": 302}
PRIVATE = {"anonymous": 404, "outsider": 404}
STAFF_ONLY = {"anonymous": 302, "outsider": 403, "member": 403, "manager": 403}
ADMIN_ONLY = {"anonymous": 302, "outsider": 403, "member": 403, "manager": 403, "moderator": 403}


def all_rules() -> list[Rule]:
    rules = []
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.endswith(".access_rules"):
            rules.extend(importlib.import_module(module.name).RULES)
    return rules
