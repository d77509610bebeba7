"""Articles: the list, the article page with its comments, writing, and feeds."""
from flask import (Blueprint, abort, current_app, flash, make_response, redirect,
                   render_template, request, url_for)
from flask_login import login_required

from network.accounts.models import SECTORS
from network.accounts.muting import muted_ids
from network.articles import comments as discussion
from network.articles import queries, services
from network.articles.forms import ArticleForm, CommentForm
from network.articles.models import Article, Comment
from network.core import cards, policy
from network.core.converters import parse_id
from network.core.forms import ActionForm, attempt
from network.core.handlers import refuse
from network.core.pagination import page_arg, paginate
from network.core.security import limit_edits
from network.core.text import render_markdown
from network.core.time import utcnow
from network.core.viewer import viewer as _viewer
from network.extensions import limiter, login_manager

bp = Blueprint("articles", __name__)


ARTICLES_PER_PAGE = 20


def _readable_article(slug: str) -> Article:
    """Load -> check access: 404 for what does not exist or may not be seen."""
    article = services.get_article(slug)
    if article is None or not policy.can_read_article(_viewer(), article, utcnow()):
        abort(404)
    return article


def _comment_key() -> str:
    return f"comment:{getattr(_viewer(), 'id', None) or request.remote_addr}"


# --- reading -----------------------------------------------------------------

@bp.route("/articles/")
def index():
    tag = author = network = None
    if request.args.get("tag"):
        tag = services.visible_tag(_viewer(), request.args["tag"][:60])
        if tag is None:
            abort(404)
    if request.args.get("author"):
        author = queries.author_named(request.args["author"][:30])
        if author is None:
            abort(404)
    if request.args.get("network"):
        network = queries.network_with_slug(request.args["network"][:80])
        if network is None or not policy.can_view_network(_viewer(), network):
            abort(404)
    sector, sector_error = request.args.get("sector") or "", None
    if sector and sector not in SECTORS:
        # Said beside the filter, and left out, rather than silently ignored.
        sector, sector_error = "", "We do not know that sector. Choose one from the list."
    stmt = services.list_articles(_viewer(), tag=tag, author=author, network=network,
                                  sector=sector)
    page_number = page_arg()
    # The rows are loaded inside a fragment shared by viewers of the same reach.
    return render_template("articles/index.html", tag=tag, author=author, network=network,
                           sector=sector, sector_error=sector_error, sectors=SECTORS,
                           rows_key=("rows", policy.reach_key(_viewer())),
                           load_page=lambda: paginate(stmt, page_number,
                                                      per_page=ARTICLES_PER_PAGE)
                           ), 400 if sector_error else 200


@bp.route("/articles/mine")
@login_required
def own_articles():
    """The signed-in person's own articles, in every state, so they can get back
    to their drafts, scheduled and withdrawn pieces (admins see only theirs too)."""
    page = paginate(services.own_articles(_viewer()), page_arg(), per_page=ARTICLES_PER_PAGE)
    return render_template("articles/mine.html", page=page, now=utcnow())


@bp.route("/articles/<slug>")
def article(slug):
    article = _readable_article(slug)
    return _render_article(article)


@bp.route("/comments/<id:comment_id>")
def comment(comment_id):
    """A link to one comment: lands on the page of the discussion that shows it."""
    found = discussion.shown_comment(_viewer(), comment_id)
    if found is None or not policy.can_read_article(_viewer(), found.article, utcnow()):
        abort(404)
    page = discussion.comment_page_number(_viewer(), found)
    return redirect(url_for("articles.article", slug=found.article.slug,
                            page=page if page > 1 else None) + f"#comment-{found.id}")


