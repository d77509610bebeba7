"""Command-line tasks that span domains: ``flask --app network <command>``.

Registered by ``create_app``. This is the application level: it may know every
domain, which ``network/core`` may not. Each domain lists what it stores
rendered and counted (``network/<domain>/maintenance.py``); the commands walk
those lists with core's domain-free helpers.
"""
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
from network.forum import maintenance as forum
from network.networks import maintenance as networks
from network.practices import maintenance as practices

RENDERED_FIELDS = (accounts.RENDERED_FIELDS + networks.RENDERED_FIELDS
                   + articles.RENDERED_FIELDS + forum.RENDERED_FIELDS
                   + practices.RENDERED_FIELDS)
COUNTERS = forum.COUNTERS + articles.COUNTERS + networks.COUNTERS + practices.COUNTERS


def recount(progress: Callable | None = None) -> dict[str, int]:
    """Correct every stored counter of every domain; returns {counter name: rows
    that were wrong}. One commit."""
    return counters.recount(COUNTERS, progress=progress)


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
        invalidate()
        click.echo("Demo content added." if created else "Demo content already present.")

    @app.cli.command("render-all")
    def render_all():
        """Re-render every stored HTML field with the current sanitiser rules."""
        for field in RENDERED_FIELDS:
            rendering.render_field(field, progress=lambda batches, name: tqdm(
                batches, desc=name, unit="batch"))
        invalidate()
        click.echo("Rendered.")

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

    @app.cli.command("recount")
    def recount_command():
        """Recompute every stored counter from the rows and report the drift."""
        drift = recount(progress=lambda items: tqdm(items, desc="counters", unit="counter"))
        invalidate()  # corrected counters show on cached pages at once
        for name, rows in drift.items():
            click.echo(f"{name}: {rows} row{'s' if rows != 1 else ''} corrected")
        click.echo(f"Drift: {sum(drift.values())} rows were wrong.")
