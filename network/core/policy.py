"""Every permission decision, in one place (DESIGN section 2, STYLE "policy").

Functions are pure questions about a viewer and an object: no request, no g.
Anonymous visitors are ``Anonymous`` instances and go through the same
functions. Templates call these too (registered as Jinja globals), so a button
is shown exactly when the action behind it is allowed.

Query filters (``visible_*``) return SQLAlchemy clauses for "what this viewer
may see", so lists, search, feeds and counts all filter the same way.
"""
from flask_login import AnonymousUserMixin
from datetime import timedelta

from sqlalchemy import exists, false, or_, true

ROLE_RANK = {"member": 1, "associate": 2, "moderator": 3, "admin": 4}


class Anonymous(AnonymousUserMixin):
    role = None
    id = None
    trusted = False
    is_suspended = False
    is_silenced = False
    network_roles: dict[int, str] = {}


def is_signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def has_role(user, role: str) -> bool:
    """True when the user's site role is ``role`` or above."""
    return is_signed_in(user) and ROLE_RANK.get(user.role, 0) >= ROLE_RANK[role]


def is_staff(user) -> bool:
    """Site-wide moderators and admins: they act everywhere."""
    return has_role(user, "moderator")


def is_admin(user) -> bool:
    return has_role(user, "admin")


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_moderate_site(user) -> bool:
    return is_staff(user)


def can_post(user) -> bool:
    """Signed in, not suspended, not silenced: may write anything at all."""
    return is_signed_in(user) and not user.is_suspended and not user.is_silenced


def needs_premoderation(user) -> bool:
    """A member's first posts and comments wait for a moderator until they are trusted."""
    return is_signed_in(user) and not user.trusted and not has_role(user, "associate")


def can_write_articles(user) -> bool:
    return can_post(user) and has_role(user, "associate")


def can_view_profile(viewer, member) -> bool:
    return member is not None


# --- networks -------------------------------------------------------------

def network_role(user, network) -> str | None:
    """'member', 'manager' or None for this user in this network."""
    if not is_signed_in(user) or network is None:
        return None
    return user.network_roles.get(network.id)


def is_network_member(user, network) -> bool:
    return network_role(user, network) is not None


def is_network_manager(user, network) -> bool:
    return network_role(user, network) == "manager"


def can_view_network(user, network) -> bool:
    """Open and closed networks are public pages; private ones exist only for
    their members and site staff (everyone else gets a 404)."""
    if network is None:
        return False
    if network.visibility != "private":
        return True
    return is_network_member(user, network) or is_staff(user)


def can_read_network_content(user, network) -> bool:
    """Threads and member-only content: open to all, otherwise members and staff."""
    if not can_view_network(user, network):
        return False
    if network.visibility == "open":
        return True
    return is_network_member(user, network) or is_staff(user)


def can_post_in_network(user, network) -> bool:
    return (can_post(user) and is_network_member(user, network)
            and not network.is_archived)


def can_moderate_network(user, network) -> bool:
    """Site staff everywhere; a network's managers in their own network."""
    return is_staff(user) or (network is not None and is_network_manager(user, network))


def can_manage_network(user, network) -> bool:
    """Settings, members and requests: the network's managers and admins."""
    return is_admin(user) or is_network_manager(user, network)


def can_change_network_settings(user, network) -> bool:
    """Name, summary, region, topics, visibility: its managers and admins, while the
    network is not archived (an archived network is read-only)."""
    return can_manage_network(user, network) and network is not None and not network.is_archived


def can_change_members(user, network) -> bool:
    """Promote, demote, remove: the same people and the same archive rule as settings
    (an archived network is read-only; an admin unarchives it first)."""
    return can_change_network_settings(user, network)


def can_create_network(user) -> bool:
    return can_post(user)


def can_archive_network(user, network) -> bool:
    return is_admin(user)


def visible_networks(viewer, network_cls):
    """Clause: networks this viewer may know exist (private only to members/staff)."""
    if is_staff(viewer):
        return true()
    member_of = list(viewer.network_roles) if is_signed_in(viewer) else []
    if member_of:
        return or_(network_cls.visibility != "private", network_cls.id.in_(member_of))
    return network_cls.visibility != "private"


def readable_networks(viewer, network_cls):
    """Clause: networks whose content (threads, member-only articles) the viewer may read."""
    if is_staff(viewer):
        return true()
    member_of = list(viewer.network_roles) if is_signed_in(viewer) else []
    if member_of:
        return or_(network_cls.visibility == "open", network_cls.id.in_(member_of))
    return network_cls.visibility == "open"


