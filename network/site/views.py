"""The home page, the fixed information pages and the health check."""
from flask import (Blueprint, abort, flash, jsonify, make_response, redirect, render_template,
                   request, url_for)
from flask_login import current_user

from network.accounts.muting import muted_ids
from network.articles.services import latest_articles
from network.core import policy
from network.core.db import database_answers
from network.core.forms import attempt
from network.extensions import limiter
from network.events.queries import upcoming as upcoming_events
from network.forum.services import active_threads
from network.networks.services import most_active
from network.notifications.mail import send_after_response
from network.practices.library import latest_practices
from network.site import retention
from network.site.contact import send_contact_message
from network.site.forms import ContactForm

bp = Blueprint("site", __name__)

INFO_PAGES = ("terms", "privacy", "cookies", "accessibility", "guidelines")
# /help/<slug>: (slug, title, one line), each page in templates/site/help/<slug>.html.
HELP_PAGES = (
    ("joining", "Joining a network",
     "Open, closed and private networks, asking to join, and what members can do."),
    ("practice", "Writing a good practice record",
     "What to put in each part, measures, and being honest about evidence."),
    ("moderation", "How moderation works",
     "Flagging, waiting for approval, what moderators can do, and the log."),
    ("muting", "Muting a member",
     "What muting someone does and does not do, and where to go about abuse."),
)


@bp.route("/")
def home():
    viewer = current_user
    # The lists are loaded inside a fragment shared by viewers of the same reach.
    # What people the viewer muted wrote is folded away: whom is part of the key,
    # so only those who muted the same people share a muter's copy.
    muted = muted_ids(viewer)
    return render_template(
        "site/home.html", lists_key=("lists", policy.reach_key(viewer), tuple(sorted(muted))),
        muted=muted,
        load_latest_articles=lambda: latest_articles(viewer),
        load_active_threads=lambda: active_threads(viewer),
        load_networks=lambda: most_active(viewer),
        load_practices=lambda: latest_practices(viewer),
        load_events=lambda: upcoming_events(viewer),
    )


def _info_page(name):
    def view():
        return render_template(f"site/{name}.html", retention_days=retention.DAYS)

    view.__name__ = name
    return view


for _name in INFO_PAGES:
    bp.add_url_rule(f"/{_name}", _name, _info_page(_name))


@bp.route("/help")
def help_index():
    return render_template("site/help.html", help_pages=HELP_PAGES)


@bp.route("/help/<page>")
def help_page(page):
    if page not in {slug for slug, _title, _line in HELP_PAGES}:
        abort(404)
    return render_template(f"site/help/{page}.html")


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def contact():
    form = ContactForm()
    if request.method == "GET" and current_user.is_authenticated:
        form.name.data, form.email.data = current_user.display_name, current_user.email
    if form.validate_on_submit():
        viewer = current_user._get_current_object()
        if attempt(lambda: send_contact_message(
                viewer, name=form.name.data, email=form.email.data, subject=form.subject.data,
                message=form.message.data), form):
            flash("Thank you. Your message has been sent; we reply within 5 working days.",
                  "success")
            return send_after_response(redirect(url_for("site.contact")))
    return render_template("site/contact.html", form=form), 400 if form.errors else 200


@bp.route("/healthz")
def healthz():
    database_answers()
    return jsonify(status="ok")
