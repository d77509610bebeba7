"""The index is kept current in the same transaction as each write, by the services
that write, and `flask search reindex` rebuilds exactly what they kept."""
from datetime import timedelta

from sqlalchemy import select

from network.accounts import leaving
from network.accounts import services as accounts
from network.accounts.models import User
from network.articles import comments as article_comments
from network.articles import services as articles
from network.articles.models import Article
from network.core.time import utcnow
from network.extensions import db
from network.forum import services as forum
from network.forum import thread_moderation
from network.forum.models import Post
from network.moderation import services as moderation
from network.networks import services as networks
from network.networks.models import Network
from network.search.models import SearchDocument
from tests.factories import TEST_PASSWORD
from tests.practices.conftest import practice_form


def _get(model, row_id):
    return db.session.get(model, row_id)


def _write_everything(app, make_user, make_network, as_user):
    """A little of every kind of content, made the way people make it (services and
    pages), then changed the ways that matter to search. Returns the people."""
    author = make_user(role="associate", username="writer", display_name="Wendy Writer")
    moderator = make_user(role="moderator", username="mod")
    reader = make_user(username="reader", display_name="Rita Reader", bio="Ward **sister**.",
                       trusted=True)
    home = make_network(name="Frailty North", members=[author, reader], managers=[moderator])
    other = make_network(name="Elsewhere", managers=[author, moderator])
    response = as_user(author).post("/practices/new", data=practice_form())
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    with app.app_context():
        author_, moderator_ = _get(User, author.id), _get(User, moderator.id)
        thread = forum.create_thread(author_, _get(Network, home.id), "Discharge to assess",
                                     "How do you run discharge to assess?")
        reply = forum.reply(_get(User, reader.id), thread, "We use a *trusted assessor*.")
        forum.edit_post(_get(User, reader.id), reply, "We use a trusted assessor model.")
        forum.reply(author_, thread, "Thanks, that helps.")
        thread_moderation.set_locked(moderator_, thread, True, "Answered")
        thread_moderation.move_thread(moderator_, thread, _get(Network, other.id), "Better there")
        target = moderation.get_target("post", reply.id, moderator_)
        moderation.set_hidden(moderator_, target, True, "Off topic")
        article = articles.create_article(author_, articles.ArticleInput(
            title="Virtual wards one year on", standfirst="What we learnt",
            body="Virtual wards need **nurses**.", network_id=home.id), "publish")
        comment = article_comments.add_comment(_get(User, reader.id), article, "Agreed!")
        article_comments.edit_comment(_get(User, reader.id), comment, "Agreed, nurses first.")
        draft = articles.create_article(author_, articles.ArticleInput(
            title="Unfinished thoughts", body="Draft words"), "draft")
        articles.update_article(author_, article, articles.ArticleInput(
            title="Virtual wards: one year on", body="Virtual wards need nurses.",
            network_id=home.id), "publish")
        articles.update_article(author_, draft, articles.ArticleInput(
            title="Unfinished thoughts", body="Draft words"), "publish")
        articles.update_article(author_, draft, articles.ArticleInput(
            title="Unfinished thoughts", body="Draft words"), "withdraw")
        networks.update_network(moderator_, _get(Network, home.id), name="Frailty North East",
                                summary="Older people's care", description="Frailty *work*",
                                region=None, topic_ids=[], visibility="private")
        accounts.update_profile(_get(User, reader.id), display_name="Rita Reader-Jones",
                                job_title="Ward sister", organisation="City Hospital",
                                sector="nhs", region_id=None, bio="Ward sister.")
        gone = make_user(username="leaver")
        leaving.delete_account(_get(User, gone.id), TEST_PASSWORD)
    return {"author": author, "reader": reader, "moderator": moderator}


def test_a_rebuilt_index_equals_the_one_the_services_kept(app, make_user, make_network,
                                                           as_user, index_rows, reindex):
    _write_everything(app, make_user, make_network, as_user)
    kept = index_rows()
    assert {row[0] for row in kept} >= {"network", "thread", "post", "article", "comment",
                                        "practice", "member"}
    reindex()
    assert index_rows() == kept


def test_each_write_is_in_the_index_at_once(app, make_user, make_network, as_user):
    people = _write_everything(app, make_user, make_network, as_user)
    with app.app_context():
        rows = {(d.kind, d.title or d.body): d for d in db.session.scalars(select(SearchDocument))}
        thread = rows[("thread", "Discharge to assess")]
        other = db.session.scalar(select(Network).where(Network.name == "Elsewhere"))
        assert thread.network_id == other.id and thread.locked  # moved and locked
        hidden = rows[("post", "We use a trusted assessor model.")]  # edited, then hidden
        assert hidden.status == "hidden" and hidden.network_id == other.id and hidden.locked
        assert ("article", "Virtual wards: one year on") in rows
        assert ("article", "Unfinished thoughts") not in rows  # withdrawn
        comment = rows[("comment", "Agreed, nurses first.")]
        assert comment.network_visibility == "private"  # its network turned private
        member = rows[("member", "Rita Reader-Jones")]
        assert "City Hospital" in member.summary and "@" not in member.summary + member.body
        assert not any(kind == "member" and d.slug == "leaver" for (kind, _), d in rows.items())
        assert people["reader"].email not in " ".join(d.summary + d.body for d in rows.values())


def test_a_rejected_first_post_hides_its_thread_in_the_index(app, make_user, make_network):
    newcomer = make_user(trusted=False)
    moderator = make_user(role="moderator")
    network = make_network(members=[newcomer])
    with app.app_context():
        thread = forum.create_thread(_get(User, newcomer.id), _get(Network, network.id),
                                     "First question", "Hello all")
        first = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
        moderation.reject_content(_get(User, moderator.id),
                                  moderation.get_target("post", first.id, _get(User, moderator.id)),
                                  "Spam")
        statuses = dict(db.session.execute(select(SearchDocument.kind, SearchDocument.status)
                                           .where(SearchDocument.parent_id == thread.id)).all())
        assert statuses["thread"] == "hidden" and statuses["post"] != "visible"


def test_a_scheduled_article_is_indexed_but_found_only_once_live(app, make_user, find):
    author = make_user(role="associate")
    with app.app_context():
        articles.create_article(_get(User, author.id), articles.ArticleInput(
            title="Scheduled staffing plans", body="Words",
            publish_at=utcnow() + timedelta(days=2)), "schedule")
    assert find("staffing") == []
    with app.app_context():
        article = db.session.scalar(select(Article))
        db.session.execute(SearchDocument.__table__.update().values(
            created_at=utcnow() - timedelta(minutes=1)))
        article.published_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert find("staffing") == [("article", "Scheduled staffing plans")]


def test_the_reindex_command_reports_what_it_indexed(app, make_user, make_network, make_thread):
    make_thread(make_network(), make_user(), posts=2)
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed" in result.output
    with app.app_context():
        kinds = set(db.session.scalars(select(SearchDocument.kind)))
    assert kinds >= {"network", "thread", "post", "member"}
