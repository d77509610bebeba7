"""Command-line tasks that span domains: ``flask --app network <command>``.

Registered by ``create_app``. This is the application level: it may know every
domain, which ``network/core`` may not. Each domain lists what it stores
rendered and counted (``network/<domain>/maintenance.py``); the commands walk
those lists with core's domain-free helpers.
"""
import os
import sqlite3
from pathlib import Path
from typing import Callable

import click
from flask import Flask
from flask.cli import AppGroup
from tqdm import tqdm

from network.accounts import maintenance as accounts
from network.articles import maintenance as articles
from network.core import counters, rendering
from network.core.cache import invalidate
from network.core.errors import DomainError
from network.extensions import db
from network.forum import maintenance as forum
from network.networks import maintenance as networks
from network.notifications import maintenance as notifications
from network.practices import maintenance as practices
from network.practices import mentions as practice_mentions

RENDERED_FIELDS = (accounts.RENDERED_FIELDS + networks.RENDERED_FIELDS
                   + articles.RENDERED_FIELDS + forum.RENDERED_FIELDS
                   + practices.RENDERED_FIELDS)
COUNTERS = (forum.COUNTERS + articles.COUNTERS + networks.COUNTERS + practices.COUNTERS
            + notifications.COUNTERS)


def recount(progress: Callable | None = None) -> dict[str, int]:
    """Correct every stored counter of every domain; returns {counter name: rows
    that were wrong}. One commit."""
    return counters.recount(COUNTERS, progress=progress)


PAGES_PER_STEP = 1024  # a step holds the database's lock; writers wait at most that long

POSTGRESQL_BACKUP = ("flask backup copies SQLite databases only. On PostgreSQL use pg_dump "
                     "(pg_dump --format=custom --file=network.dump \"$DATABASE_URL\") and "
                     "pg_restore to restore; see \"Backup and restore\" in the README.")