def reach_key(viewer) -> tuple:
    """What ``visible_networks``, ``readable_networks`` and ``visible_articles``
    depend on for this viewer: viewers with equal keys are shown the same lists,
    so a rendered list may be shared between them (core/fragments.py). Keep in
    step with those three functions."""
    if is_staff(viewer):
        return ("staff",)
    if not is_signed_in(viewer):
        return ("anonymous",)
    return ("member", tuple(sorted(viewer.network_roles)))


def no_rows():
    return false()


# --- networks: joining, leaving, members (issue 3) ---------------------------

def can_join_network(user, network) -> bool:
    """Open networks: any signed-in person who is not yet a member joins at once."""
    return (can_post(user) and network is not None and network.visibility == "open"
            and not network.is_archived and not is_network_member(user, network))


def can_request_to_join(user, network) -> bool:
    """Closed networks: a signed-in non-member asks, and a manager decides."""
    return (can_post(user) and network is not None and network.visibility == "closed"
            and not network.is_archived and not is_network_member(user, network))


def can_leave_network(user, network) -> bool:
    return is_network_member(user, network)


def can_view_network_members(user, network) -> bool:
    """The members list is member-only content, like threads."""
    return can_read_network_content(user, network)


def can_invite_to_network(user, network) -> bool:
    return can_change_network_settings(user, network)

# --- articles and comments ------------------------------------------------

COMMENT_EDIT_MINUTES = 15


def is_article_author(user, article) -> bool:
    return is_signed_in(user) and article is not None and article.author_id == user.id


def is_article_live(article, now) -> bool:
    """Published and its publication time has come."""
    return (article.status == "published" and article.published_at is not None
            and article.published_at <= now)


def can_read_article(user, article, now) -> bool:
    """Drafts, scheduled and withdrawn articles: the author and admins only.
    Published ones follow their network: open or none -> everyone; closed or
    private -> that network's members and staff."""
    if article is None:
        return False
    if article.network is not None and not can_view_network(user, article.network):
        return False
    if is_article_author(user, article) or is_admin(user):
        return True
    if not is_article_live(article, now):
        return False
    return article.network is None or can_read_network_content(user, article.network)


def can_edit_article(user, article) -> bool:
    return (can_post(user) and is_article_author(user, article)
            and can_write_articles(user)) or (is_admin(user) and article is not None)


def can_moderate_article(user, article) -> bool:
    """Site staff everywhere; a network's managers for articles in their network."""
    return is_staff(user) or (article is not None and article.network is not None
                              and is_network_manager(user, article.network))


def in_archived_network(article) -> bool:
    return article is not None and article.network is not None and article.network.is_archived


def can_close_comments(user, article) -> bool:
    """Its author and its moderators, unless its network is archived (read-only)."""
    if in_archived_network(article):
        return False
    return (can_post(user) and is_article_author(user, article)) or can_moderate_article(
        user, article)


def can_comment(user, article, now) -> bool:
    """A live article with comments open, outside any network or in one that is not
    archived (an archived network is read-only)."""
    return (can_post(user) and can_read_article(user, article, now)
            and is_article_live(article, now) and article.comments_open
            and not in_archived_network(article))


def can_see_comment_text(user, comment) -> bool:
    """Visible comments to all who read the article; pending to their author and
    staff; hidden to those who moderate the article (staff, and its network's
    managers, as with hidden posts); deleted to nobody (a placeholder is shown)."""
    if comment.status == "visible":
        return True
    if comment.status == "pending":
        return is_staff(user) or (is_signed_in(user) and comment.author_id == user.id)
    if comment.status == "hidden":
        return can_moderate_article(user, comment.article)
    return False


def can_edit_comment(user, comment, now) -> bool:
    """Authors, for 15 minutes after posting, while the comment is theirs to change."""
    from datetime import timedelta

    return (can_post(user) and comment.author_id == user.id
            and comment.status in ("visible", "pending")
            and now - comment.created_at <= timedelta(minutes=COMMENT_EDIT_MINUTES))


def can_delete_comment(user, comment) -> bool:
    return (is_signed_in(user) and comment.author_id == user.id
            and comment.status in ("visible", "pending"))


