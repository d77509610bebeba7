"""Believable demo content for ``flask seed-demo`` (idempotent)."""
from datetime import timedelta

from sqlalchemy import select

from network.accounts.models import User
from network.accounts import twofactor
from network.accounts.services import register_user
from network.articles.models import Article, Comment, Tag
from network.core.text import render_markdown, render_plain
from network.core.time import utcnow
from network.extensions import db
from network.forum.models import Post, Thread
from network.networks.models import Membership, Network
from network.networks.taxonomy import Region, Topic
from network.notifications.models import Watch
from network.site.demo_stories import seed_stories

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
    ("mbanda", "Dr Mary Banda", "associate", "Senior Lecturer in Health Policy",
     "University of Leeds", "academic", "north-east-and-yorkshire"),
    ("lhughes", "Lowri Hughes", "associate", "Director of Public Health", "Cardiff Council",
     "local_government", "wales"),
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
    "north-east-frailty": [("kokafor", "manager"), ("jmorgan", "member"), ("sallyc", "member"),
                           ("mbanda", "member")],
    "london-crisis-alternatives": [("rpatel", "manager"), ("sallyc", "member"),
                                   ("lhughes", "member")],
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


# The demo's moderator and admin sign in with a code from this published key (any
# authenticator app, or: python -c "import pyotp; print(pyotp.TOTP('<key>').now())").
# A demo key, like the demo password: never use either on a real site.
DEMO_TWO_FACTOR_KEY = "WHATWORKSDEMOKEYWHATWORKSDEMOKEY"
STAFF_WITH_TWO_FACTOR = ("admin", "moderator")


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
    db.session.flush()
    for username in STAFF_WITH_TWO_FACTOR:  # staff act as such only with it on
        twofactor.turn_on_with_key(people[username], DEMO_TWO_FACTOR_KEY)
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
        published_at=now - timedelta(days=3), announced_at=now - timedelta(days=3), tags=tags,
        comment_count=0)
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
        db.session.add(Watch(user_id=people[username].id, target_type="thread",
                             target_id=thread.id, level="watching"))
    networks["north-east-frailty"].last_activity_at = thread.last_post_at
    seed_practices(people, networks, regions, topics)
    seed_stories(people, networks)
    db.session.commit()
    return True


# --- practices (issue 10) -----------------------------------------------------------

