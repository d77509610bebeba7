"""@mentions: linked only for people who exist, notified only to those who may read."""
from sqlalchemy import select

from network.core.text import render_markdown, render_plain
from network.extensions import db
from network.notifications.models import Notification


def _told(app, kind="mention"):
    with app.app_context():
        return sorted(db.session.scalars(select(Notification.user_id)
                                         .where(Notification.kind == kind)))


def test_a_mention_links_to_the_profile_built_from_the_stored_name(app, make_user):
    make_user(username="Sally_C")
    with app.app_context():
        html = render_markdown("Thanks @sally_c, and @nobody-here too. `@sally_c` in code")
    assert '<a class="mention" href="/members/Sally_C">@sally_c</a>,' in html
    assert "@nobody-here" in html and "/members/nobody-here" not in html
    assert "<code>@sally_c</code>" in html


def test_mentions_in_links_addresses_and_code_blocks_stay_text(app, make_user):
    make_user(username="bob")
    with app.app_context():
        html = render_markdown("mail bob@example.org, see https://x.test/@bob\n\n"
                               "```\n@bob\n```\n\n[@bob](https://x.test/)")
        plain = render_plain("Hi @bob\n<b>@bob</b>")
    assert 'class="mention"' not in html
    assert plain.count('class="mention"') == 2 and "&lt;b&gt;" in plain


def test_a_typed_mention_link_cannot_inject_markup(app, make_user):
    make_user(username="eve")
    with app.app_context():
        html = render_markdown('@eve"><script>x</script> [a](javascript:alert(1)) @eve')
    assert "<script>" not in html and "href=\"javascript" not in html
    assert html.count('<a class="mention" href="/members/eve">@eve</a>') == 2


def test_mentioned_member_of_the_network_is_notified_and_outsider_is_not(
        app, make_user, make_network, make_thread, login):
    author = make_user(trusted=True)
    reader, outsider = make_user(username="reader1"), make_user(username="outsider1")
    network = make_network(visibility="private", members=[author, reader])
    thread = make_thread(network, author, title="Discharge")
    login(app.test_client(), author).post(
        f"/threads/{thread.id}/reply", data={"body": "@reader1 and @outsider1, thoughts?"})
    assert _told(app) == [reader.id]
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.kind == "mention"))
        assert note.url.startswith("/posts/") and note.network_id == network.id


def test_only_the_first_ten_distinct_names_notify(app, make_user, make_network, make_thread,
                                                  login):
    author = make_user(trusted=True)
    people = [make_user(username=f"person{n:02d}") for n in range(12)]
    network = make_network(members=[author, *people])
    thread = make_thread(network, author)
    body = " ".join(f"@person{n:02d} @PERSON{n:02d}" for n in range(12))
    login(app.test_client(), author).post(f"/threads/{thread.id}/reply", data={"body": body})
    assert _told(app) == sorted(p.id for p in people[:10])
    with app.app_context():
        from network.forum.models import Post
        html = db.session.scalars(select(Post.body_html).order_by(Post.id.desc())).first()
    assert html.count('class="mention"') == 24  # all of them linked


def test_mentioning_oneself_or_hundreds_of_nobodies_is_quiet(app, make_user, make_network,
                                                             make_thread, login):
    author = make_user(trusted=True, username="selfish")
    thread = make_thread(make_network(members=[author]), author)
    body = "@selfish " + " ".join(f"@ghost{n}" for n in range(500))
    answer = login(app.test_client(), author).post(f"/threads/{thread.id}/reply",
                                                   data={"body": body})
    assert answer.status_code == 302 and _told(app) == []


def test_new_thread_mentions_notify(app, make_user, make_network, login):
    author, reader = make_user(trusted=True), make_user(username="reader2")
    network = make_network(members=[author, reader])
    login(app.test_client(), author).post(f"/networks/{network.slug}/threads/new",
                                          data={"title": "Hello", "body": "Over to @reader2"})
    assert _told(app) == [reader.id]


def test_comment_mentions_and_replies_notify(app, make_user, make_article, make_comment, login):
    writer = make_user(role="associate", trusted=True)
    first = make_user(trusted=True, username="firstc")
    replier = make_user(trusted=True)
    article = make_article(writer, title="Care homes")
    earlier = make_comment(article, first)
    login(app.test_client(), replier).post(
        f"/articles/{article.slug}/comments",
        data={"body": "Agreed @firstc", "reply_to": str(earlier.id)})
    assert _told(app, "reply_to_you") == [first.id]
    assert _told(app, "comment") == [writer.id]
    assert _told(app, "mention") == [first.id]


def test_a_mention_in_a_pending_post_waits_for_approval(app, make_user, make_network,
                                                       make_thread, login):
    author, newcomer = make_user(trusted=True), make_user()
    reader = make_user(username="reader3")
    network = make_network(members=[author, newcomer, reader])
    thread = make_thread(network, author)
    login(app.test_client(), newcomer).post(f"/threads/{thread.id}/reply",
                                            data={"body": "@reader3 hello"})
    assert _told(app) == []
