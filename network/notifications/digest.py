"""Daily and weekly digests: one mail per person with what they have not read.

A digest lists each notification once (``digested_at``), only those of groups
the person chose that digest for, only unread ones, and only those they may
still see now (the same filter as the list page), so a network left since is
not mentioned. Content of networks that are not open is never quoted: such
items are counted under the network's name, with a link.
"""
from collections import defaultdict

from markupsafe import escape
from sqlalchemy import or_, select, update

from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Network
from network.notifications import kinds
from network.notifications.mail import absolute_url
from network.notifications.models import Notification, OutboxMail
from network.notifications.services import CONTENT_KINDS, delivery_of, notifications_for


def _waiting(frequency: str):
    """Clause on Notification joined to User: unread, not yet in a digest, of a
    group this person gets in the ``frequency`` digest."""
    from network.accounts.models import User

    return (Notification.read_at.is_(None), Notification.digested_at.is_(None),
            or_(*[Notification.kind.in_(group_kinds) & (delivery_of(User, group) == frequency)
                  for group, (_label, group_kinds, _default) in kinds.GROUPS.items()]))


def _lines(notes, networks) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(heading, [(text, link)])] grouped by network (first "Across the site")."""
    grouped = defaultdict(list)
    hidden = defaultdict(int)
    for note in notes:
        network = networks.get(note.network_id)
        if note.kind in CONTENT_KINDS and network is not None and network.visibility != "open":
            hidden[network.id] += 1
            continue
        grouped[network.name if network else "Across the site"].append(
            (note.text, absolute_url(note.url or "/notifications/")))
    for network_id, count in hidden.items():
        network = networks[network_id]
        grouped[network.name].append(
            (f"{count} new {'item' if count == 1 else 'items'} for you in {network.name}",
             absolute_url(f"/networks/{network.slug}/")))
    return sorted(grouped.items(), key=lambda item: item[0] != "Across the site")


def _mail(person, frequency: str, notes, networks) -> OutboxMail:
    sections = _lines(notes, networks)
    count = len(notes)
    where = ", ".join(heading for heading, _ in sections[:2])
    subject = (f"Your {frequency} summary: {count} new "
               f"{'notification' if count == 1 else 'notifications'} ({where})")[:200]
    text = [f"What happened since your last {frequency} summary.", ""]
    html = [f"<p>What happened since your last {escape(frequency)} summary.</p>"]
    for heading, items in sections:
        text += [heading, "-" * len(heading)] + [f"* {said}\n  {link}" for said, link in items]
        text.append("")
        html.append(f"<h2>{escape(heading)}</h2>\n<ul>")
        html += [f'<li><a href="{escape(link)}">{escape(said)}</a></li>' for said, link in items]
        html.append("</ul>")
    text.append(f"All your notifications: {absolute_url('/notifications/')}")
    return OutboxMail(to_addr=person.email, subject=subject, body="\n".join(text) + "\n",
                      html_body="\n".join(html) + "\n", user_id=person.id,
                      group=_digest_group(notes))


def _digest_group(notes) -> str:
    """The unsubscribe link of a digest turns off the group most of it is about."""
    counts = defaultdict(int)
    for note in notes:
        counts[kinds.group_of(note.kind)] += 1
    counts.pop(None, None)
    return max(counts, key=counts.get) if counts else "watching"


def send_digests(frequency: str, batch: int = 500) -> int:
    """Queue one digest mail for each person with something waiting for the
    ``frequency`` ('daily' or 'weekly') digest; marks what it listed. Returns the
    number of mails queued. Commits once per batch of people."""
    from network.accounts.models import User

    if frequency not in kinds.DIGESTS:
        raise ValueError(f"unknown digest {frequency!r}")
    now, queued, after = utcnow(), 0, 0
    while True:
        people = db.session.scalars(
            select(User).where(User.id > after, User.email_confirmed_at.is_not(None),
                               User.deleted_at.is_(None), User.id.in_(
                select(Notification.user_id).join(User, User.id == Notification.user_id)
                .where(*_waiting(frequency))))
            .order_by(User.id).limit(batch)).all()
        if not people:
            return queued
        for person in people:
            notes = db.session.scalars(notifications_for(person).join(
                User, User.id == Notification.user_id).where(*_waiting(frequency))).all()
            if notes:
                ids = {note.network_id for note in notes if note.network_id}
                networks = {n.id: n for n in db.session.scalars(
                    select(Network).where(Network.id.in_(ids)))} if ids else {}
                db.session.add(_mail(person, frequency, notes, networks))
                queued += 1
                db.session.execute(update(Notification)
                                   .where(Notification.id.in_([n.id for n in notes]))
                                   .values(digested_at=now)
                                   .execution_options(synchronize_session=False))
        after = people[-1].id
        db.session.commit()
