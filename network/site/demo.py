"""Believable demo content for ``flask seed-demo`` (idempotent)."""
from datetime import timedelta

from sqlalchemy import select

from network.accounts.models import User
from network.accounts.services import register_user
from network.articles.models import Article, Comment, Tag
from network.core.text import render_markdown, render_plain
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread, Watch
from network.networks.models import Membership, Network
from network.networks.taxonomy import Region, Topic

DEMO_PASSWORD = "whatworks-demo"

PEOPLE = [
    # username, name, role, job title, organisation, sector, region slug
    ("admin", "Priya Shah", "admin", "Head of Networks", "What Works Network", "other", "london"),
    ("moderator", "Tom Evans", "moderator", "Community Moderator", "What Works Network",
     "other", "midlands"),
    ("kokafor", "Dr Karen Okafor", "associate", "Clinical Director, Frailty",
     "Tyneside Community Health NHS Trust", "nhs", "north-east-and-yorkshire"),
    ("jmorgan", "James Morgan", "member", "Head of Adult Social Care Commissioning",
     "Wearside City Council", "local_government", "north-east-and-yorkshire"),
    ("sallyc", "Sally Carter", "member", "Chief Executive", "Age Well Together (charity)",
     "third_sector", "north-east-and-yorkshire"),
    ("rpatel", "Raj Patel", "member", "Registered Manager", "Brookfield Home Care Ltd",
     "private", "london"),
]

NETWORKS = [
    ("north-east-frailty", "North East Frailty Network", "open", "north-east-and-yorkshire",
     ["frailty-and-older-people", "community-services"],
     "Clinicians, commissioners and charities improving care for people living with frailty.",
     "We share what is working in **proactive frailty care** across the North East: "
     "virtual wards, care-home in-reach and the voluntary sector's part in keeping people "
     "well at home.\n\n- Monthly case-study call\n- Shared measures library"),
    ("london-crisis-alternatives", "London Mental Health Crisis Alternatives", "closed",
     "london", ["mental-health", "urgent-and-emergency-care"],
     "Crisis cafés, safe havens and street triage teams comparing notes.",
     "A closed network for people running **alternatives to A&E** for mental health crises. "
     "Ask to join and tell us about your service."),
    ("midlands-digital-care", "Midlands Digital Social Care", "open", "midlands",
     ["digital-and-data", "social-care"],
     "Care providers and councils adopting digital care records and remote monitoring.",
     "From paper to **digital social care records**: procurement, training and what "
     "residents and families thought."),
    ("dass-peer-group", "Adult Social Care Directors' Peer Group", "private", None,
     ["social-care", "workforce"],
     "A private space for directors of adult social services.",
     "Invitation only. Candid discussion of budgets, workforce and inspection."),
]

MEMBERS = {
    "north-east-frailty": [("kokafor", "manager"), ("jmorgan", "member"), ("sallyc", "member")],
    "london-crisis-alternatives": [("rpatel", "manager"), ("sallyc", "member")],
    "midlands-digital-care": [("moderator", "manager"), ("rpatel", "member")],
    "dass-peer-group": [("admin", "manager"), ("jmorgan", "member")],
}

ARTICLE_BODY = """Three years ago our frailty service saw most people for the first time in
A&E. Today two in three are known to us before they reach hospital.

## What changed

1. **A shared frailty register** across GP practices, the council and two charities.
2. **Care-home in-reach**: a named clinician for every home, visiting weekly.
3. **Volunteer "good neighbour" calls** for people living alone after discharge.

## What we measured

| Measure | Before | After |
|---|---|---|
| Emergency admissions (over-75s, per 1,000) | 212 | 168 |
| Days at home in the last six months of life | 151 | 163 |

None of it was expensive. The hard part was agreeing one list and one phone number.
Read the full evaluation on [our trust's website](https://example.org/frailty-evaluation).
"""


