"""Factories for practices and adoptions, and the form data a person would send."""
import pytest
from sqlalchemy import select

from network.extensions import db
from network.practices.models import Practice
from tests.practices.factories import add_adoption, add_practice


@pytest.fixture
def make_practice(app):
    """make_practice(author, **fields) -> a committed, detached Practice."""

    def factory(author, **fields):
        with app.app_context():
            practice = add_practice(author, **fields)
            db.session.commit()
            slug = practice.slug
            practice = db.session.scalar(select(Practice).where(Practice.slug == slug))
            db.session.expunge_all()
        return practice

    return factory


@pytest.fixture
def make_adoption(app):
    def factory(practice_slug, adopter, organisation, **fields):
        with app.app_context():
            practice = db.session.scalar(select(Practice).where(Practice.slug == practice_slug))
            adoption = add_adoption(practice, adopter, organisation, **fields)
            db.session.commit()
            adoption_id = adoption.id
        return adoption_id

    return factory


def practice_form(**overrides):
    """The new-practice form as a person fills it in (one measure row)."""
    data = {
        "title": "Care-home in-reach team", "summary": "A named clinician for every home.",
        "problem": "Too many **avoidable** admissions.", "approach": "Weekly visits.",
        "results": "Admissions fell.", "key_learning": "Start small.",
        "measures-0-name": "Emergency admissions", "measures-0-before": "212",
        "measures-0-after": "168", "measures-0-unit": "per 1,000", "measures-0-period":
        "2022 to 2024", "measures-0-direction": "lower",
        "measures-1-name": "", "measures-1-before": "", "measures-1-after": "",
        "measures-1-unit": "", "measures-1-period": "", "measures-1-direction": "lower",
        "sectors": ["nhs", "third_sector"], "partners": "Age Well Together\nWearside Council",
        "region": "north-east-and-yorkshire", "organisation": "Tyneside Community Health",
        "topics": ["frailty-and-older-people"], "cost_band": "under_10k",
        "evidence_level": "2", "evidence_links": "https://example.org/evaluation",
        "contact": "", "network": "", "action": "publish",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def adoption_form(**overrides):
    data = {"organisation": "Midlands Partnership", "region": "midlands", "stage": "trying",
            "adaptations": "Fortnightly visits.", "note": "Started in March.",
            "figures-0-before": "", "figures-0-after": "", "figures-0-period": "",
            "action": "save"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
