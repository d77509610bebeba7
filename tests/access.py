"""Access rules for the route walk. Each domain lists its routes in
``tests/<domain>/access_rules.py`` as ``RULES = [Rule(...), ...]``.

``expect`` maps a persona (see tests.world.PERSONAS) to the status code (or a set
of acceptable codes) it must get. A persona not named answers as the one it stands
in for (``STANDS_IN_FOR``: an associate in no network as the outsider, a silenced
member reading as a member, a suspended person as an anonymous visitor, whose
session no longer counts, an unconfirmed member as a member); the rest get
``default``. An unconfirmed member not named is refused (403) every change but
those in ``UNCONFIRMED_MAY_SEND``: until the address is confirmed a person may read,
sign in and out, mend their profile, password and address, and leave with their data.
"""
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable

import tests

STANDS_IN_FOR = {"associate": "outsider", "silenced": "member", "suspended": "anonymous",
                 "unconfirmed": "member"}
# Written out here, not read from the policy, so the walk checks the policy's list.
UNCONFIRMED_MAY_SEND = frozenset({
    "accounts.login", "accounts.logout", "accounts.register", "accounts.request_reset",
    "accounts.reset_password", "accounts.edit_profile", "accounts.change_password",
    "accounts.change_email", "accounts.confirm_email", "accounts.resend_confirmation",
    "accounts.export_account", "accounts.delete_account",
    # ending one's own sessions is a way out, never a way in
    "accounts.end_session", "accounts.sign_out_everywhere"})


@dataclass
class Rule:
    endpoint: str
    url: Callable  # world -> url
    expect: dict = field(default_factory=dict)
    default: object = 200
    method: str = "GET"
    data: Callable | None = None  # world -> form data for POST
    note: str = ""

    def refuses_unconfirmed(self, persona) -> bool:
        """True when this is a change an unconfirmed member must be refused."""
        return (persona == "unconfirmed" and persona not in self.expect
                and self.method != "GET" and self.endpoint not in UNCONFIRMED_MAY_SEND)

    def expected(self, persona):
        if self.refuses_unconfirmed(persona):
            return {403}
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
