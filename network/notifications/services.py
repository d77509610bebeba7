"""In-app notifications: created in the caller's transaction, listed with a
filter applied again when shown.

``notify_people`` adds one notification to each of many people in one
INSERT ... SELECT (and queues the mail of those who asked for it at once in a
second), so a reply in a thread with 1,000 watchers costs two statements.
Each person's choice for the kind's group (``kinds``) decides: off (nothing),
in the app, or also by mail (at once, or in a digest built later).

Notifications about content in a network carry that network's id, so a person
who can no longer see the network (left it, was removed, it turned private)
stops seeing them; their text never quotes private content.
"""
from sqlalchemy import Integer, and_, func, insert, literal, null, or_, select, update

from network.core import policy
from network.core.time import utcnow
from network.extensions import db
from network.networks.models import Network
from network.notifications import kinds
from network.notifications.models import Notification, NotificationSetting, OutboxMail

# Kinds whose text names content only a network's readers may see (a thread's or
# an event's title): they follow who may read the network's content, not merely
# know of it, so a former member of a closed network stops seeing its threads' titles.
CONTENT_KINDS = ("reply", "mention", "reply_to_you", "comment", "new_thread", "new_article",
                 "event_place", "event_changed", "event_cancelled")


def delivery_of(user_cls, group: str | None):
    """SQL: each person's delivery for ``group`` (their row, else the default)."""
    chosen = (select(NotificationSetting.delivery)
              .where(NotificationSetting.user_id == user_cls.id,
                     NotificationSetting.group == (group or ""))
              .correlate(user_cls).scalar_subquery())
    return func.coalesce(chosen, kinds.default_delivery(group))


def notify_people(people, kind: str, text: str, url: str = "",
                  network_id: int | None = None, actor_id: int | None = None) -> None:
    """Notify everyone ``people`` selects (a SELECT of user ids), in the caller's
    transaction: one INSERT ... SELECT for the notifications, one for the mail of
    those whose delivery is 'immediate'. Nobody whose choice is 'off' is told, nor,
    when ``actor_id`` names the person whose doing this is, anyone who muted them
    (left out in the same statements)."""
    from network.accounts.models import User
    from network.accounts.muting import muters_of
    from network.notifications.mail import notification_mail

    group = kinds.group_of(kind)
    delivery = delivery_of(User, group)
    now = utcnow()
    text, url = text[:300], url[:300]
    network = literal(network_id, Integer) if network_id is not None else null()
    chosen = User.id.in_(people)
    if actor_id is not None:
        chosen = chosen & User.id.not_in(muters_of(actor_id))
    db.session.execute(insert(Notification).from_select(
        ["user_id", "kind", "text", "url", "network_id", "created_at"],
        select(User.id, literal(kind), literal(text), literal(url), network, literal(now))
        .where(chosen, delivery != "off")))
    db.session.execute(update(User).where(chosen, delivery != "off")
                       .values(unread_notifications=User.unread_notifications + 1)
                       .execution_options(synchronize_session=False))
    if group is None:
        return
    subject, body, html = notification_mail(kind, text, url, network_id)
    db.session.execute(insert(OutboxMail).from_select(
        ["to_addr", "subject", "body", "html_body", "user_id", "group", "created_at",
         "attempts", "last_error"],
        select(User.email, literal(subject), literal(body), literal(html), User.id,
               literal(group), literal(now), literal(0), literal(""))
        # Only confirmed addresses of live accounts (policy.may_receive_notification_mail).
        .where(chosen, delivery == "immediate", User.email_confirmed_at.is_not(None),
               User.deleted_at.is_(None))))


def notify(user_id: int, kind: str, text: str, url: str = "",
           network_id: int | None = None, actor_id: int | None = None) -> None:
    """Notify one person in the caller's transaction (committed with the action),
    unless they muted ``actor_id``, the person whose doing it is."""
    notify_people(select(literal(user_id, Integer)), kind, text, url, network_id, actor_id)


def _visible(viewer):
    """Clause on Notification: those this viewer may still see (``visible_to_owner``
    in SQL for everyone; keep the two in step)."""
    return or_(Notification.network_id.is_(None),
               and_(Notification.kind.in_(CONTENT_KINDS), Notification.network_id.in_(
                   select(Network.id).where(policy.readable_networks(viewer, Network)))),
               and_(Notification.kind.not_in(CONTENT_KINDS), Notification.network_id.in_(
                   select(Network.id).where(policy.visible_networks(viewer, Network)))))


