"""Articles: writing, publishing, series and tags, and the lists pages read.
Comments live in ``articles/comments.py``."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, lazyload, raiseload

from network.accounts.models import User
from network.articles import announcing
from network.articles.models import Article, Comment, Series, Tag, article_tag
from network.core import cards, policy
from network.core.cache import remembered_rows
from network.core.errors import Conflict, Invalid, PermissionDenied
from network.core.slugs import slugify, unique_slug
from network.core.text import render_markdown
from network.core.time import utcnow
from network.extensions import db
from network.moderation.log import move_flags, record_action
from network.networks.models import Network
from network.search import index as search_index

RESERVED_SLUGS = {"new", "feed", "mine"}  # /articles/<these> are other pages


# --- slugs and tags ----------------------------------------------------------

def _unique_slug(model, text: str, fallback: str) -> str:
    """The title's slug, with a random suffix when it is taken (core.slugs)."""
    return unique_slug(model.slug, text, fallback=fallback, max_length=100,
                       reserved=RESERVED_SLUGS)


def tags_from_text(text: str) -> list[Tag]:
    """Comma-separated names -> Tag rows, created as needed (one per slug).

    Missing tags are inserted with ON CONFLICT DO NOTHING, so two people adding
    the same new tag at the same moment both succeed (on PostgreSQL the second
    insert waits for the first transaction, then finds its row)."""
    wanted: dict[str, str] = {}
    for name in (text or "").split(","):
        name = " ".join(name.split())[:60]
        slug = slugify(name, 60)
        if slug and slug not in wanted:
            wanted[slug] = name
    if not wanted:
        return []
    existing = {t.slug: t for t in db.session.scalars(select(Tag).where(Tag.slug.in_(wanted)))}
    missing = [{"slug": slug, "name": name} for slug, name in wanted.items()
               if slug not in existing]
    if missing:
        dialect = db.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        db.session.execute(insert(Tag).values(missing).on_conflict_do_nothing())
        existing = {t.slug: t for t in db.session.scalars(
            select(Tag).where(Tag.slug.in_(wanted)))}
    return [existing[slug] for slug in wanted]


# --- writing -----------------------------------------------------------------

@dataclass
class ArticleInput:
    title: str
    standfirst: str = ""
    body: str = ""
    tags: str = ""
    network_id: int | None = None
    series_id: int | None = None
    new_series: str = ""
    series_part: int | None = None
    author_bio: str | None = None
    publish_at: datetime | None = None


ACTIONS = ("draft", "publish", "schedule", "withdraw")


def author_networks(author) -> list[Network]:
    """Networks the author may place an article in (those they belong to)."""
    ids = list(author.network_roles)
    if not ids:
        return []
    return list(db.session.scalars(select(Network).where(Network.id.in_(ids),
                                                         Network.archived_at.is_(None))
                                   .order_by(Network.name)))


def author_series(author) -> list[Series]:
    return list(db.session.scalars(select(Series).where(Series.author_id == author.id)
                                   .order_by(Series.title)))


def _series_part(article: Article, series: Series | None, part: int | None) -> int | None:
    """The article's part number in its series: the one asked for, refused beside
    ``series_part`` when another article of the series has it; none asked for, the
    one it has in that series already, or the next free one (1 in a new series).
    The unique constraint on (series, part) catches two saves at the same moment."""
    if series is None:
        return None
    if series.id is None:  # a series started with this article
        return part or 1
    if part is None:
        if article.series_id == series.id and article.series_part is not None:
            return article.series_part
        return (db.session.scalar(select(func.max(Article.series_part))
                                  .where(Article.series_id == series.id)) or 0) + 1
    others = select(Article).where(Article.series_id == series.id, Article.series_part == part)
    if article.id is not None:
        others = others.where(Article.id != article.id)
    holder = db.session.scalar(others.limit(1))
    if holder is not None:
        raise Invalid(f"Part {part} of this series is already “{holder.title}”. "
                      "Choose another part number.", field="series_part")
    return part


def _apply(article: Article, author, data: ArticleInput) -> None:
    network = None
    if data.network_id is not None:
        network = db.session.get(Network, data.network_id)
        if network is None or not policy.is_network_member(author, network) \
                or network.is_archived:
            raise Invalid("Choose a network you are a member of, or none.", field="network")
    series = None
    if data.new_series.strip():
        series = Series(title=data.new_series.strip(), author_id=author.id,
                        slug=_unique_slug(Series, data.new_series, "series"))
        db.session.add(series)
    elif data.series_id is not None:
        series = db.session.get(Series, data.series_id)
        if series is None or series.author_id != author.id:
            raise Invalid("Choose one of your series, or start a new one.", field="series")
    if series is None and data.series_part is not None:
        raise Invalid("Choose a series for this part, or leave the part number empty.",
                      field="series_part")
    with db.session.no_autoflush:  # the article's own row is not written before the check
        part = _series_part(article, series, data.series_part)
    article.title = data.title.strip()
    article.standfirst = (data.standfirst or "").strip()
    article.body = data.body
    article.body_html = render_markdown(data.body)
    article.network = network
    article.series = series
    article.series_part = part
    article.tags = tags_from_text(data.tags)
    bio = (data.author_bio or "").strip()
    if bio == (author.bio or "").strip():
        article.author_bio = article.author_bio_html = None  # follow the profile
    else:
        article.author_bio = bio
        article.author_bio_html = render_markdown(bio)