def backup_sqlite(source: str, target: Path, progress: Callable | None = None) -> str:
    """Copy the SQLite file ``source`` to ``target`` with SQLite's online backup API,
    a few pages at a time, so the site may go on reading and writing meanwhile (a
    write between steps restarts the copy from the changed pages). The copy is
    written beside ``target`` and renamed into place only once whole and checked,
    so a failed run never leaves a half backup under the given name. Returns the
    copy's ``PRAGMA integrity_check`` answer ("ok")."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # mode=rw: a mistyped path is an error, not a new empty database to copy
    origin = sqlite3.connect(Path(source).resolve().as_uri() + "?mode=rw", uri=True)
    copy = sqlite3.connect(partial)
    try:
        origin.backup(copy, pages=PAGES_PER_STEP,
                      progress=(lambda status, remaining, total: progress(total - remaining, total))
                      if progress else None)
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        origin.close()
        copy.close()
    if verdict != "ok":
        partial.unlink()
        raise click.ClickException(f"The copy failed its integrity check: {verdict}")
    os.replace(partial, target)
    return verdict


def register_commands(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.option("--username", prompt=True)
    @click.option("--email", prompt=True)
    @click.option("--name", "display_name", prompt="Full name")
    @click.option("--role", type=click.Choice(["member", "associate", "moderator", "admin"]),
                  default="member", show_default=True)
    @click.password_option()
    def create_user(username, email, display_name, role, password):
        """Create an account (for example the first admin)."""
        from network.accounts.services import register_user

        if len(password) < 10:
            raise click.BadParameter("Passwords must be at least 10 characters.")
        try:
            user = register_user(username=username, email=email, password=password,
                                 display_name=display_name, role=role)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        invalidate()
        click.echo(f"Created {user.username} ({user.role}).")

    @app.cli.command("seed-demo")
    def seed_demo():
        """Add believable demo content; running it again adds nothing."""
        from network.site.demo import seed

        created = seed()
        if created:
            from network.search.rebuild import rebuild

            rebuild()
            practice_mentions.rebuild()
        invalidate()
        click.echo("Demo content added." if created else "Demo content already present.")

    @app.cli.command("render-all")
    def render_all():
        """Re-render every stored HTML field with the current sanitiser rules."""
        for field in RENDERED_FIELDS:
            rendering.render_field(field, progress=lambda batches, name: tqdm(
                batches, desc=name, unit="batch"))
        # Which practices a text links to follows its HTML (issue 10).
        linked = practice_mentions.rebuild()
        invalidate()
        click.echo(f"Rendered. {linked} links to practices noted.")

    mail = click.Group("mail", help="The outbox.")
    app.cli.add_command(mail)

    @mail.command("send")
    def mail_send():
        """Send queued mail over SMTP (MAIL_URL)."""
        from network.notifications.mail import send_pending

        sent, failed = send_pending(limit=10_000)
        click.echo(f"Sent {sent}, failed {failed}.")

    notifications = AppGroup("notifications", help="Notification mail.")
    app.cli.add_command(notifications)

    @notifications.command("digest")
    @click.option("--daily", "frequency", flag_value="daily", help="The daily summary.")
    @click.option("--weekly", "frequency", flag_value="weekly", help="The weekly summary.")
    def notifications_digest(frequency):
        """Queue one summary mail per person with unread notifications for this
        digest (run daily and weekly from cron or a systemd timer, then `mail send`)."""
        from network.notifications.digest import send_digests

        if frequency is None:
            raise click.UsageError("Choose --daily or --weekly.")
        click.echo(f"Queued {send_digests(frequency)} {frequency} summaries.")

    articles_group = AppGroup("articles", help="Articles.")
    app.cli.add_command(articles_group)

    @articles_group.command("announce-due")
    def articles_announce_due():
        """Tell networks' watchers of the scheduled articles whose time has come, each
        once (run every few minutes from cron or a systemd timer; safe on several
        machines at once)."""
        from network.articles.announcing import announce_due

        announced = announce_due(progress=lambda ids: tqdm(ids, desc="articles",
                                                          unit="article", disable=None))
        if announced:
            invalidate()  # the watchers' unread counts and the networks' activity
        click.echo(f"Announced {announced} article{'s' if announced != 1 else ''}.")

    search = AppGroup("search", help="The full-text search index.")
    app.cli.add_command(search)

    @search.command("reindex")
    def search_reindex():
        """Rebuild the search index from every network, thread, post, article, comment,
        practice and member (one transaction, with a progress bar)."""
        from network.search.rebuild import rebuild

        click.echo(f"Indexed {rebuild(progress=True)} documents.")

    @app.cli.command("recount")
    def recount_command():
        """Recompute every stored counter from the rows and report the drift."""
        drift = recount(progress=lambda items: tqdm(items, desc="counters", unit="counter"))
        invalidate()  # corrected counters show on cached pages at once
        for name, rows in drift.items():
            click.echo(f"{name}: {rows} row{'s' if rows != 1 else ''} corrected")
        click.echo(f"Drift: {sum(drift.values())} rows were wrong.")

    @app.cli.command("retention")
    def retention_command():
        """Remove what the privacy notice says is kept no longer (run daily)."""
        from network.site.retention import apply_retention

        removed = apply_retention(progress=lambda steps: tqdm(steps, desc="retention",
                                                              unit="kind", disable=None))
        invalidate()  # erased names leave cached pages at once
        for name, rows in removed.items():
            click.echo(f"{name.replace('_', ' ')}: {rows}")

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(path: Path):
        """Copy the SQLite database to PATH; safe while the site runs."""
        url = db.engine.url
        if url.get_backend_name() != "sqlite":
            raise click.ClickException(POSTGRESQL_BACKUP)
        if not url.database or url.database == ":memory:":
            raise click.ClickException("The database is in memory: there is no file to copy.")
        if path.exists():
            raise click.ClickException(f"{path} exists already; choose a new name.")
        with tqdm(desc="backup", unit="page", disable=None) as bar:
            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            verdict = backup_sqlite(url.database, path, progress)
        click.echo(f"Backed up {url.database} to {path} (integrity check: {verdict}).")
