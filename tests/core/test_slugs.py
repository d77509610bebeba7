"""The one slug generator (core/slugs.py), used by networks, articles, series and tags."""
import re

from network.articles.models import Article
from network.core.slugs import slugify, unique_slug
from network.extensions import db
from network.networks.models import Network


def test_letters_are_transliterated_not_dropped():
    assert slugify("Straße der Ærø-Œuvre") == "strasse-der-aero-oeuvre"


def test_a_cut_slug_does_not_end_in_a_hyphen():
    assert slugify("care homes and more", max_length=11) == "care-homes"


def test_networks_and_articles_make_the_same_slug(app, make_user, make_network):
    with app.app_context():
        assert (unique_slug(Network.slug, "Straße", fallback="network", max_length=74)
                == unique_slug(Article.slug, "Straße", fallback="article", max_length=100)
                == "strasse")


def test_a_taken_slug_gets_a_random_suffix(app, make_network):
    make_network(name="Strasse", slug="strasse")
    with app.app_context():
        made = {unique_slug(Network.slug, "Straße", fallback="network", max_length=74)
                for _ in range(5)}
    assert all(re.fullmatch(r"strasse-[a-z0-9]{4}", slug) for slug in made)
    assert len(made) > 1


def test_a_reserved_slug_takes_the_fallback(app):
    with app.app_context():
        assert unique_slug(Article.slug, "Mine", fallback="article", max_length=100,
                           reserved={"mine"}) == "mine-article"
        assert db.session.scalar(db.select(db.func.count(Article.id))) == 0