def _publish(article: Article, action: str, publish_at: datetime | None, now: datetime) -> bool:
    """Status and dates. ``published_at`` in the past means the article has been on
    the site, and from then on it never changes: saved as a draft, withdrawn and
    published again, it keeps its first date and shows when it was updated. A date
    in the future is a schedule, dropped when the article goes back to draft or is
    withdrawn. Only articles never published can be scheduled. True when the article
    has just gone live (to be announced, unless it was once already)."""
    published_before = article.published_at is not None and article.published_at <= now
    was_live = policy.is_article_live(article, now)
    if action in ("draft", "withdraw"):
        article.status = "draft" if action == "draft" else "withdrawn"
        if not published_before:
            article.published_at = None
    elif action == "publish":
        if published_before:
            article.updated_at = now
        else:
            article.published_at = now
        article.status = "published"
        if not was_live and article.network is not None:
            # A new article is activity in its network (the directory's "recent"
            # sort), saved with the article. Set on the object, not by an UPDATE
            # statement: that would flush the new article before create_article
            # can catch a slug taken in the meantime.
            article.network.last_activity_at = now
        return not was_live
    elif action == "schedule":
        if published_before:
            raise Invalid(f"This article was published on {article.published_at:%d %B %Y} and "
                          "keeps that date, so it cannot be scheduled. Save your changes with "
                          "Publish instead.", field="publish_at")
        if publish_at is None or publish_at <= now:
            raise Invalid("Choose a date and time in the future to schedule publication.",
                          field="publish_at")
        article.status = "published"
        article.published_at = publish_at
    else:
        raise Invalid("Choose what to do with the article.")
    return False


def create_article(author, data: ArticleInput, action: str) -> Article:
    """Create an article as a draft, published now or scheduled. Commits.
    Two people saving the same title (or new tag) at once: the loser retries."""
    if not policy.can_write_articles(author):
        raise PermissionDenied("Only associates may write articles.")
    if action == "withdraw":
        raise Invalid("A new article cannot be withdrawn.")
    for _attempt in range(3):
        now = utcnow()
        article = Article(author_id=author.id, slug=_unique_slug(Article, data.title, "article"),
                          status="draft", created_at=now, comments_open=True, comment_count=0)
        with db.session.no_autoflush:
            _apply(article, author, data)
        db.session.add(article)
        goes_live = _publish(article, action, data.publish_at, now)
        if goes_live:
            article.announced_at = now  # a new row: nobody else can have announced it
        try:
            search_index.index_article(article)
            cards.record("article", article.id, article.body_html)
            if goes_live and article.network is not None:
                announcing.tell_network_watchers(article)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        return article
    raise Conflict("The article could not be saved just now. Try again.")


def update_article(editor, article: Article, data: ArticleInput, action: str) -> Article:
    """Save changes. The slug never changes; edits after publication keep the
    published date and set updated_at. Commits."""
    if not policy.can_edit_article(editor, article):
        raise PermissionDenied("You cannot edit this article.")
    now = utcnow()
    old_network_id = article.network_id
    _apply(article, article.author, data)
    new_network_id = article.network.id if article.network is not None else None
    if new_network_id != old_network_id:
        move_flags("comment", select(Comment.id).where(Comment.article_id == article.id),
                   new_network_id)
    goes_live = _publish(article, action, data.publish_at, now)
    if editor.id != article.author_id:
        record_action(editor, f"article_{action}", "article", article.id,
                      network_id=article.network_id)
    part = article.series_part
    try:
        search_index.index_article(article)
        cards.record("article", article.id, article.body_html)
        # Announced once: not again when withdrawn and published anew, nor when the
        # timer's `announce-due` got there first.
        if goes_live and announcing.claim(article.id, now) and article.network is not None:
            announcing.tell_network_watchers(article)
        db.session.commit()
    except IntegrityError:  # the part number was taken by a save at the same moment
        db.session.rollback()
        raise Conflict(f"Part {part} of this series was taken just now. "
                       "Choose another part number.", field="series_part") from None
    return article


# --- reading -----------------------------------------------------------------