def _render_article(article, form=None, status=200):
    viewer = _viewer()
    now = utcnow()
    page_number = page_arg()
    if form is None and policy.can_comment(viewer, article, now):
        form = CommentForm()
        target = queries.reply_target(article, parse_id(request.args.get("reply_to")))
        if target is not None:
            form.body.data = discussion.quote_for_reply(target)
            form.reply_to.data = str(target.id)

    def load_series():
        parts = services.series_parts(viewer, article)
        position = next((i for i, p in enumerate(parts) if p.id == article.id), None)
        previous_part = parts[position - 1] if position else None
        next_part = (parts[position + 1] if position is not None and position + 1 < len(parts)
                     else None)
        return parts, previous_part, next_part

    def load_comments():
        comments = paginate(discussion.comments_statement(viewer, article), page_number,
                            per_page=discussion.COMMENTS_PER_PAGE)
        return (comments, {c.id for c in comments.items},
                discussion.removed_by_moderators(comments.items),
                cards.load(viewer, "comment", [c.id for c in comments.items]))

    # Everything the list of comments depends on besides the comments themselves;
    # they are loaded inside the fragment, so only when it is not already kept.
    # Comments by people the viewer muted are folded away: whom is part of the key.
    muted = muted_ids(viewer)
    comments_key = ("comments", article.id, page_number, viewer.is_authenticated,
                    form is not None, policy.is_staff(viewer),
                    policy.can_moderate_article(viewer, article),
                    viewer.id if discussion.has_commented(viewer, article) else 0,
                    tuple(sorted(muted)),
                    policy.reach_key(viewer))  # the practice cards follow it
    return render_template(
        "articles/article.html", article=article, form=form, now=now,
        comments_key=comments_key, load_comments=load_comments, load_series=load_series,
        muted=muted,
        load_related=lambda: services.related_articles(viewer, article),
        load_cards=lambda: cards.load(viewer, "article", [article.id]).get(article.id, []),
        # The article itself, its series and related articles, as this reach sees them.
        article_key=("article", article.id, policy.reach_key(viewer),
                     policy.can_edit_article(viewer, article))), status


# --- writing -----------------------------------------------------------------

def _article_form(author, article=None):
    form = ArticleForm(obj=article if request.method == "GET" else None)
    form.network.choices = [("", "No network (public)")] + [
        (n.id, f"{n.name} ({n.visibility})") for n in services.author_networks(author)]
    form.series.choices = [("", "Not part of a series")] + [
        (s.id, s.title) for s in services.author_series(author)]
    if request.method == "GET":
        if article is None:
            form.author_bio.data = author.bio
        else:
            form.tags.data = ", ".join(t.name for t in article.tags)
            form.network.data = article.network_id
            form.series.data = article.series_id
            form.author_bio.data = (article.author_bio if article.author_bio is not None
                                    else article.author.bio)
            if article.status == "published" and article.published_at > utcnow():
                form.publish_at.data = article.published_at
            else:
                form.publish_at.data = None
    return form


def _input(form) -> services.ArticleInput:
    return services.ArticleInput(
        title=form.title.data or "", standfirst=form.standfirst.data or "",
        body=form.body.data or "", tags=form.tags.data or "", network_id=form.network.data,
        series_id=form.series.data, new_series=form.new_series.data or "",
        series_part=form.series_part.data, author_bio=form.author_bio.data,
        publish_at=form.publish_at.data)


def _write(form, article=None):
    """Shared POST handling of the new and edit forms. Returns a response or None."""
    action = request.form.get("action", "")
    if action == "preview":
        form.validate()
        return None
    if action not in services.ACTIONS:
        form.form_errors.append("Choose what to do: save a draft, publish or schedule.")
        return None
    if not form.validate():
        return None
    def save():
        if article is None:
            return services.create_article(_viewer(), _input(form), action)
        return services.update_article(_viewer(), article, _input(form), action)

    outcome = attempt(save, form)
    if not outcome:
        return None
    saved = outcome.value
    if action == "schedule":
        message = f"Article scheduled for {saved.published_at:%d %B %Y, %H:%M} UTC."
    else:  # a draft may have no date: format one only for the action that has it
        message = {"draft": "Draft saved.", "publish": "Article published.",
                   "withdraw": "Article withdrawn."}[action]
    flash(message, "success")
    return redirect(url_for("articles.article", slug=saved.slug))


def _form_page(form, article=None):
    preview = None
    if request.method == "POST" and request.form.get("action") == "preview":
        preview = render_markdown(form.body.data or "")
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("articles/edit.html", form=form, article=article,
                           preview=preview, now=utcnow()), status


@bp.route("/articles/new", methods=["GET", "POST"])
@login_required
def new_article():
    if not policy.can_write_articles(_viewer()):
        refuse(_viewer())
    form = _article_form(_viewer())
    if request.method == "POST":
        response = _write(form)
        if response is not None:
            return response
    return _form_page(form)


@bp.route("/articles/<slug>/edit", methods=["GET", "POST"])
@limit_edits
@login_required
def edit_article(slug):
    article = _readable_article(slug)
    if not policy.can_edit_article(_viewer(), article):
        abort(403)
    form = _article_form(article.author, article)
    if request.method == "POST":
        response = _write(form, article)
        if response is not None:
            return response
    return _form_page(form, article)