def visible_to_owner(user_cls):
    """Clause on Notification, correlated to ``user_cls`` (its owner's row): what
    ``_visible`` shows that person, in SQL for every person at once (``flask
    recount``). Keep the two in step: notices outside any network; for site staff,
    all; a network's members, its notices; others, content kinds of open networks
    and other kinds of networks that are not private."""
    from network.networks.models import Membership

    member_of = Notification.network_id.in_(
        select(Membership.network_id).where(Membership.user_id == user_cls.id)
        .correlate(user_cls))
    return or_(Notification.network_id.is_(None), policy.acting_staff(user_cls), member_of,
               and_(Notification.kind.in_(CONTENT_KINDS), Notification.network_id.in_(
                   select(Network.id).where(Network.visibility == "open"))),
               and_(Notification.kind.not_in(CONTENT_KINDS), Notification.network_id.in_(
                   select(Network.id).where(Network.visibility != "private"))))


def notifications_for(viewer, show: str = "all"):
    """Statement: the viewer's notifications they may still see, newest first,
    narrowed by one of ``kinds.FILTERS`` (an unknown filter shows all)."""
    stmt = (select(Notification)
            .where(Notification.user_id == viewer.id, _visible(viewer))
            .order_by(Notification.created_at.desc(), Notification.id.desc()))
    _label, only = kinds.FILTERS.get(show, kinds.FILTERS["all"])
    if show == "unread":
        stmt = stmt.where(Notification.read_at.is_(None))
    elif only is not None:
        stmt = stmt.where(Notification.kind.in_(only))
    return stmt


def unread_count(viewer) -> int:
    """One query: the viewer's unread notifications they may still see."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == viewer.id, Notification.read_at.is_(None), _visible(viewer))) or 0


def mark_read(viewer, notification_id: int) -> bool:
    """Mark one of the viewer's own notifications read; False if it is not theirs."""
    done = db.session.execute(
        update(Notification).where(Notification.id == notification_id,
                                   Notification.user_id == viewer.id,
                                   Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    if done.rowcount == 1:
        _count_read(viewer, 1)
    db.session.commit()
    return done.rowcount == 1


def mark_all_read(viewer) -> None:
    db.session.execute(update(Notification)
                       .where(Notification.user_id == viewer.id, Notification.read_at.is_(None))
                       .values(read_at=utcnow()))
    _set_unread(viewer, 0)
    db.session.commit()


def _count_read(viewer, read: int) -> None:
    from network.accounts.models import User

    db.session.execute(update(User).where(User.id == viewer.id, User.unread_notifications >= read)
                       .values(unread_notifications=User.unread_notifications - read)
                       .execution_options(synchronize_session=False))


def _set_unread(viewer, count: int) -> None:
    from network.accounts.models import User

    db.session.execute(update(User).where(User.id == viewer.id)
                       .values(unread_notifications=count)
                       .execution_options(synchronize_session=False))


def correct_unread(viewer) -> int:
    """The viewer's unread count as the list shows it (access checked now); the
    stored count is corrected, in a commit, only when it differs (a network left,
    a notification removed with its network), so showing the list writes nothing
    otherwise and no cache is bumped."""
    count = unread_count(viewer)
    if viewer.unread_notifications != count:
        _set_unread(viewer, count)
        db.session.commit()
    return count


def settings_for(user) -> dict[str, str]:
    """Each group's delivery for this person (defaults filled in)."""
    rows = dict(db.session.execute(
        select(NotificationSetting.group, NotificationSetting.delivery)
        .where(NotificationSetting.user_id == user.id)).all())
    return {group: rows.get(group, default)
            for group, (_label, _kinds, default) in kinds.GROUPS.items()}


def choose_delivery(user_id: int, group: str, delivery: str) -> None:
    """Set one group's delivery for one person (no commit)."""
    if group not in kinds.GROUPS or delivery not in kinds.DELIVERIES:
        raise ValueError(f"unknown group or delivery: {group}, {delivery}")
    row = db.session.scalar(select(NotificationSetting).where(
        NotificationSetting.user_id == user_id, NotificationSetting.group == group))
    if row is None:
        db.session.add(NotificationSetting(user_id=user_id, group=group, delivery=delivery))
    else:
        row.delivery = delivery


def save_settings(user, choices: dict[str, str]) -> None:
    """Save this person's delivery for every group given. One commit."""
    for group, delivery in choices.items():
        choose_delivery(user.id, group, delivery)
    db.session.commit()


def stop_mail(user_id: int, group: str) -> bool:
    """Turn one group's mail off for one person, keeping it in the app (the
    unsubscribe link's one action). True if it changed; False if that group's
    mail was already off or the person is gone. One commit."""
    from network.accounts.models import User

    user = db.session.get(User, user_id)
    if user is None or settings_for(user)[group] in ("off", "app"):
        return False
    choose_delivery(user_id, group, "app")
    db.session.commit()
    return True
