"""Generate a realistic data set for the load benchmark.

    python bench/generate.py --size small|medium|large [--database-url URL]

The schema is built through the Alembic migrations (as in production), then rows
go in with SQLAlchemy Core ``insert()`` executemany in large batches, a few
transactions in all. Rendered HTML is computed once per distinct text (through
``network.core.text``), never once per row. Every stored counter (post_count,
last_post_at, last_poster_id, comment_count, member_count, Post.number,
last_activity_at) is computed while generating and checked against the rows in
SQL at the end: zero drift.

Practices do not exist in the app yet, so none are generated.

Default database: SQLite file bench/bench.db (gitignored), recreated each run.
For PostgreSQL give ``--database-url postgresql://...`` of a database of its own;
``--reset`` drops this app's tables there first (and nothing else).
"""
import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (BENCH_PASSWORD, DEFAULT_DB, DEFAULT_URL, bench_instance,  # noqa: E402
                    write_marker)

from sqlalchemy import bindparam, func, insert, select, text, update  # noqa: E402
from tqdm import tqdm  # noqa: E402

SIZES = {
    #          members networks articles comments threads  posts   big_thread big_article
    "small": (1_000, 30, 500, 5_000, 2_000, 50_000, 1_000, 500),
    "medium": (10_000, 200, 5_000, 50_000, 20_000, 500_000, 1_000, 500),
    "large": (50_000, 500, 20_000, 200_000, 60_000, 2_000_000, 1_000, 500),
}
BATCH = 10_000
SPAN = timedelta(days=730)

FIRST = ("Aisha Amir Ben Bethany Chidi Claire Daniel Deepa Eilidh Emma Fatima Gareth Grace "
         "Hannah Imran Isla Jack James Jasmine Joanne Kwame Laura Liam Lucy Mohammed Niamh "
         "Oliver Olu Priya Rachel Rhys Ruth Sam Sarah Siobhan Sunita Tom Yusuf Zara Nadia "
         "Catrin Owen Femi Marek Agnieszka Colin Dawn Harpreet").split()
LAST = ("Ahmed Akhtar Bailey Begum Campbell Chen Davies Edwards Evans Green Hall Hughes "
        "Hussain Jones Kaur Khan Lewis Lloyd Macdonald Morgan Murphy Nowak Okafor Owen Patel "
        "Price Roberts Robinson Scott Shah Singh Smith Taylor Thomas Thompson Walker Watson "
        "White Williams Wilson Wright Young Adeyemi O'Neill Fraser Doherty").split()
JOBS = ["Service Manager", "Head of Adult Social Care", "Clinical Lead", "Ward Sister",
        "Care Home Manager", "Commissioning Manager", "Chief Executive", "Practice Manager",
        "Community Matron", "Occupational Therapist", "Social Worker", "Registered Manager",
        "Quality Improvement Lead", "Director of Nursing", "GP Partner", "Public Health Consultant",
        "Volunteer Coordinator", "Domiciliary Care Coordinator", "Research Fellow", "Pharmacist"]
ORGS = {
    "nhs": ["Leeds Community Healthcare NHS Trust", "Northumbria Healthcare NHS Foundation Trust",
            "Bolton NHS Foundation Trust", "Cornwall Partnership NHS Foundation Trust",
            "Sussex Community NHS Foundation Trust", "NHS Lothian", "Betsi Cadwaladr UHB"],
    "local_government": ["Leeds City Council", "Somerset Council", "Wigan Council",
                         "Camden Council", "Norfolk County Council", "Cardiff Council"],
    "third_sector": ["Age UK Bristol", "Carers Trust Wales", "Mind in Salford",
                     "Alzheimer's Society", "Citizens Advice Gateshead", "Macmillan Cancer Support"],
    "private": ["Bluebird Care Harrogate", "Home Instead Exeter", "Sunrise Senior Living",
                "Helping Hands Kent", "Caremark Reading"],
    "academic": ["University of Leeds", "King's Fund", "Nuffield Trust", "University of Stirling"],
    "other": ["Healthwatch Kirklees", "Skills for Care", "Independent consultant"],
}
SECTOR_WEIGHTS = {"nhs": 40, "local_government": 20, "third_sector": 20, "private": 12,
                  "academic": 5, "other": 3}