PRACTICES = [
    # slug, title, summary, author, contact, network, region, organisation, sectors, topics,
    # cost, evidence, partners, problem, approach, results, learning, measures
    ("care-home-in-reach-team", "Care-home in-reach team",
     "A named clinician visits every care home weekly, with a same-day phone line.",
     "kokafor", "kokafor", None, "north-east-and-yorkshire",
     "Tyneside Community Health NHS Trust", ["nhs", "private"],
     ["frailty-and-older-people", "community-services"], "10k_100k", 3,
     "Tyneside care homes association\nGP practices of the Tyneside PCNs",
     "Residents of our 40 care homes were sent to A&E **three times as often** as people of "
     "the same age living at home, often out of hours and for problems a nurse could have "
     "managed on site.",
     "- A named advanced nurse practitioner for each home, visiting weekly\n"
     "- A same-day phone line for care staff, 8am to 8pm\n"
     "- Anticipatory care plans agreed with residents and families",
     "Emergency admissions from the homes fell by more than a third in two years; "
     "hospital days per resident fell too.",
     "Start with the homes that call 999 most. A named person matters more than visit "
     "frequency.",
     [("Emergency admissions per 100 beds", 38, 24, "per year", "2022 to 2024", "lower"),
      ("Hospital days per resident", 4.1, 2.6, "days", "2022 to 2024", "lower")]),
    ("shared-frailty-register", "A shared frailty register across GP, council and charities",
     "One list of people living with moderate or severe frailty, shared by everyone who "
     "cares for them.", "jmorgan", "jmorgan", None, "north-east-and-yorkshire",
     "Wearside City Council", ["local_government", "nhs", "third_sector"],
     ["frailty-and-older-people", "population-health"], "under_10k", 2,
     "Wearside GP Federation\nAge Well Together",
     "Each service kept its own list, so the same person was assessed four times and "
     "still fell through the gaps after discharge.",
     "We agreed one data-sharing agreement, one electronic frailty index threshold and one "
     "weekly huddle where GP, council and charity staff review new names.",
     "People on the register are now known to a service **before** their first crisis.",
     "Get information governance in the room in week one, not month six.",
     [("People known to services before first admission", 31, 64, "%", "2023 to 2024",
       "higher")]),
    ("crisis-cafe-with-the-trust", "A crisis café run by a charity with the mental health trust",
     "An evening drop-in where people in crisis see a peer worker and a trust nurse, "
     "not A&E.", "admin", "rpatel", "london-crisis-alternatives", "london",
     "Southwark Safe Haven", ["third_sector", "nhs"],
     ["mental-health", "urgent-and-emergency-care"], "10k_100k", 2,
     "South London mental health trust\nMetropolitan Police street triage",
     "Most people who came to A&E in a mental health crisis arrived between 6pm and "
     "midnight and waited more than eight hours.",
     "A café open 6pm to midnight every day, staffed by two peer workers and a trust nurse, "
     "with a direct referral route from police street triage.",
     "Mental health attendances at the local A&E fell, and people said they felt listened to.",
     "Peer workers need supervision from day one; a café is not a cheap A&E.",
     [("Mental health A&E attendances, 6pm to midnight", 410, 290, "per quarter",
       "2023 to 2024", "lower")]),
    ("discharge-to-assess-with-the-council", "Discharge to assess with the council",
     "People go home from hospital with support the same day; their long-term needs are "
     "assessed at home.", "admin", "moderator", None, "midlands",
     "Shropshire Council and Shropshire Community Health", ["local_government", "nhs"],
     ["social-care", "urgent-and-emergency-care"], "over_100k", 3, "",
     "People fit to leave hospital waited a median of 9 days for a social care assessment "
     "on the ward, losing strength while they waited.",
     "A joint discharge team of council social workers and NHS therapists, and a pool of "
     "home care hours bought in advance.",
     "Waits for discharge fell to 2 days; fewer people needed long-term care at 91 days.",
     "Buy the home care hours first: without them the team only moves the queue.",
     [("Median days from fit to leave to discharge", 9, 2, "days", "2022 to 2023", "lower"),
      ("People in long-term residential care at 91 days", 18, 12, "%", "2022 to 2023",
       "lower")]),
    ("digital-care-records-in-home-care", "Digital care records in home care",
     "Carers record visits on a phone app that families and district nurses can see.",
     "rpatel", "rpatel", "midlands-digital-care", "london", "Brookfield Home Care Ltd",
     ["private", "local_government"], ["digital-and-data", "social-care"], "under_10k", 1,
     "Borough digital social care team",
     "Paper notes stayed in people's homes, so the office, families and nurses never had "
     "the full picture and medicines were missed.",
     "A digital social care record from the approved list, tablets for the office, and "
     "two weeks of paired visits for every carer.",
     "Missed medicines fell and carers spent less time on paperwork.",
     "Train on real visits, not in a classroom.",
     [("Missed medicine doses", 22, 7, "per month", "2024", "lower")]),
    ("good-neighbour-calls-after-discharge", "Volunteer good neighbour calls after discharge",
     "Trained volunteers phone people living alone every day for two weeks after they "
     "leave hospital.", "sallyc", "sallyc", None, "south-west", "Devon Community Links",
     ["third_sector"], ["frailty-and-older-people", "community-services"], "none", 2,
     "Royal Devon University Healthcare NHS Foundation Trust",
     "People living alone were readmitted within 30 days more often than anyone else, "
     "often after a fall or running out of food.",
     "Ward staff offer a call on the day of discharge; a volunteer rings daily for two "
     "weeks and can call the community team.",
     "Readmissions within 30 days fell among those who took up the calls.",
     "The first call matters most: make it on the day people get home.",
     [("Readmissions within 30 days", 17, 11, "%", "2023", "lower")]),
]

