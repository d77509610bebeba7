"""The home page, the fixed information pages and the health check."""
from flask import Blueprint, jsonify, render_template
from flask_login import current_user

from network.articles.services import latest_articles
from network.core import policy
from network.core.db import database_answers
from network.forum.services import active_threads
from network.networks.services import most_active
from network.practices.library import latest_practices

bp = Blueprint("site", __name__)

INFO_PAGES = ("terms", "privacy", "cookies", "accessibility")


@bp.route("/")
def home():
    viewer = current_user
    # The lists are loaded inside a fragment shared by viewers of the same reach.
    return render_template(
        "site/home.html", lists_key=("lists", policy.reach_key(viewer)),
        load_latest_articles=lambda: latest_articles(viewer),
        load_active_threads=lambda: active_threads(viewer),
        load_networks=lambda: most_active(viewer),
        load_practices=lambda: latest_practices(viewer),
    )


def _info_page(name):
    def view():
        return render_template(f"site/{name}.html")

    view.__name__ = name
    return view


for _name in INFO_PAGES:
    bp.add_url_rule(f"/{_name}", _name, _info_page(_name))


@bp.route("/healthz")
def healthz():
    database_answers()
    return jsonify(status="ok")