SUBJECTS = ["frailty", "falls prevention", "hospital discharge", "delirium", "home care",
            "end of life care", "carers' breaks", "dementia support", "social prescribing",
            "virtual wards", "reablement", "loneliness", "medication reviews", "pressure ulcers",
            "workforce retention", "continuing healthcare", "learning disability health checks",
            "mental health crisis", "step-down beds", "digital care records", "night sitting",
            "hydration in care homes", "community nursing", "safeguarding adults"]
PLACES = ["Leeds", "Bolton", "Cornwall", "Somerset", "Tyneside", "Norfolk", "Cardiff",
          "Glasgow", "Belfast", "Camden", "Bristol", "Wigan", "Kirklees", "Sussex", "Kent"]
KINDS = ["Network", "Forum", "Collaborative", "Community of Practice", "Alliance", "Group"]
TITLE_FORMS = ["How we cut {s} delays in {p}", "What worked for {s} in {p}",
               "Lessons from a year of {s}", "Has anyone tried a new approach to {s}?",
               "{S}: what the evidence says", "Getting started with {s}",
               "Measuring outcomes in {s}", "Funding {s} after the pilot",
               "Staffing {s} over winter", "Involving families in {s}",
               "A checklist for {s}", "Why our {s} project stalled, and what we changed"]
SENTENCES = [
    "We started by mapping every step a person takes from referral to the first visit.",
    "The biggest change came from a daily fifteen-minute huddle between the ward and the community team.",
    "Families told us the discharge letter was the thing they read most, so we rewrote it with them.",
    "Our therapists now see people at home within 48 hours instead of two weeks.",
    "Readmissions within 30 days fell from 18% to 11% over nine months.",
    "We used a simple run chart rather than waiting for the annual audit.",
    "The care home staff were the ones who spotted the pattern first.",
    "Commissioners agreed to fund a second year once they saw the bed days saved.",
    "It only worked once the GP practices could see the same record we could.",
    "Volunteers made follow-up calls at two and six weeks, which people valued more than we expected.",
    "We trained every carer in the early warning signs, not just the seniors.",
    "Night-time falls dropped after we changed the lighting and the medication round times.",
    "Not everything worked: the app we tried first was abandoned within a month.",
    "Has anyone found a good way to share this with the out-of-hours service?",
    "We would be happy to share our referral form and the training slides.",
    "The key was agreeing one shared outcome measure across health and social care.",
    "Staff turnover was the hardest problem and we have not solved it yet.",
    "People with learning disabilities and their carers co-designed the easy-read version.",
    "We now hold a monthly learning session that anyone in the region can join.",
    "The evaluation is being written up with the university and should be out in spring.",
]
MARKDOWN_EXTRAS = ["**What made the difference:** time, trust and a shared record.",
                   "- referral within a day\n- a named worker\n- a follow-up call",
                   "See the [NICE guideline](https://www.nice.org.uk/guidance) for the detail.",
                   "> It felt like someone finally joined the dots. (a carer)"]
TAGS = ["Frailty", "Dementia", "Discharge", "Workforce", "Carers", "Digital", "Prevention",
        "Mental health", "End of life", "Home care", "Care homes", "Evaluation", "Funding",
        "Commissioning", "Housing", "Learning disability", "Children's services", "Quality",
        "Safeguarding", "Community"]


def paragraph(rng, sentences=3) -> str:
    return " ".join(rng.sample(SENTENCES, sentences))


def title(rng) -> str:
    subject = rng.choice(SUBJECTS)
    return rng.choice(TITLE_FORMS).format(s=subject, S=subject.capitalize(), p=rng.choice(PLACES))


def text_pool(rng, count, markdown: bool):
    """Distinct bodies and their HTML, rendered once each."""
    from network.core.text import render_markdown, render_plain

    pool = []
    for _ in range(count):
        parts = [paragraph(rng, rng.randint(2, 4)) for _ in range(rng.randint(1, 3))]
        if markdown and rng.random() < 0.5:
            parts.append(rng.choice(MARKDOWN_EXTRAS))
        body = "\n\n".join(parts)
        pool.append((body, render_markdown(body) if markdown else render_plain(body)))
    return pool


