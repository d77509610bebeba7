"""More of the demo (issue 10): articles by associates of three sectors (one a series
in two parts, one in a closed network, one citing a practice), a conversation in every
network (the closed and private ones for their members), a reply waiting in the review
queue, a join request for a manager to decide, events to come and past, and a few
unread notifications, so every page a demo account opens shows what it is for.

Rows are written directly with past dates, like the rest of the demo; the search index
is rebuilt by ``seed-demo`` afterwards. Demo text is written for this site."""
from datetime import timedelta

from network.articles.models import Article, Series, Tag
from network.core.text import render_markdown
from network.core.time import utcnow
from network.events.models import Attendance, Event
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import JoinRequest
from network.notifications.models import Notification, Watch

SERIES_PART_1 = """Most of the practices in this library report a measure before and after a change. That is the right place to start, and it is where many of us stop.

**Before and after is not enough on its own.** Emergency admissions from care homes fall every spring. Waiting lists move when a neighbouring trust changes its referral rules. If your "after" year happened to be a mild winter, your in-reach team will look better than it is.

Three questions to ask of your own figures:

1. *What else changed at the same time?* Write it down, even if you cannot measure it.
2. *How much does this measure move by itself?* Look at three years before, not one.
3. *Who would have been counted anyway?* People who stop being counted are not the same as people who got better.

In part two: finding a comparison you can trust without a research budget."""

SERIES_PART_2 = """In [part one](/articles/evaluating-what-works-part-1) I argued that before and after is where evaluation starts, not where it ends. Here is how to get a comparison without a trial.

- **A neighbour who has not started yet.** If your scheme rolls out ward by ward, or practice by practice, the late starters are your comparison. Keep the order honest: do not start with the keenest.
- **Your own history.** Three or more years of monthly figures show the seasonal swing. A change that beats the swing is worth reporting.
- **Adopters elsewhere.** When another region takes up your practice and reports its own figures, you are no longer alone with your data. That is what the replication summary on each practice page counts, and it is why an adopter's honest "abandoned, and here is why" is as valuable as a success.

None of this makes you level 3 on the evidence scale. It makes your level 2 believable."""

CRISIS_ARTICLE = """When we opened our first crisis café with the mental health trust and a local charity, the council's role was mostly money and a building. A year on, here is what I would tell another director of public health.

**Open when crises happen.** Our evenings (6pm to 11pm) took four times the visits of our afternoons. Staff the evening first.

**Let the charity lead the door.** People who would never walk into a clinic walked into a café run by peers. The trust's crisis team came to the café, not the other way round.

**Count what the board cares about, and one thing it does not yet.** We reported emergency department attendances for mental health crisis (down by about a quarter in the café's catchment), and repeat visits, which told us who needed more than a cup of tea.

The practice record from London is here: /practices/crisis-cafe-with-the-trust. We adapted it for a smaller city, and our figures are on its page."""

BOARD_ARTICLE = """Health and wellbeing boards are asked to approve many good ideas. The ones that survive their second budget round share three things.

1. **One measure the whole board recognises**, reported the same way every quarter.
2. **A named owner in each partner organisation**, not just in the one that started it.
3. **A plain account of what did not work.** Boards trust a team that tells them what it stopped doing.

If you are writing a practice record for this library, those three things are also what other regions look for first."""

THREADS = [
    # network, author, title, posts: (author, text)
    ("midlands-digital-care", "rpatel",
     "Which digital care record did you choose, and would you choose it again?",
     [("rpatel", "We moved from paper to a digital care record last year. Carers like it; "
                 "the rota side is weak. **What did you choose, and what would you change?**"),
      ("moderator", "Telford went with the same supplier. The offline mode on visits was the "
                    "deciding factor: signal in rural homes is poor.")]),
    ("london-crisis-alternatives", "sallyc", "Evening opening: who staffs the 6pm to 11pm shift?",
     [("sallyc", "Our café's busiest hours are the evening. We staff it with two peer workers "
                 "and a trust practitioner on call. How do others cover it?"),
      ("rpatel", "We rotate three peer workers and keep one bank shift. Burnout was the risk "
                 "in the first winter."),
      ("lhughes", "Cardiff found the same: evenings first. We funded the peer workers through "
                  "the charity so they could be paid properly.")]),
    ("dass-peer-group", "jmorgan", "Winter discharge funding: how are you allocating it?",
     [("jmorgan", "Between the peer group only: we are weighing reablement hours against "
                  "bridging care packages. Where did your money make the most difference?"),
      ("admin", "Kent put most of it into discharge to assess beds last year and regretted "
                "not keeping some for home care. Happy to share the figures in the library.")]),
]