def _with_network():
    """The article's network in the same query, without its topics and region
    (pages need only its name, slug and visibility)."""
    return joinedload(Article.network).options(lazyload(Network.topics),
                                               lazyload(Network.region))


def get_article(slug: str) -> Article | None:
    if not slug or len(slug) > 120:
        return None
    return remembered_rows(("article", slug), lambda: db.session.scalar(
        select(Article).where(Article.slug == slug)
        .options(joinedload(Article.author), _with_network(), joinedload(Article.series))))


def visible_tag(viewer, slug: str) -> Tag | None:
    """The tag, when an article this viewer may read carries it: a tag used only in
    networks the viewer cannot read is not confirmed to exist (nor its name shown)."""
    if not slug or len(slug) > 60:
        return None
    return db.session.scalar(select(Tag).where(
        Tag.slug == slug,
        Tag.id.in_(select(article_tag.c.tag_id)
                   .join(Article, Article.id == article_tag.c.article_id)
                   .where(policy.visible_articles(viewer, Article, Network, utcnow()))))
        .options(raiseload("*")))


def list_articles(viewer, tag: Tag | None = None, author=None, network: Network | None = None,
                  sector: str = ""):
    """Statement: live articles the viewer may read, newest first, with their
    authors and networks (tags load in one more query); ``sector``: by authors from
    that sector (a key of ``accounts.models.SECTORS``)."""
    stmt = (select(Article).where(policy.visible_articles(viewer, Article, Network, utcnow()))
            .options(joinedload(Article.author), _with_network())
            .order_by(Article.published_at.desc(), Article.id.desc()))
    if tag is not None:
        stmt = stmt.where(Article.id.in_(select(article_tag.c.article_id)
                                         .where(article_tag.c.tag_id == tag.id)))
    if author is not None:
        stmt = stmt.where(Article.author_id == author.id)
    if network is not None:
        stmt = stmt.where(Article.network_id == network.id)
    if sector:
        stmt = stmt.where(Article.author_id.in_(select(User.id).where(User.sector == sector)))
    return stmt


def own_articles(author):
    """Statement: every article this person wrote, whatever its state (drafts,
    scheduled, published, withdrawn), newest first, with its network in the same
    query (no tags)."""
    return (select(Article).where(Article.author_id == author.id)
            .options(_with_network(), raiseload(Article.tags))
            .order_by(Article.created_at.desc(), Article.id.desc()))


def latest_articles(viewer, limit: int = 3) -> list[Article]:
    """The newest articles the viewer may read, in one query (no tags), none from an
    archived network (as the home page's active threads)."""
    outside_archives = or_(Article.network_id.is_(None), Article.network_id.not_in(
        select(Network.id).where(Network.archived_at.is_not(None))))
    return list(db.session.scalars(
        list_articles(viewer).where(outside_archives).options(raiseload(Article.tags))
        .limit(limit)).unique())


def latest_network_articles(network: Network, limit: int = 5) -> list[Article]:
    """A network's published articles (not scheduled ones), newest first (its home
    page), with their authors (named when folded away for one who muted them). Call
    only when the viewer may read them."""
    return list(db.session.scalars(
        select(Article).options(raiseload(Article.tags), joinedload(Article.author))
        .where(Article.network_id == network.id, Article.status == "published",
               Article.published_at <= utcnow())
        .order_by(Article.published_at.desc(), Article.id.desc()).limit(limit)))


def public_articles(limit: int = 20, network: Network | None = None) -> list[Article]:
    """Live articles anyone may read (outside networks or in open ones), for feeds."""
    return list(db.session.scalars(
        list_articles(policy.Anonymous(), network=network).options(raiseload(Article.tags))
        .limit(limit)).unique())


def related_articles(viewer, article: Article, limit: int = 3) -> list[Article]:
    """Articles sharing a tag with this one, that the viewer may read (one query)."""
    tag_ids = [t.id for t in article.tags]
    if not tag_ids:
        return []
    return list(db.session.scalars(
        list_articles(viewer).options(raiseload(Article.tags))
        .where(Article.id != article.id,
               Article.id.in_(select(article_tag.c.article_id)
                              .where(article_tag.c.tag_id.in_(tag_ids))))
        .limit(limit)).unique())


def series_parts(viewer, article: Article) -> list:
    """(id, slug, title, part) of the series' parts the viewer may read, in order."""
    if article.series_id is None:
        return []
    now = utcnow()
    visible = policy.visible_articles(viewer, Article, Network, now)
    return db.session.execute(
        select(Article.id, Article.slug, Article.title, Article.series_part)
        .where(Article.series_id == article.series_id,
               visible | (Article.id == article.id))
        .order_by(Article.series_part, Article.published_at, Article.id)).all()