def seed() -> bool:
    """Create the demo people, networks, an article with comments and a thread.
    Returns False (and changes nothing) when the demo content is already there."""
    if db.session.scalar(select(User.id).where(User.username == "admin")) is not None:
        return False
    regions = {r.slug: r.id for r in db.session.scalars(select(Region))}
    topics = {t.slug: t for t in db.session.scalars(select(Topic))}
    people = {}
    for username, name, role, title, org, sector, region in PEOPLE:
        people[username] = register_user(
            username=username, email=f"{username}@whatworks.example", password=DEMO_PASSWORD,
            display_name=name, job_title=title, organisation=org, sector=sector,
            region_id=regions.get(region), role=role)
    people["kokafor"].bio = ("Geriatrician and clinical director. I write about **frailty**, "
                             "care homes and what happens when services share one list.")
    people["kokafor"].bio_html = render_markdown(people["kokafor"].bio)

    now = utcnow()
    networks = {}
    for slug, name, visibility, region, topic_slugs, summary, description in NETWORKS:
        network = Network(slug=slug, name=name, visibility=visibility, summary=summary,
                          region_id=regions.get(region) if region else None,
                          description=description,
                          description_html=render_markdown(description),
                          created_by_id=people[MEMBERS[slug][0][0]].id,
                          topics=[topics[t] for t in topic_slugs if t in topics],
                          last_activity_at=now)
        db.session.add(network)
        networks[slug] = network
    db.session.flush()
    for slug, members in MEMBERS.items():
        for username, role in members:
            db.session.add(Membership(user_id=people[username].id,
                                      network_id=networks[slug].id, role=role))
        networks[slug].member_count = len(members)

    tags = [Tag(slug="frailty", name="Frailty"), Tag(slug="care-homes", name="Care homes"),
            Tag(slug="integration", name="Integration")]
    article = Article(
        slug="one-list-one-number-frailty", title="One list, one number: what cut our "
        "frailty admissions by a fifth",
        standfirst="A shared register and a named clinician for every care home did more "
                   "than any new building could.",
        body=ARTICLE_BODY, body_html=render_markdown(ARTICLE_BODY),
        author_id=people["kokafor"].id, status="published",
        published_at=now - timedelta(days=3), tags=tags, comment_count=0)
    db.session.add(article)
    db.session.flush()
    comments = [
        ("jmorgan", "Really useful. How did you get information governance sign-off for the "
                    "shared register? That is where ours stalled."),
        ("sallyc", "The good neighbour calls were ours! Happy to share the volunteer "
                   "training pack: https://example.org/good-neighbour-pack"),
        ("rpatel", "We see the same in home care. One phone number would change everything "
                   "for our carers."),
    ]
    for offset, (username, text) in enumerate(comments):
        db.session.add(Comment(article_id=article.id, author_id=people[username].id,
                               body=text, body_html=render_plain(text),
                               created_at=now - timedelta(days=2, hours=-offset * 3)))
    article.comment_count = len(comments)

    thread = Thread(network_id=networks["north-east-frailty"].id,
                    title="Care-home in-reach: how often do your clinicians visit?",
                    author_id=people["jmorgan"].id, pinned=False,
                    created_at=now - timedelta(hours=9))
    db.session.add(thread)
    db.session.flush()
    posts = [
        ("jmorgan", "We are planning in-reach for 40 homes. Weekly visits feel right but "
                    "the cost adds up. **What frequency works for you?**"),
        ("kokafor", "Weekly for the larger homes, fortnightly for the small ones, plus a "
                    "same-day phone line. Happy to share our rota."),
        ("sallyc", "From the families' side: a *named* person mattered more than frequency."),
    ]
    for number, (username, text) in enumerate(posts, start=1):
        db.session.add(Post(thread_id=thread.id, number=number, author_id=people[username].id,
                            body=text, body_html=render_markdown(text),
                            created_at=now - timedelta(hours=10 - number)))
    thread.post_count = len(posts)
    thread.last_post_at = now - timedelta(hours=10 - len(posts))
    thread.last_poster_id = people[posts[-1][0]].id
    # Authors and repliers watch the threads they write in (as forum.services does).
    for username in dict.fromkeys(username for username, _ in posts):
        db.session.add(Watch(user_id=people[username].id, thread_id=thread.id))
    networks["north-east-frailty"].last_activity_at = thread.last_post_at
    db.session.commit()
    return True