def slugify(value: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:70]


def spread(rng, start, end, n):
    """n sorted timestamps between start and end, clustered towards recent times."""
    total = (end - start).total_seconds()
    return sorted(start + timedelta(seconds=total * rng.random() ** 0.7) for _ in range(n))


class Writer:
    """Batched Core inserts with a progress bar over every row of the data set.
    Flushing a table first flushes the tables it refers to (foreign keys)."""

    DEPENDS = {"membership": ("user", "network"), "network": ("user",),
               "network_topic": ("network",), "thread": ("network",),
               "post": ("thread",), "article": ("user", "network"),
               "article_tag": ("article", "tag"), "comment": ("article",)}

    def __init__(self, conn, bar, tables):
        self.conn, self.bar, self.tables, self.pending = conn, bar, tables, {}

    def add(self, table, row):
        rows = self.pending.setdefault(table, [])
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush(table)

    def flush(self, table=None):
        for name in ([table] if table else list(self.pending)):
            for dependency in self.DEPENDS.get(name, ()):
                self.flush(dependency)
            rows = self.pending.get(name)
            if rows:
                self.conn.execute(insert(self.tables[name]), rows)
                self.bar.update(len(rows))
                self.pending[name] = []


def generate(url: str, size: str, seed: int, reset: bool) -> dict:
    (n_users, n_networks, n_articles, n_comments, n_threads, n_posts,
     big_thread_posts, big_article_comments) = SIZES[size]
    rng = random.Random(seed)
    bench_instance()
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from network import create_app
    from network.core.time import utcnow
    from network.extensions import db

    app = create_app({"DATABASE_URL": url, "CACHE_ENABLED": True, "RATELIMIT_ENABLED": False})
    started = time.monotonic()
    with app.app_context():
        if reset:
            with db.engine.begin() as conn:
                db.metadata.drop_all(conn)
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        tables = db.metadata.tables
        with db.engine.connect() as conn:
            if conn.execute(select(func.count()).select_from(tables["user"])).scalar():
                sys.exit("The database already holds data: use a fresh database or --reset.")
            regions = [r for (r,) in conn.execute(select(tables["region"].c.id))]
            topics = [t for (t,) in conn.execute(select(tables["topic"].c.id))]
        now = utcnow().replace(microsecond=0)
        origin = now - SPAN
        password_hash = generate_password_hash(BENCH_PASSWORD,
                                               method=app.config["PASSWORD_HASH_METHOD"])
        post_pool = text_pool(rng, 400, markdown=True)
        comment_pool = text_pool(rng, 300, markdown=False)
        article_pool = text_pool(rng, 200, markdown=True)
        bio_pool = text_pool(rng, 100, markdown=True)

        total_rows = (n_users + n_networks + n_articles + n_comments + n_threads + n_posts
                      + n_users * 3 + n_articles * 2)
        bar = tqdm(total=total_rows, unit="row", unit_scale=True, desc=f"{size} data set")
        sectors = list(SECTOR_WEIGHTS)
        weights = list(SECTOR_WEIGHTS.values())
        with db.engine.begin() as conn:
            w = Writer(conn, bar, tables)
            # People: about 3% associates (article authors), a few moderators and admins.
            user_created = spread(rng, origin, now - timedelta(days=1), n_users)
            roles = {}
            for uid in range(1, n_users + 1):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                username = "bench.member" if uid == 1 else f"{first}.{last}{uid}".lower().replace("'", "")
                role = ("member" if uid == 1 else "admin" if uid <= 3 else "moderator" if uid <= 10
                        else "associate" if uid % 33 == 0 else "member")
                roles[uid] = role
                sector = rng.choices(sectors, weights)[0]
                bio, bio_html = rng.choice(bio_pool) if rng.random() < 0.4 else ("", "")
                w.add("user", dict(
                    id=uid, username=username, email=f"{username}@example.org",
                    password_hash=password_hash, display_name=f"{first} {last}",
                    job_title=rng.choice(JOBS), organisation=rng.choice(ORGS[sector]),
                    sector=sector, region_id=rng.choice(regions), bio=bio, bio_html=bio_html,
                    role=role, trusted=rng.random() < 0.3, approved_count=0,
                    silenced_reason="", suspended_reason="",
                    accepted_terms_at=user_created[uid - 1], email_confirmed_at=user_created[uid - 1],
                    created_at=user_created[uid - 1]))
            w.flush()

            # Networks: 60% open, 25% closed, 15% private. Network 1 is the open one the
            # benchmark visits; it holds the big thread.
            networks = []
            used_names = set()
            for nid in range(1, n_networks + 1):
                visibility = "open" if nid == 1 else rng.choices(
                    ["open", "closed", "private"], [60, 25, 15])[0]
                while True:
                    name = f"{rng.choice(PLACES)} {rng.choice(SUBJECTS).title()} {rng.choice(KINDS)}"
                    if name.lower() not in used_names:
                        break
                    name = f"{name} {nid}"
                    if name.lower() not in used_names:
                        break
                used_names.add(name.lower())
                description, description_html = rng.choice(article_pool)
                networks.append(dict(
                    id=nid, slug=f"{slugify(name)}-{nid}", name=name,
                    summary=paragraph(rng, 1)[:300], description=description,
                    description_html=description_html, visibility=visibility,
                    region_id=rng.choice(regions + [None]), member_count=0,
                    created_by_id=rng.randint(1, n_users),
                    created_at=origin + timedelta(days=rng.randint(0, 60)),
                    last_activity_at=origin + timedelta(days=61), archived_at=None))
            # Memberships: each person joins a few networks, popular ones more.
            members_of = {nid: [] for nid in range(1, n_networks + 1)}
            popularity = [1 / (i + 1) ** 0.6 for i in range(n_networks)]
            memberships = []
            for uid in range(1, n_users + 1):
                chosen = set(rng.choices(range(1, n_networks + 1), popularity,
                                         k=rng.randint(1, 5)))
                if uid == 1:
                    chosen.add(1)
                for nid in sorted(chosen):
                    members_of[nid].append(uid)
                    memberships.append(dict(
                        id=len(memberships) + 1, user_id=uid, network_id=nid,
                        role="manager" if len(members_of[nid]) == 1 else "member",
                        created_at=user_created[uid - 1]))
            for network in networks:
                network["member_count"] = len(members_of[network["id"]])
                w.add("network", network)
                for topic in rng.sample(topics, min(len(topics), rng.randint(1, 3))):
                    w.add("network_topic", dict(network_id=network["id"], topic_id=topic))
            for row in memberships:
                w.add("membership", row)
            w.flush()

            # Threads and posts. Thread 1 (in network 1) is the big one. Each thread's
            # posts are planned first so its counters go in with the thread row.
            sizes = [big_thread_posts] + _split(rng, n_posts - big_thread_posts, n_threads - 1)
            post_id = 0
            last_activity = {}
            for tid in range(1, n_threads + 1):
                nid = 1 if tid == 1 else rng.choices(range(1, n_networks + 1), popularity)[0]
                people = members_of[nid] or [1]
                created = origin + (now - origin) * (rng.random() ** 0.6)
                count = sizes[tid - 1]
                gap = max(60.0, (now - created).total_seconds() / (count + 1))
                when = created
                visible = 0
                last_at, last_by = created, None
                author = rng.choice(people)
                posts = []
                for number in range(1, count + 1):
                    post_id += 1
                    poster = author if number == 1 else rng.choice(people)
                    status = "visible" if number == 1 or rng.random() > 0.01 else rng.choice(
                        ["hidden", "deleted", "pending"])
                    body, body_html = rng.choice(post_pool)
                    posts.append(dict(id=post_id, thread_id=tid, number=number,
                                      author_id=poster, body=body, body_html=body_html,
                                      status=status, created_at=when, edited_at=None))
                    if status == "visible":
                        visible += 1
                        last_at, last_by = when, poster
                    when = min(now, when + timedelta(seconds=gap * rng.uniform(0.2, 1.8)))
                status = "visible" if tid == 1 else rng.choices(
                    ["visible", "pending", "hidden"], [994, 3, 3])[0]
                w.add("thread", dict(
                    id=tid, network_id=nid, title=title(rng), author_id=author,
                    pinned=rng.random() < 0.01, locked=rng.random() < 0.01, status=status,
                    post_count=visible, last_post_at=last_at, last_poster_id=last_by,
                    created_at=created))
                for row in posts:
                    w.add("post", row)
                if status == "visible" and last_at > last_activity.get(nid, origin):
                    last_activity[nid] = last_at
            w.flush()
            network_table = tables["network"]
            conn.execute(update(network_table).where(network_table.c.id == bindparam("nid"))
                         .values(last_activity_at=bindparam("at")),
                         [{"nid": nid, "at": at} for nid, at in last_activity.items()])

            # Articles by associates: most published, some drafts, a few scheduled.
            authors = [uid for uid, role in roles.items() if role in ("associate", "admin")]
            for tag_id, name in enumerate(TAGS, start=1):
                w.add("tag", dict(id=tag_id, slug=slugify(name), name=name))
            w.flush("tag")
            articles = []
            published = []
            for aid in range(1, n_articles + 1):
                headline = title(rng)
                status = "published" if aid == 1 else rng.choices(
                    ["published", "draft", "withdrawn"], [92, 6, 2])[0]
                created = origin + (now - origin) * rng.random()
                published_at = created if status != "draft" else None
                if status == "published" and aid != 1 and rng.random() < 0.005:
                    published_at = now + timedelta(days=rng.randint(1, 30))  # scheduled
                elif aid == 1:
                    published_at = now - timedelta(days=90)
                nid = None
                if aid != 1 and rng.random() < 0.3:
                    nid = rng.randint(1, n_networks)
                body, body_html = rng.choice(article_pool)
                article = dict(
                    id=aid, slug=f"{slugify(headline)}-{aid}", title=headline,
                    standfirst=paragraph(rng, 1)[:400], body=body, body_html=body_html,
                    author_id=rng.choice(authors), network_id=nid, series_id=None,
                    series_part=None, author_bio=None, author_bio_html=None, status=status,
                    published_at=published_at, updated_at=None, created_at=created,
                    announced_at=published_at if published_at and published_at <= now else None,
                    comments_open=True, comment_count=0)
                articles.append(article)
                if status == "published" and published_at <= now:
                    published.append(article)
            # Comments on published articles; article 1 has the big page. Planned
            # first so each article's comment_count goes in with the article row.
            targets = [articles[0]] * big_article_comments + rng.choices(
                published, k=n_comments - big_article_comments)
            targets.sort(key=lambda a: a["id"])
            comments = []
            last_when = {}
            for article in targets:
                start = last_when.get(article["id"], article["published_at"])
                when = min(now, start + timedelta(minutes=rng.randint(1, 600)))
                last_when[article["id"]] = when
                status = "visible" if rng.random() > 0.01 else rng.choice(["hidden", "deleted"])
                if status == "visible":
                    article["comment_count"] += 1
                body, body_html = rng.choice(comment_pool)
                comments.append(dict(id=len(comments) + 1, article_id=article["id"],
                                     author_id=rng.randint(1, n_users), reply_to_id=None,
                                     body=body, body_html=body_html, status=status,
                                     created_at=when, edited_at=None))
            for article in articles:
                w.add("article", article)
                for tag_id in rng.sample(range(1, len(TAGS) + 1), rng.randint(1, 3)):
                    w.add("article_tag", dict(article_id=article["id"], tag_id=tag_id))
            for row in comments:
                w.add("comment", row)
            w.flush()
            if conn.dialect.name == "postgresql":
                for name in ("user", "network", "membership", "thread", "post", "tag",
                             "article", "comment"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                                      f"(SELECT max(id) FROM \"{name}\"))"))
        bar.close()
        # The rows were written directly, not through the services: build the search
        # index from them, as `flask search reindex` does on a live site.
        from network.search.rebuild import rebuild

        rebuild(progress=True)
        with db.engine.connect() as conn:
            drift = check_counters(conn)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")  # planner statistics, as a live site would have
        from network.core.cache import invalidate

        invalidate(app)
        big_article = articles[0]
        marker = {
            "size": size, "database_url": url, "generated_at": now.isoformat(),
            "seconds": round(time.monotonic() - started, 1),
            "big_thread_id": 1, "big_thread_posts": big_thread_posts,
            "big_article_slug": big_article["slug"], "big_article_comments": big_article_comments,
            "open_network_slug": networks[0]["slug"],
            "member_username": "bench.member", "member_password": BENCH_PASSWORD,
            "profile_username": "bench.member",
            "counts": {"members": n_users, "networks": n_networks, "articles": n_articles,
                       "comments": n_comments, "threads": n_threads, "posts": n_posts},
            "counter_drift": drift,
        }
        db.engine.dispose()
    return marker