ADOPTIONS = [
    # practice slug, adopter, organisation, region, [(days ago, stage, note, figures)]
    ("care-home-in-reach-team", "moderator", "Shropshire Community Health", "midlands",
     [(200, "trying", "Started with the ten homes that called 999 most.", []),
      (40, "adopted", "Now across all 60 homes. Weekly visits for large homes, fortnightly "
       "for small ones.", [(0, 41, 29, "2024 to 2025"), (1, 4.4, 3.1, "2024 to 2025")])]),
    ("care-home-in-reach-team", "admin", "Cardiff and Vale University Health Board", "wales",
     [(150, "trying", "Piloting in the Vale of Glamorgan.", []),
      (20, "adopted", "Rolled out after the pilot.", [(0, 35, 26, "2024 to 2025")])]),
    ("care-home-in-reach-team", "rpatel", "Brookfield Home Care Ltd", "london",
     [(30, "planning", "Asking our borough to fund a nurse for our supported-living homes.",
       [])]),
    ("shared-frailty-register", "rpatel", "Camden Primary Care Networks", "london",
     [(60, "planning", "Drafting the data-sharing agreement.", [])]),
    ("shared-frailty-register", "admin", "Powys Teaching Health Board", "wales",
     [(300, "trying", "Three practices and the council started a shared list.", []),
      (90, "abandoned", "We could not agree data sharing across the border with English GP "
       "practices, and the list went out of date within months. We would try again with "
       "one information governance lead for all partners.", [])]),
    ("crisis-cafe-with-the-trust", "sallyc", "Age Well Together (charity)",
     "north-east-and-yorkshire",
     [(80, "trying", "Two evenings a week in Sunderland to start.",
       [(0, 120, 95, "2025")])]),
    ("discharge-to-assess-with-the-council", "jmorgan", "Wearside City Council",
     "north-east-and-yorkshire",
     [(240, "trying", "Joint team in place; home care hours bought for winter.", []),
      (50, "adopted", "Kept all year round after winter.", [(0, 8, 3, "2024 to 2025")])]),
    ("discharge-to-assess-with-the-council", "admin", "Kent County Council", "south-east",
     [(25, "trying", "Starting in two hospitals.", [])]),
    ("digital-care-records-in-home-care", "moderator", "Telford Home Support", "midlands",
     [(70, "adopted", "Families like seeing the visit notes.", [(0, 15, 6, "2025")])]),
    ("good-neighbour-calls-after-discharge", "sallyc", "Age Well Together (charity)",
     "north-east-and-yorkshire",
     [(120, "adopted", "Our volunteers make the calls for Sunderland Royal.",
       [(0, 16, 12, "2024")])]),
]


def seed_practices(people: dict, networks: dict, regions: dict, topics: dict) -> None:
    """Six practices from four regions and five sectors, each with measures, adopted
    elsewhere at different stages (one abandoned, with the reason), so the library, the
    map, the timeline and the replication summary have something to show. Rows are
    written directly (with past dates); counters are set to match."""
    from network.practices.models import (Adoption, AdoptionMeasure, AdoptionUpdate, Measure,
                                          Practice, PracticeSector)
    from network.practices.services import fold_organisation

    now = utcnow()
    practices = {}
    for age, row in enumerate(PRACTICES):
        (slug, title, summary, author, contact, network, region, organisation, sectors,
         topic_slugs, cost, evidence, partners, problem, approach, results, learning,
         measures) = row
        when = now - timedelta(days=400 - age * 30)
        practice = Practice(
            slug=slug, title=title, summary=summary, author_id=people[author].id,
            contact_id=people[contact].id,
            network_id=networks[network].id if network else None,
            origin_region_id=regions[region], organisation=organisation, cost_band=cost,
            evidence_level=evidence, partners=partners, problem=problem,
            problem_html=render_markdown(problem), approach=approach,
            approach_html=render_markdown(approach), results=results,
            results_html=render_markdown(results), key_learning=learning,
            key_learning_html=render_markdown(learning), status="published",
            created_at=when, published_at=when, updated_at=when, last_reviewed_at=when,
            topics=[topics[t] for t in topic_slugs if t in topics], adoption_count=0,
            sector_rows=[PracticeSector(sector=s) for s in sectors],
            measures=[Measure(position=i, name=n, before=b, after=a, unit=u, period=p,
                              direction=d) for i, (n, b, a, u, p, d) in enumerate(measures)])
        db.session.add(practice)
        practices[slug] = practice
    db.session.flush()
    for slug, adopter, organisation, region, entries in ADOPTIONS:
        practice = practices[slug]
        started = now - timedelta(days=entries[0][0])
        adoption = Adoption(practice_id=practice.id, adopter_id=people[adopter].id,
                            region_id=regions[region], organisation=organisation,
                            organisation_key=fold_organisation(organisation),
                            stage=entries[-1][1], created_at=started,
                            updated_at=now - timedelta(days=entries[-1][0]))
        db.session.add(adoption)
        db.session.flush()
        practice.adoption_count += 1
        for days, stage, note, figures in entries:
            entry = AdoptionUpdate(adoption_id=adoption.id, author_id=people[adopter].id,
                                   stage=stage, note=note, note_html=render_markdown(note),
                                   created_at=now - timedelta(days=days))
            for index, before, after, period in figures:
                m = practice.measures[index]
                entry.figures.append(AdoptionMeasure(
                    measure_id=m.id, name=m.name, unit=m.unit, direction=m.direction,
                    before=before, after=after, period=period))
            db.session.add(entry)
