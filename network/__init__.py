"""What Works Network: the application factory."""
import logging
import os

from flask import Flask

from network import config as config_module
from network.extensions import csrf, db, limiter, login_manager, migrate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
        instance_path=os.environ.get("NETWORK_INSTANCE_PATH", os.path.join(ROOT, "instance")),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config_module.from_environment(app.instance_path, config))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from network.core import db as _sqlite_rules  # noqa: F401  (registers engine events)
    from network.core.converters import IdConverter

    app.url_map.converters["id"] = IdConverter
    app.url_map.strict_slashes = True

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from network.accounts.signed_in import init_login

    init_login(login_manager)

    _register_models()
    _register_content_kinds()
    _register_blueprints(app)
    _register_mentions(app)
    from network.site.contents import register as register_contents

    register_contents(app)  # what one domain's pages show of the others
    _register_template_helpers(app)
    app.config["NAV_ENDPOINTS"] = frozenset(app.view_functions)

    from network.core import cache, handlers, security

    security.init_app(app)
    handlers.init_app(app)
    cache.init_app(app)  # after security: its request guards run before a cache hit

    from network.commands import register_commands

    register_commands(app)
    security.trust_proxy(app)  # outermost: every middleware sees the client's address
    return app


def _register_models() -> None:
    """Import every domain's models so metadata (and Alembic) sees all tables."""
    from network.accounts import models as _accounts  # noqa: F401
    from network.articles import models as _articles  # noqa: F401
    from network.events import models as _events  # noqa: F401
    from network.forum import models as _forum  # noqa: F401
    from network.library import models as _library  # noqa: F401
    from network.moderation import models as _moderation  # noqa: F401
    from network.networks import models as _networks  # noqa: F401
    from network.notifications import models as _notifications  # noqa: F401
    from network.practices import models as _practices  # noqa: F401
    from network.search import models as _search  # noqa: F401


def _register_content_kinds() -> None:
    """Each content domain registers its kinds of content with moderation (which
    imports none of them) when its ``targets`` module is imported."""
    from network.articles import targets as _comments  # noqa: F401
    from network.forum import targets as _posts_and_threads  # noqa: F401
    from network.practices import targets as _practices  # noqa: F401
    from network.library import targets as _documents  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from network.accounts.muting_views import bp as muting
    from network.accounts.twofactor_views import bp as twofactor
    from network.accounts.views import bp as accounts
    from network.admin.views import bp as admin
    from network.articles.views import bp as articles
    from network.events.views import bp as events
    from network.forum.views import bp as forum
    from network.library.views import bp as library
    from network.moderation.views import bp as moderation
    from network.networks.views import bp as networks
    from network.notifications.views import bp as notifications
    from network.practices.views import bp as practices
    from network.search.views import bp as search
    from network.site.views import bp as site

    for blueprint in (site, accounts, twofactor, muting, admin, notifications, networks,
                      articles, forum, moderation, practices, search, library, events):
        app.register_blueprint(blueprint)


def _register_mentions(app: Flask) -> None:
    """The sanitiser links @name only for people this finds (core knows no domain)."""
    from network.notifications.mentions import existing_usernames

    app.extensions["mention_lookup"] = existing_usernames


def _register_template_helpers(app: Flask) -> None:
    from network.core import policy
    from network.core.forms import ActionForm
    from network.core.fragments import cached_fragment
    from network.core.pagination import page_url
    from network.core.time import date_time, in_zone, is_indefinite, long_date, until

    from network.notifications.watching import LEVEL_HINTS, LEVEL_LABELS

    app.jinja_env.globals.update(policy=policy, ActionForm=ActionForm,
                                  cached_fragment=cached_fragment, page_url=page_url,
                                  watch_levels=LEVEL_LABELS, watch_hints=LEVEL_HINTS)
    app.jinja_env.filters.update(long_date=long_date, date_time=date_time, until=until,
                               in_zone=in_zone)
    app.jinja_env.tests.update(indefinite=is_indefinite)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