@bp.route("/articles/<slug>/comments/close", methods=["POST"])
@login_required
def close_comments(slug):
    article = _readable_article(slug)
    if not policy.can_close_comments(_viewer(), article):
        abort(403, discussion.comments_refusal(article))
    if not ActionForm().validate_on_submit():
        abort(400)
    is_open = request.form.get("state") == "open"
    discussion.set_comments_open(_viewer(), article, is_open)
    flash("Comments reopened." if is_open else "Comments closed.", "success")
    return redirect(url_for("articles.article", slug=article.slug) + "#comments")


# --- comments ----------------------------------------------------------------

@bp.route("/articles/<slug>/comments", methods=["POST"])
@limiter.limit("10 per minute", key_func=_comment_key, methods=["POST"])
def add_comment(slug):
    if not _viewer().is_authenticated:
        # Back to the article after signing in: this address answers POST only.
        flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(url_for("accounts.login",
                                next=url_for("articles.article", slug=slug) + "#comments"))
    article = _readable_article(slug)
    if not policy.can_comment(_viewer(), article, utcnow()):
        refuse(_viewer())
    form = CommentForm()
    if form.validate_on_submit():
        reply_to_id = parse_id(form.reply_to.data)
        outcome = attempt(lambda: discussion.add_comment(_viewer(), article, form.body.data,
                                                       reply_to_id), form, unnamed="raise")
        if not outcome and form.reply_to.errors:
            _drop_reply_target(form)
        if outcome:
            comment = outcome.value
            if comment.status == "pending":
                flash("Thank you. Your comment will appear when a moderator has approved it.",
                      "success")
            page = discussion.comment_page_number(_viewer(), comment)
            return redirect(url_for("articles.article", slug=article.slug,
                                    page=page if page > 1 else None)
                            + f"#comment-{comment.id}")
    return _render_article(article, form=form, status=400)


def _drop_reply_target(form) -> None:
    """The comment replied to may not be answered: say so beside the text (the target
    is a hidden field) and send the next press as a new comment."""
    form.body.errors = list(form.body.errors) + form.reply_to.errors
    form.reply_to.errors = []
    form.reply_to.raw_data = None
    form.reply_to.data = ""


def _own_comment(comment_id: int) -> Comment:
    comment = queries.comment(comment_id)
    if policy.comment_access(_viewer(), comment, utcnow()) is policy.Access.NOT_FOUND:
        abort(404)
    return comment


@bp.route("/comments/<id:comment_id>/edit", methods=["GET", "POST"])
@limit_edits
@login_required
def edit_comment(comment_id):
    comment = _own_comment(comment_id)
    if not policy.can_edit_comment(_viewer(), comment, utcnow()):
        abort(403)
    form = CommentForm(obj=comment if request.method == "GET" else None)
    if form.validate_on_submit():
        if attempt(lambda: discussion.edit_comment(_viewer(), comment, form.body.data), form,
                   unnamed="raise"):
            flash("Comment updated.", "success")
            # Its own address finds the page of the discussion that shows it.
            return redirect(url_for("articles.comment", comment_id=comment.id))
    return render_template("articles/edit_comment.html", form=form, comment=comment), \
        400 if form.errors or form.form_errors else 200


@bp.route("/comments/<id:comment_id>/delete", methods=["POST"])
@login_required
def delete_comment(comment_id):
    comment = _own_comment(comment_id)
    if not policy.can_delete_comment(_viewer(), comment):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    discussion.delete_comment(_viewer(), comment)
    flash("Your comment has been deleted.", "success")
    return redirect(url_for("articles.article", slug=comment.article.slug) + "#comments")


# --- feeds -------------------------------------------------------------------

def _feed(title, articles, self_url, alternate_url):
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    updated = max((a.updated_at or a.published_at for a in articles), default=None) or utcnow()
    body = render_template("articles/feed.xml", title=title, articles=articles, base=base,
                           self_url=base + self_url, alternate_url=base + alternate_url,
                           updated=updated)
    response = make_response(body)
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


@bp.route("/articles/feed.atom")
def feed():
    return _feed("What Works Network: articles", services.public_articles(),
                 url_for("articles.feed"), url_for("articles.index"))


@bp.route("/networks/<slug>/feed.atom")
def network_feed(slug):
    network = queries.network_with_slug(slug[:80])
    if network is None or network.visibility != "open":
        abort(404)
    return _feed(f"{network.name}: articles", services.public_articles(network=network),
                 url_for("articles.network_feed", slug=network.slug),
                 url_for("articles.index", network=network.slug))