def visible_articles(viewer, article_cls, network_cls, now):
    """Clause: articles this viewer may find in lists, feeds and counts (live ones
    outside networks, or in networks whose content the viewer may read)."""
    from sqlalchemy import select

    return ((article_cls.status == "published") & (article_cls.published_at <= now)
            & or_(article_cls.network_id.is_(None),
                  article_cls.network_id.in_(select(network_cls.id).where(
                      readable_networks(viewer, network_cls)))))


def readable_articles(viewer, article_cls, network_cls, now):
    """Clause: articles whose page this viewer may open, whatever their status:
    ``can_read_article`` in SQL (keep the two in step). Admins: every article;
    authors: their own, in networks they may know exist; everyone: the live ones
    that ``visible_articles`` lists for them."""
    from sqlalchemy import select

    if is_admin(viewer):
        return true()
    live = visible_articles(viewer, article_cls, network_cls, now)
    if not is_signed_in(viewer):
        return live
    own = (article_cls.author_id == viewer.id) & or_(
        article_cls.network_id.is_(None),
        article_cls.network_id.in_(select(network_cls.id).where(
            visible_networks(viewer, network_cls))))
    return or_(live, own)


def visible_comments(viewer, comment_cls):
    """Clause: comments shown in a discussion (text or placeholder) to this viewer."""
    if is_staff(viewer):
        return true()
    shown = comment_cls.status.in_(("visible", "hidden", "deleted"))
    if is_signed_in(viewer):
        return or_(shown, (comment_cls.status == "pending") & (comment_cls.author_id == viewer.id))
    return shown

# --- forum ---------------------------------------------------------------

def can_see_thread(user, thread) -> bool:
    """The thread page: its network's content is readable, and the thread is
    visible (pending: its author and moderators; hidden: moderators only)."""
    if thread is None or not can_read_network_content(user, thread.network):
        return False
    if thread.status == "visible":
        return True
    if can_moderate_network(user, thread.network):
        return True
    return thread.status == "pending" and is_signed_in(user) and thread.author_id == user.id


def can_see_post_text(user, post, network) -> bool:
    """Visible posts to every reader; pending ones to their author and
    moderators; hidden and deleted text to moderators only."""
    if post.status == "visible":
        return True
    if can_moderate_network(user, network):
        return True
    return post.status == "pending" and is_signed_in(user) and post.author_id == user.id


def can_start_thread(user, network) -> bool:
    return can_post_in_network(user, network)


def can_reply_to_thread(user, thread) -> bool:
    return (thread.status == "visible" and not thread.locked
            and can_post_in_network(user, thread.network))


def can_edit_post(user, post, thread) -> bool:
    """Authors edit their own visible or pending posts while they may post there."""
    return (is_signed_in(user) and post.author_id == user.id
            and post.status in ("visible", "pending") and not thread.locked
            and thread.status != "hidden" and can_post_in_network(user, thread.network))


def can_delete_own_post(user, post) -> bool:
    return (is_signed_in(user) and post.author_id == user.id and not user.is_suspended
            and post.status in ("visible", "pending"))


def can_read_post_history(user, network) -> bool:
    return can_moderate_network(user, network)


def can_watch_thread(user, thread) -> bool:
    return is_signed_in(user) and can_see_thread(user, thread)


def thread_readers(thread, user_cls, membership_cls):
    """Clause on users: those who may see this thread now (``can_see_thread`` in
    SQL), so its watchers who have left the network, or cannot see a hidden
    thread, are told nothing. Keep in step with ``can_see_thread``."""
    from sqlalchemy import exists

    staff = user_cls.role.in_([role for role, rank in ROLE_RANK.items()
                               if rank >= ROLE_RANK["moderator"]])

    def holds(*roles):
        return exists().where(membership_cls.user_id == user_cls.id,
                              membership_cls.network_id == thread.network_id,
                              membership_cls.role.in_(roles))

    moderators = staff | holds("manager")
    readers = true() if thread.network.visibility == "open" else staff | holds("member", "manager")
    if thread.status == "visible":
        return readers
    if thread.status == "pending":
        return readers & (moderators | (user_cls.id == thread.author_id))
    return readers & moderators

# --- moderation -------------------------------------------------------------

def managed_network_ids(user) -> list[int]:
    """Ids of the networks this person manages (moderates)."""
    if not is_signed_in(user):
        return []
    return sorted(nid for nid, role in user.network_roles.items() if role == "manager")