def _split(rng, total, parts, cap=900):
    """total posts over parts threads, each at least one and at most cap (so the
    big thread stays the biggest), skewed like real forums."""
    weights = [rng.paretovariate(1.6) for _ in range(parts)]
    scale = (total - parts) / sum(weights)
    sizes = [min(cap, 1 + int(w * scale)) for w in weights]
    i = 0
    while sum(sizes) < total:
        missing = total - sum(sizes)
        for j in range(parts):
            if missing == 0:
                break
            if sizes[(i + j) % parts] < cap:
                sizes[(i + j) % parts] += 1
                missing -= 1
        i += 1
    return sizes


def check_counters(conn) -> dict:
    """Compare every stored counter with the rows; returns {counter: rows that drift}."""
    checks = {
        "thread.post_count": """
            SELECT count(*) FROM thread t LEFT JOIN (
              SELECT thread_id, count(*) n FROM post WHERE status = 'visible' GROUP BY thread_id
            ) p ON p.thread_id = t.id WHERE t.post_count != coalesce(p.n, 0)""",
        "thread.last_post": """
            SELECT count(*) FROM thread t JOIN post p ON p.thread_id = t.id AND p.number = (
              SELECT max(number) FROM post q WHERE q.thread_id = t.id AND q.status = 'visible')
            WHERE p.created_at != t.last_post_at OR p.author_id != t.last_poster_id""",
        "post.number": """
            SELECT count(*) FROM (SELECT thread_id, count(*) n, max(number) m, min(number) f
              FROM post GROUP BY thread_id) x WHERE x.n != x.m OR x.f != 1""",
        "article.comment_count": """
            SELECT count(*) FROM article a LEFT JOIN (
              SELECT article_id, count(*) n FROM comment WHERE status = 'visible'
              GROUP BY article_id) c ON c.article_id = a.id WHERE a.comment_count != coalesce(c.n, 0)""",
        "network.member_count": """
            SELECT count(*) FROM network n LEFT JOIN (
              SELECT network_id, count(*) c FROM membership GROUP BY network_id
            ) m ON m.network_id = n.id WHERE n.member_count != coalesce(m.c, 0)""",
    }
    drift = {name: conn.execute(text(sql)).scalar() for name, sql in checks.items()}
    return drift


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="medium")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--reset", action="store_true",
                        help="drop this app's tables in the database first (PostgreSQL)")
    args = parser.parse_args()
    if args.database_url == DEFAULT_URL:
        for suffix in ("", "-wal", "-shm", ".json"):
            path = Path(str(DEFAULT_DB) + suffix)
            if path.exists():
                path.unlink()
    os.environ.setdefault("RATELIMIT_ENABLED", "0")
    marker = generate(args.database_url, args.size, args.seed, args.reset)
    path = write_marker(args.database_url, marker)
    print(f"Generated the {args.size} data set in {marker['seconds']} s "
          f"(practices skipped: they do not exist in the app yet).")
    print(f"Counter drift (rows whose stored counter disagrees with the data): {marker['counter_drift']}")
    print(f"Marker: {path}")
    if any(marker["counter_drift"].values()):
        sys.exit("Counters drift: this is a bug in generate.py.")


if __name__ == "__main__":
    main()