def seed_stories(people: dict, networks: dict) -> None:
    now = utcnow()
    tags = {tag.slug: tag for tag in db.session.query(Tag)}
    series = Series(slug="evaluating-what-works", title="Evaluating what works",
                    author_id=people["mbanda"].id)
    db.session.add(series)
    db.session.flush()
    articles = [
        ("evaluating-what-works-part-1", "Evaluating what works, part 1: before and after is "
         "not enough", "Three questions to ask of your own figures before you call a change a "
         "success.", SERIES_PART_1, "mbanda", None, series, 1, 12, ["integration"]),
        ("evaluating-what-works-part-2", "Evaluating what works, part 2: a comparison you can "
         "trust", "Late starters, your own history and adopters elsewhere: comparisons without "
         "a trial.", SERIES_PART_2, "mbanda", None, series, 2, 5, ["integration"]),
        ("crisis-cafes-first-year", "Crisis cafés: what the first year taught a council",
         "Open in the evening, let the charity lead the door, and count what the board cares "
         "about.", CRISIS_ARTICLE, "lhughes", "london-crisis-alternatives", None, None, 8, []),
        ("what-boards-keep-funding", "What health and wellbeing boards keep funding",
         "One measure, a named owner in each partner, and a plain account of what did not "
         "work.", BOARD_ARTICLE, "lhughes", None, None, None, 2, ["integration"]),
    ]
    for slug, title, standfirst, body, author, network, in_series, part, age, tag_slugs in articles:
        db.session.add(Article(
            slug=slug, title=title, standfirst=standfirst, body=body,
            body_html=render_markdown(body), author_id=people[author].id,
            network_id=networks[network].id if network else None,
            series_id=in_series.id if in_series else None, series_part=part,
            status="published", published_at=now - timedelta(days=age),
            announced_at=now - timedelta(days=age),
            created_at=now - timedelta(days=age), comments_open=True, comment_count=0,
            tags=[tags[t] for t in tag_slugs if t in tags]))

    for network_slug, starter, title, posts in THREADS:
        started = now - timedelta(days=2, hours=len(posts))
        thread = Thread(network_id=networks[network_slug].id, title=title,
                        author_id=people[starter].id, pinned=False, locked=False,
                        status="visible", post_count=len(posts), created_at=started,
                        last_post_at=started + timedelta(hours=len(posts)),
                        last_poster_id=people[posts[-1][0]].id)
        db.session.add(thread)
        db.session.flush()
        for number, (author, text) in enumerate(posts, start=1):
            db.session.add(Post(thread_id=thread.id, number=number,
                                author_id=people[author].id, body=text,
                                body_html=render_markdown(text), status="visible",
                                created_at=started + timedelta(hours=number)))
        for author in dict.fromkeys(author for author, _ in posts):
            db.session.add(Watch(user_id=people[author].id, target_type="thread",
                                 target_id=thread.id, level="watching"))
        networks[network_slug].last_activity_at = thread.last_post_at

    # A reply from a member not yet trusted waits in the review queue (moderator, admin,
    # and the North East network's manager, kokafor, see it).
    first_thread = db.session.query(Thread).filter(
        Thread.network_id == networks["north-east-frailty"].id).order_by(Thread.id).first()
    db.session.add(Post(thread_id=first_thread.id, number=first_thread.post_count + 1,
                        author_id=people["jmorgan"].id,
                        body="Our rota is attached to the commissioning pack: the homes "
                             "asked for a named nurse on the phone line too.",
                        body_html=render_markdown("Our rota is attached to the commissioning "
                                                  "pack: the homes asked for a named nurse on "
                                                  "the phone line too."),
                        status="pending", created_at=now - timedelta(hours=1)))

    # A join request for the closed network's manager (rpatel) to decide.
    db.session.add(JoinRequest(network_id=networks["london-crisis-alternatives"].id,
                               user_id=people["jmorgan"].id, status="pending",
                               message="We are planning a crisis café in Wearside and would "
                                       "like to learn from your evenings.",
                               created_at=now - timedelta(hours=20)))

    # Events: one to come (with places taken) and one past, in the North East network.
    network = networks["north-east-frailty"]
    soon = (now + timedelta(days=10)).replace(hour=13, minute=0, second=0, microsecond=0)
    past = (now - timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)
    for title, starts, hours, description, going in (
            ("Care-home in-reach: one year on", soon, 1.5,
             "An online hour with the Tyneside team: what the first year of in-reach "
             "changed, what it cost, and your questions.", ["jmorgan", "sallyc", "mbanda"]),
            ("Frailty network quarterly meeting", past, 2,
             "Shared register progress and the winter plan.", ["jmorgan", "sallyc"])):
        event = Event(network_id=network.id, title=title, description=description,
                      description_html=render_markdown(description), starts_at=starts,
                      ends_at=starts + timedelta(hours=hours), timezone="Europe/London",
                      online_url="https://meet.example.org/frailty-network", capacity=40,
                      going_count=len(going), created_by_id=people["kokafor"].id,
                      created_at=starts - timedelta(days=20), updated_at=starts - timedelta(days=20))
        db.session.add(event)
        db.session.flush()
        for username in going:
            db.session.add(Attendance(event_id=event.id, user_id=people[username].id,
                                      state="going", created_at=event.created_at))

    # A few unread notifications, so the header's count means something on first sign-in.
    for username, kind, text, url, network_slug in (
            ("jmorgan", "reply", "New reply in Care-home in-reach: how often do your "
             "clinicians visit?", f"/threads/{first_thread.id}", "north-east-frailty"),
            ("rpatel", "join_request", "James Morgan asked to join London Mental Health "
             "Crisis Alternatives.", "/networks/london-crisis-alternatives/requests",
             "london-crisis-alternatives")):
        db.session.add(Notification(user_id=people[username].id, kind=kind, text=text, url=url,
                                    network_id=networks[network_slug].id,
                                    created_at=now - timedelta(minutes=30)))
        people[username].unread_notifications = (people[username].unread_notifications or 0) + 1
