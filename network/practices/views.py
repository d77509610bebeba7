"""The practice library: list (and CSV), map, practice pages, writing, adopting."""
from flask import (Blueprint, abort, current_app, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from network.core.policy import practices as rules
from network.core.policy import Anonymous
from network.core.errors import Conflict, DomainError
from network.core.forms import ActionForm, attempt, show_domain_error
from network.core.handlers import refuse
from network.core.pagination import page_arg, paginate
from network.core.security import limit_watching
from network.core.time import utcnow
from network.extensions import db
from network.notifications import watching
from network.practices import adoptions, library, mentions, services
from network.practices.forms import (AdoptionForm, AdoptionUpdateForm, PracticeForm,
                                     filled_rows)
from network.practices.models import (COST_BANDS, DIRECTIONS, EVIDENCE_LEVELS, SECTORS,
                                      STAGES, Practice)

bp = Blueprint("practices", __name__)
PER_PAGE = 20
LABELS = {"sectors": SECTORS, "costs": COST_BANDS, "levels": EVIDENCE_LEVELS,
          "stages": STAGES, "directions": DIRECTIONS, "sorts": library.SORTS}


def _viewer():
    return current_user._get_current_object()


def _readable(slug: str):
    practice = services.get_practice(slug)
    if practice is None or not rules.can_read_practice(_viewer(), practice):
        abort(404)
    return practice


# --- the library and the map ---------------------------------------------------

@bp.route("/practices/")
def index():
    filters = library.Filters.from_args(request.args)
    if request.args.get("format") == "csv":
        response = make_response(library.csv_text(
            _viewer(), filters, current_app.config.get("BASE_URL", "").rstrip("/")))
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = 'attachment; filename="practices.csv"'
        return response
    page = paginate(library.library_statement(_viewer(), filters), page_arg(), PER_PAGE)
    return render_template("practices/index.html", page=page, filters=filters,
                           reached=library.regions_reached(p.id for p in page.items),
                           awaiting=library.awaiting_approval(_viewer()),
                           region_options=[(r.slug, r.name) for r in services.regions()],
                           topic_options=[(t.slug, t.name) for t in services.topics()],
                           evidence_options=[(n, f"Level {n}: {title}")
                                             for n, (title, _) in EVIDENCE_LEVELS.items()],
                           csv_url=url_for("practices.index", format="csv",
                                           **filters.query_args()), **LABELS)


@bp.route("/practices/map")
def spread_map():
    topic = library.Filters.from_args(request.args).topic
    counts = library.map_counts(_viewer(), topic=topic)
    return render_template("practices/map.html", tiles=library.map_tiles(counts), topic=topic,
                           topics=services.topics())


# --- one practice --------------------------------------------------------------

@bp.route("/practices/<slug>")
def practice(slug):
    practice = _readable(slug)
    viewer, now = _viewer(), utcnow()
    entries = services.timeline(practice)
    first, last = {}, {}
    for entry in entries:
        first.setdefault(entry.adoption_id, entry.id)
        last[entry.adoption_id] = entry.id
    return render_template(
        "practices/practice.html", practice=practice, entries=entries,
        spread=library.spread(practice), summary=library.replication(practice, entries),
        tiles=library.map_tiles(library.map_counts(viewer, practice=practice)),
        needs_review=rules.needs_review(practice, now),
        can_edit=rules.can_edit_practice(viewer, practice),
        can_review=rules.can_review_practice(viewer, practice),
        can_history=rules.can_read_practice_history(viewer, practice),
        can_adopt=rules.can_adopt_practice(viewer, practice),
        watch_level=(watching.level_of(viewer, "practice", practice.id)
                     if rules.can_watch_practice(viewer, practice) else None),
        mentions=mentions.mentioned_in(viewer, practice),
        first_entries=set(first.values()), last_entries=set(last.values()),
        own_adoptions={e.adoption_id for e in entries
                       if rules.can_update_adoption(viewer, e.adoption)}, **LABELS)


@bp.route("/practices/<slug>/history")
@login_required
def history(slug):
    practice = _readable(slug)
    if not rules.can_read_practice_history(_viewer(), practice):
        abort(403)
    return render_template("practices/history.html", practice=practice,
                           revisions=services.revisions(practice))


@bp.route("/practices/<slug>/review", methods=["POST"])
@login_required
def review(slug):
    practice = _readable(slug)
    if not rules.can_review_practice(_viewer(), practice):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.review_practice(_viewer(), practice)
    flash("Marked as reviewed today.", "success")
    return redirect(url_for("practices.practice", slug=practice.slug))


@bp.route("/practices/<slug>/watch", methods=["POST"])
@limit_watching
@login_required
def watch(slug):
    """Watching (every adoption, stage change and result), normal or muted."""
    practice = _readable(slug)
    level = request.form.get("level", "")
    if ActionForm().validate_on_submit() and attempt(
            lambda: services.set_watch_level(_viewer(), practice, level), unnamed="flash",
            escalate=(403,)):
        flash(watching.CHOSEN["practice"][level], "success")
    return redirect(url_for("practices.practice", slug=practice.slug))


# --- writing -------------------------------------------------------------------

def _measure_input(row, measure_id=None):
    return services.MeasureInput(
        name=(row.name.data if hasattr(row, "name") else "") or "",
        before=row.numbers["before"], after=row.numbers["after"],
        unit=(row.unit.data if hasattr(row, "unit") else "") or "",
        period=row.period.data or "",
        direction=(row.direction.data if hasattr(row, "direction") else "lower") or "lower",
        measure_id=measure_id)


def _practice_form(author, practice=None):
    form = PracticeForm(obj=practice if request.method == "GET" else None)
    form.region.choices = [("", "Choose a region")] + [(r.slug, r.name)
                                                       for r in services.regions()]
    form.topics.choices = [(t.slug, t.name) for t in services.topics()]
    form.network.choices = [("", "No network (public)")] + [
        (n.id, f"{n.name} ({n.visibility})") for n in services.author_networks(author)]
    if request.method == "GET":
        if practice is None:
            form.organisation.data = author.organisation
            form.region.data = author.region.slug if author.region else ""
        else:
            form.region.data = practice.origin_region.slug if practice.origin_region else ""
            form.topics.data = [t.slug for t in practice.topics]
            form.sectors.data = practice.sectors
            form.network.data = practice.network_id
            form.evidence_level.data = str(practice.evidence_level)
            form.contact.data = practice.contact.username if practice.contact else ""
            while len(form.measures.entries) < len(practice.measures) + 1:
                form.add_row(form.measures)
            for entry, measure in zip(form.measures.entries, practice.measures):
                row = entry.form
                row.name.data, row.unit.data, row.period.data = (measure.name, measure.unit,
                                                                 measure.period)
                row.before.data, row.after.data = f"{measure.before:g}", f"{measure.after:g}"
                row.direction.data = measure.direction
    return form


def _practice_input(form) -> services.PracticeInput:
    return services.PracticeInput(
        title=form.title.data or "", summary=form.summary.data or "",
        problem=form.problem.data or "", approach=form.approach.data or "",
        results=form.results.data or "", key_learning=form.key_learning.data or "",
        measures=[_measure_input(row) for row in filled_rows(form.measures)],
        sectors=form.sectors.data or [], partners=form.partners.data or "",
        region=form.region.data or "", organisation=form.organisation.data or "",
        topics=form.topics.data or [], cost_band=form.cost_band.data or "",
        evidence_level=int(form.evidence_level.data), evidence_links=form.evidence_links.data
        or "", contact=form.contact.data or "", network_id=form.network.data)


def _write(form, practice=None):
    action = request.form.get("action", "")
    if action == "add_row":
        form.add_row(form.measures)
        return None
    if action not in services.ACTIONS:
        form.form_errors.append("Choose what to do: save a draft or publish.")
        return None
    if not form.validate():
        return None
    try:
        if practice is None:
            saved = services.create_practice(_viewer(), _practice_input(form), action)
        else:
            saved = services.update_practice(_viewer(), practice, _practice_input(form), action)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return None
    flash({"draft": "Draft saved.", "withdraw": "Practice withdrawn.",
           "publish": "Practice published." if saved.status == "published" else
           "Thank you. Your practice will appear when a moderator has approved it."}[action],
          "success")
    return redirect(url_for("practices.practice", slug=saved.slug))


def _form_page(form, practice=None):
    status = 400 if request.method == "POST" and form.has_errors() else 200
    return render_template("practices/edit.html", form=form, practice=practice,
                           levels=EVIDENCE_LEVELS), status


@bp.route("/practices/new", methods=["GET", "POST"])
@login_required
def new_practice():
    if not rules.can_submit_practice(_viewer()):
        refuse(_viewer())
    form = _practice_form(_viewer())
    if request.method == "POST":
        response = _write(form)
        if response is not None:
            return response
    return _form_page(form)


@bp.route("/practices/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_practice(slug):
    practice = _readable(slug)
    if not rules.can_edit_practice(_viewer(), practice):
        abort(403)
    form = _practice_form(practice.author, practice)
    if request.method == "POST":
        response = _write(form, practice)
        if response is not None:
            return response
    return _form_page(form, practice)


# --- adopting ------------------------------------------------------------------

def _adoption_input(form, practice) -> services.AdoptionInput:
    figures = [_measure_input(entry.form, measure.id)
               for entry, measure in zip(form.figures.entries, practice.measures)
               if not entry.form.is_blank()]
    figures += [_measure_input(row) for row in filled_rows(form.own)]
    return services.AdoptionInput(
        stage=form.stage.data or "", note=form.note.data or "",
        region=getattr(form, "region", None) and form.region.data or "",
        organisation=getattr(form, "organisation", None) and form.organisation.data or "",
        adaptations=getattr(form, "adaptations", None) and form.adaptations.data or "",
        figures=figures)


def _adoption_page(template, form, practice, status=200, **context):
    return render_template(template, form=form, practice=practice,
                           figure_rows=list(zip(form.figures.entries, practice.measures)),
                           **LABELS, **context), status


@bp.route("/practices/<slug>/adopt", methods=["GET", "POST"])
@login_required
def adopt(slug):
    practice = _readable(slug)
    viewer = _viewer()
    if not rules.can_adopt_practice(viewer, practice):
        refuse(viewer)
    form = AdoptionForm()
    form.region.choices = [("", "Choose a region")] + [(r.slug, r.name)
                                                       for r in services.regions()]
    form.fit_figures(len(practice.measures))
    if request.method == "GET":
        form.organisation.data = viewer.organisation
        form.region.data = viewer.region.slug if viewer.region else ""
        form.stage.data = "planning"
    existing = adoptions.existing_adoption(practice, form.organisation.data or "")
    if request.method == "POST":
        if request.form.get("action") == "add_row":
            form.add_row(form.own)
            return _adoption_page("practices/adopt.html", form, practice, existing=existing)
        if form.validate():
            try:
                adoption = adoptions.adopt_practice(viewer, practice,
                                                   _adoption_input(form, practice))
            except DomainError as error:
                db.session.rollback()
                show_domain_error(form, error)
                if isinstance(error, Conflict):
                    existing = adoptions.existing_adoption(practice, form.organisation.data)
            else:
                flash("Thank you: your adoption is on the practice's timeline.", "success")
                return redirect(url_for("practices.practice", slug=practice.slug)
                                + f"#adoption-{adoption.id}")
        return _adoption_page("practices/adopt.html", form, practice, 400, existing=existing)
    return _adoption_page("practices/adopt.html", form, practice, existing=None)


@bp.route("/practices/<slug>/adoptions/<id:adoption_id>", methods=["GET", "POST"])
@login_required
def adoption(slug, adoption_id):
    practice = _readable(slug)
    try:
        adoption = services.get_adoption(practice, adoption_id)
    except DomainError:
        abort(404)
    viewer = _viewer()
    if not rules.can_update_adoption(viewer, adoption):
        abort(403)
    form = AdoptionUpdateForm()
    form.fit_figures(len(practice.measures))
    if request.method == "GET":
        form.stage.data = adoption.stage
    elif request.form.get("action") == "add_row":
        form.add_row(form.own)
    elif form.validate():
        try:
            adoptions.update_adoption(viewer, adoption, _adoption_input(form, practice))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            flash("Update added to the timeline.", "success")
            return redirect(url_for("practices.practice", slug=practice.slug)
                            + f"#adoption-{adoption.id}")
    status = 400 if request.method == "POST" and form.has_errors() else 200
    return _adoption_page("practices/adoption.html", form, practice, status, adoption=adoption)


# --- feeds (only what anyone may read) -------------------------------------------

def _feed(title, entries, self_url, alternate_url):
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    body = render_template("practices/feed.xml", title=title, entries=entries,
                           self_url=base + self_url, alternate_url=base + alternate_url,
                           updated=max((e["updated"] for e in entries), default=utcnow()))
    response = make_response(body)
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return response


def _practice_entry(practice, base):
    url = base + url_for("practices.practice", slug=practice.slug)
    return {"id": url, "url": url, "title": practice.title, "summary": practice.summary,
            "published": practice.published_at, "updated": practice.updated_at,
            "author": practice.author.display_name, "content": practice.results_html}


@bp.route("/practices/feed.atom")
def feed():
    """New and updated practices that anyone may read."""
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    practices = db.session.scalars(library.library_statement(
        Anonymous(), library.Filters(sort="updated")).options(
            joinedload(Practice.author)).limit(20)).unique()
    return _feed("What Works Network: practices", [_practice_entry(p, base) for p in practices],
                 url_for("practices.feed"), url_for("practices.index"))


@bp.route("/practices/<slug>/feed.atom")
def practice_feed(slug):
    """One practice and its adoption entries, when anyone may read it (else 404)."""
    practice = services.get_practice(slug)
    if practice is None or not rules.can_read_practice(Anonymous(), practice):
        abort(404)
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    url = base + url_for("practices.practice", slug=practice.slug)
    entries = [{"id": f"{url}#update-{e.id}", "url": f"{url}#adoption-{e.adoption_id}",
                "title": f"{e.adoption.organisation} ({e.adoption.region.name}): "
                         f"{STAGES[e.stage]}", "summary": "", "content": e.note_html,
                "published": e.created_at, "updated": e.created_at,
                "author": e.author.display_name if e.author else e.adoption.organisation}
               for e in reversed(services.timeline(practice))]
    return _feed(f"{practice.title}: where it spread", entries + [_practice_entry(practice, base)],
                 url_for("practices.practice_feed", slug=practice.slug),
                 url_for("practices.practice", slug=practice.slug))