def can_see_review_queue(user) -> bool:
    """Site moderators, and managers of at least one network (their networks only)."""
    return is_staff(user) or bool(managed_network_ids(user))


def can_view_moderation_log(user) -> bool:
    return can_see_review_queue(user)


def can_moderate_content(user, network) -> bool:
    """Content outside any network: site moderators only; inside one: its managers too."""
    if network is None:
        return is_staff(user)
    return can_moderate_network(user, network)


def moderated_content(viewer, network_column):
    """Clause on content by its network id: ``can_moderate_content`` in SQL (everything
    for site moderators; their own networks for managers; content outside networks
    for site moderators only)."""
    if is_staff(viewer):
        return true()
    managed = managed_network_ids(viewer)
    return network_column.in_(managed) if managed else false()


def can_decide_on(user, author_id: int | None) -> bool:
    """Nobody judges their own case: approving, rejecting, upholding or dismissing flags
    is for someone other than the content's author."""
    return is_signed_in(user) and user.id != author_id


def own_content(viewer, author_column):
    """Clause on content by its author column: this viewer wrote it (the SQL twin of
    ``not can_decide_on``; the review queue leaves these rows out)."""
    return author_column == viewer.id if is_signed_in(viewer) else false()


def approval_counts_for_trust(actor, author_id: int | None, network) -> bool:
    """Trust is earned from other people's decisions: an approval counts towards the
    author's ``trusted`` only when made by site staff, or by a manager of a network
    the author did not create (a founder's own co-managers do not vouch for them)."""
    if not can_decide_on(actor, author_id):
        return False
    if is_staff(actor):
        return True
    return (network is not None and network.created_by_id != author_id
            and can_moderate_network(actor, network))


def reviewable_comments(viewer, comment_cls, article_cls, network_cls, now):
    """Clause on comments joined to their articles: those the review queue lists,
    counts and lets this viewer act on. The queue's actions refuse a comment unless
    the viewer may read its article (``can_read_article``: drafts, scheduled and
    withdrawn articles are for their author and admins) and moderates where it is
    (``can_moderate_content``); this is those two rules in SQL, so nothing waits in
    the queue that the viewer could never act on, and no text leaks through it."""
    return (moderated_content(viewer, article_cls.network_id)
            & readable_articles(viewer, article_cls, network_cls, now))


def can_see_content(user, network, status: str, author_id: int | None) -> bool:
    """May this viewer see one post, comment or thread (already inside something they
    may read)? Visible content: yes. Pending: its author and moderators. Hidden or
    deleted: its moderators only (they review flags on it); everyone else gets a 404."""
    if status == "visible":
        return True
    if status == "pending" and is_signed_in(user) and user.id == author_id:
        return True
    return can_moderate_content(user, network)


ESTABLISHED_AFTER = timedelta(days=7)


def can_be_hidden_by_flags(author) -> bool:
    """Flags alone never hide the words of staff or trusted members: their moderators
    are told instead, and a person decides."""
    return author is not None and not is_staff(author) and not author.trusted


def established_flaggers(user_cls, membership_cls, network_id: int | None, now):
    """Clause on users: those whose flags count towards hiding content automatically.
    Trusted members and staff; for content in a network, its members of at least
    ESTABLISHED_AFTER; for content outside any network (article comments), accounts at
    least ESTABLISHED_AFTER old. A handful of new accounts cannot hide anyone's words."""
    settled = now - ESTABLISHED_AFTER
    staff = user_cls.role.in_([role for role, rank in ROLE_RANK.items()
                               if rank >= ROLE_RANK["moderator"]])
    if network_id is None:
        standing = user_cls.created_at <= settled
    else:
        standing = exists().where(membership_cls.user_id == user_cls.id,
                                  membership_cls.network_id == network_id,
                                  membership_cls.created_at <= settled)
    return user_cls.trusted | staff | standing


def can_flag_content(user, author_id: int | None) -> bool:
    """Signed-in people may flag what they can see, except their own words."""
    return is_signed_in(user) and not user.is_suspended and user.id != author_id


def can_sanction_member(actor, member) -> bool:
    """Silence, suspend, trust: site moderators, over members and associates, never staff
    (admins change staff in /admin) and never themselves."""
    return (can_moderate_site(actor) and member is not None and not is_staff(member)
            and actor.id != member.id)


def is_silenced_member(user) -> bool:
    """Show the "You cannot post until ..." notice where this person would post."""
    return is_signed_in(user) and bool(user.is_silenced)
