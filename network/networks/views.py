"""Networks: directory, network home, joining and leaving, members, requests, settings."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from network.accounts.models import SECTORS
from network.accounts.muting import muted_ids
from network.core import policy
from network.core.converters import parse_id
from network.core.forms import ActionForm, attempt
from network.core.handlers import refuse
from network.core.pagination import page_arg, paginate
from network.core.security import limit_watching
from network.core.viewer import viewer as _viewer
from network.extensions import limiter, login_manager
from network.networks import contents, invitations, membership, services
from network.networks.forms import (NATIONAL, ArchiveForm, DecisionForm, DirectoryFilterForm,
                                    InviteForm, JoinRequestForm, LeaveForm, MemberActionForm,
                                    NetworkForm)
from network.notifications import watching
from network.notifications.mail import send_after_response

bp = Blueprint("networks", __name__, url_prefix="/networks")

PER_PAGE = 20


def _access(slug):
    """(network, the viewer's verdict on it), or 404 when it does not exist or the
    viewer may not know it does."""
    network = services.get_network(slug)
    access = policy.network_access(current_user, network)
    if access is policy.Access.NOT_FOUND:
        abort(404)
    return network, access


def _load(slug):
    return _access(slug)[0]


def _signed_in_or_redirect():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _load_managed(slug):
    """(network, None) for people who manage it; (None, response) otherwise."""
    network = _load(slug)
    redirect_response = _signed_in_or_redirect()
    if redirect_response is not None:
        return None, redirect_response
    if not policy.can_manage_network(current_user, network):
        abort(403)
    return network, None


def _region_choices():
    return [("", "Choose a region"), (NATIONAL, "National (all of the UK)")] + [
        (str(r.id), r.name) for r in services.regions()]


def _topic_choices():
    return [(str(t.id), t.name) for t in services.topics()]


# --- directory and creating -----------------------------------------------

@bp.route("/")
def directory():
    form = DirectoryFilterForm(formdata=request.args)
    all_regions, all_topics = services.regions(), services.topics()
    form.region.choices = [("", "All regions"), (NATIONAL, "National")] + [
        (r.slug, r.name) for r in all_regions]
    form.topic.choices = [("", "All topics")] + [(t.slug, t.name) for t in all_topics]
    form.sector.choices = [("", "Any sector")] + list(SECTORS.items())
    filters = services.DirectoryFilter(
        q=(request.args.get("q") or "")[:100], region=request.args.get("region") or "",
        topic=request.args.get("topic") or "", sector=request.args.get("sector") or "",
        sort="name" if request.args.get("sort") == "name" else "recent")
    status = 200
    while not (outcome := attempt(lambda: services.directory(current_user, filters), form)):
        # An unknown filter value: said beside that filter, and left out.
        setattr(filters, outcome.error.field, "")
        status = 400
    stmt = outcome.value
    page_number = page_arg()
    # The rows are loaded inside a fragment shared by viewers of the same reach.
    return render_template("networks/directory.html", form=form, filters=filters,
                           rows_key=("rows", policy.reach_key(current_user)),
                           load_page=lambda: paginate(stmt, page_number, per_page=PER_PAGE)
                           ), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", methods=["POST"])
def create():
    if not policy.can_create_network(current_user):
        refuse(current_user)
    form = NetworkForm()
    form.region.choices = _region_choices()
    form.topics.choices = _topic_choices()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.create_network(
            _viewer(), name=form.name.data, summary=form.summary.data,
            description=form.description.data, region=form.region.data,
            topic_ids=form.topics.data, visibility=form.visibility.data), form)
        if outcome:
            network = outcome.value
            flash(f"{network.name} has been created. You are its manager.", "success")
            return redirect(url_for("networks.network", slug=network.slug))
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("networks/edit.html", form=form, network=None), status


# --- network home, joining and leaving ------------------------------------

def _render_home(network, access, join_form=None, leave_form=None, status=200):
    viewer = current_user._get_current_object()  # policy reads it many times
    readable = access is policy.Access.READABLE
    # The managers are listed inside the fragment; only a manager needs them here.
    sole_manager = (policy.is_network_manager(viewer, network)
                    and membership.manager_count(network) == 1)
    hands_over = sole_manager and network.member_count > 1
    member = policy.is_network_member(viewer, network)
    pending = (membership.pending_request(network, viewer)
               if network.visibility == "closed" and not member else None)
    asks_to_join = pending is None and policy.can_request_to_join(viewer, network)
    muted = muted_ids(viewer) if readable else frozenset()
    return render_template(
        "networks/network.html", network=network,
        load_managers=lambda: membership.managers(network),
        # The latest lists are loaded inside a fragment shared by all who may read them
        # and muted the same people (what those wrote is folded away for them).
        lists_key=("latest", network.id, readable, tuple(sorted(muted))), muted=muted,
        load_threads=lambda: contents.latest(network, "threads") if readable else [],
        load_articles=lambda: contents.latest(network, "articles") if readable else [],
        # Who takes part, by sector: for those who may read the network's content.
        load_sector_mix=lambda: services.sector_mix(network) if readable else [],
        load_events=lambda: contents.latest(network, "events") if readable else [],
        readable=readable, sole_manager=sole_manager,
        watch_level=(watching.level_of(viewer, "network", network.id)
                     if policy.can_watch_network(viewer, network) else None),
        pending=pending,
        # Forms are built only where the page shows them (a form costs a tenth of a
        # signed-in page); visitors get none: building one puts a CSRF token in
        # their session, which would keep this page out of the anonymous page cache.
        join_form=join_form or (JoinRequestForm(formdata=None) if asks_to_join else None),
        leave_form=leave_form or (LeaveForm(formdata=None) if hands_over else None)), status


@bp.route("/<slug>/")
def network(slug):
    return _render_home(*_access(slug))


@bp.route("/<slug>/join", methods=["POST"])
@limiter.limit("30 per hour")
def join(slug):
    network, access = _access(slug)
    redirect_response = _signed_in_or_redirect()
    if redirect_response is not None:
        return redirect_response
    home = url_for("networks.network", slug=network.slug)
    form = JoinRequestForm()
    if not form.validate_on_submit():
        return _render_home(network, access, join_form=form, status=400)
    if network.visibility == "closed":
        if attempt(lambda: membership.request_to_join(_viewer(), network, form.message.data or ""),
                   escalate=(403,)):
            flash("Your request has been sent to the network's managers. "
                  "We will tell you when they decide.", "success")
    elif attempt(lambda: membership.join(_viewer(), network), escalate=(403,)):
        flash(f"You have joined {network.name}.", "success")
    return redirect(home)


@bp.route("/<slug>/leave", methods=["POST"])
def leave(slug):
    network, access = _access(slug)
    redirect_response = _signed_in_or_redirect()
    if redirect_response is not None:
        return redirect_response
    form = LeaveForm()
    if not form.validate_on_submit():
        return _render_home(network, access, leave_form=form, status=400)
    outcome = attempt(lambda: membership.leave(_viewer(), network, form.successor.data or ""),
                      form, unnamed="flash")
    if outcome.on_form:
        return _render_home(network, access, leave_form=form, status=400)
    if not outcome:
        return redirect(url_for("networks.network", slug=network.slug))
    flash(f"You have left {network.name}.", "success")
    if policy.can_view_network(current_user, network):
        return redirect(url_for("networks.network", slug=network.slug))
    return redirect(url_for("networks.directory"))


@bp.route("/<slug>/watch", methods=["POST"])
@limit_watching
@login_required
def watch(slug):
    """Watching (every new thread and article), normal or muted, for this network."""
    network, _access_level = _access(slug)
    level = request.form.get("level", "")
    if ActionForm().validate_on_submit() and attempt(
            lambda: services.set_watch_level(_viewer(), network, level), unnamed="flash",
            escalate=(403,)):
        flash(watching.CHOSEN["network"][level], "success")
    return redirect(url_for("networks.network", slug=network.slug))


# --- invitations ----------------------------------------------------------

@bp.route("/<slug>/invitations/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def invitation(slug, token):
    # The link is the only way in for outsiders, so this page must not use _load():
    # a private network answers 404 unless the link is valid (and meant for the viewer).
    network = services.get_network(slug)
    invite = invitations.find_invitation(network, token) if network is not None else None
    if invite is None or (current_user.is_authenticated
                          and not invitations.invitation_is_for(invite, current_user)):
        abort(404)
    member = policy.is_network_member(current_user, network)
    if request.method == "POST":
        redirect_response = _signed_in_or_redirect()
        if redirect_response is not None:
            return redirect_response
        if not ActionForm().validate_on_submit():
            abort(400)
        if attempt(lambda: invitations.accept_invitation(_viewer(), network, token),
                   escalate=(403, 404)):
            flash(f"Welcome to {network.name}. You are now a member.", "success")
        return redirect(url_for("networks.network", slug=network.slug))
    return render_template("networks/invitation.html", network=network, member=member,
                           archived=network.is_archived)


@bp.route("/<slug>/invitations", methods=["POST"])
@limiter.limit("60 per hour")
def invite(slug):
    network, response = _load_managed(slug)
    if response is not None:
        return response
    if not policy.can_invite_to_network(current_user, network):
        abort(403)
    form = InviteForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: invitations.invite(_viewer(), network, form.invitee.data), form)
        if outcome:
            flash(f"Invitation sent to {outcome.value}. The link works once, for "
                  f"{invitations.INVITATION_DAYS} days.", "success")
            return send_after_response(redirect(url_for("networks.members", slug=network.slug)))
    return _render_members(network, invite_form=form, status=400)


# --- members --------------------------------------------------------------

def _render_members(network, invite_form=None, status=200):
    q = (request.args.get("q") or "")[:100]
    page = paginate(membership.members(network, q), page_arg(), per_page=50, scalars=False)
    return render_template("networks/members.html", network=network, page=page, q=q,
                           invite_form=invite_form or InviteForm(formdata=None)), status


@bp.route("/<slug>/members")
def members(slug):
    network, access = _access(slug)
    if access is not policy.Access.READABLE:  # the members list is for members, like threads
        response = _signed_in_or_redirect()
        if response is not None:
            return response
        abort(403)
    return _render_members(network)


@bp.route("/<slug>/members/<id:user_id>", methods=["GET", "POST"])
def member(slug, user_id):
    network, response = _load_managed(slug)
    if response is not None:
        return response
    held, person = membership.get_member(network, user_id)
    if request.method == "POST" and not policy.can_change_members(current_user, network):
        abort(403, membership.MEMBERS_READ_ONLY)
    form = MemberActionForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: membership.change_member(
            _viewer(), network, person.id, form.action.data, form.reason.data), form)
        if outcome:
            flash(outcome.value, "success")
            if policy.can_view_network(current_user, network):
                return redirect(url_for("networks.members", slug=network.slug))
            return redirect(url_for("networks.directory"))
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("networks/member.html", network=network, membership=held,
                           person=person, form=form), status


# --- requests, settings, archive ------------------------------------------

@bp.route("/<slug>/requests", methods=["GET", "POST"])
def requests(slug):
    network, response = _load_managed(slug)
    if response is not None:
        return response
    if request.method == "POST":
        if not policy.can_decide_join_requests(current_user, network):
            abort(403, "This network is archived, so it is read-only: requests to join it "
                       "cannot be approved or declined.")
        form = DecisionForm()
        request_id = parse_id(form.request_id.data)
        if not form.validate_on_submit() or form.decision.data not in ("approve", "decline") \
                or request_id is None:
            abort(400, description="That decision could not be read. Use the buttons below.")
        outcome = attempt(lambda: membership.decide_request(
            _viewer(), network, request_id, approve=form.decision.data == "approve"),
            escalate=(403,), otherwise="That request no longer exists.")
        if outcome:
            join_request = outcome.value
            name = join_request.user.display_name
            flash(f"{name} is now a member." if join_request.status == "approved"
                  else f"You declined {name}'s request.", "success")
        return redirect(url_for("networks.requests", slug=network.slug))
    page = paginate(membership.pending_requests(network), page_arg(), per_page=30, scalars=False)
    return render_template("networks/requests.html", network=network, page=page)


@bp.route("/<slug>/settings", methods=["GET", "POST"])
def settings(slug):
    network, response = _load_managed(slug)
    if response is not None:
        return response
    if request.method == "POST" and not policy.can_change_network_settings(current_user, network):
        abort(403, "This network is archived: its settings cannot be changed.")
    form = NetworkForm(obj=network if request.method == "GET" else None)
    form.region.choices = _region_choices()
    form.topics.choices = _topic_choices()
    if request.method == "GET":
        form.region.data = str(network.region_id) if network.region_id else NATIONAL
        form.topics.data = [str(t.id) for t in network.topics]
    if form.validate_on_submit():
        if attempt(lambda: services.update_network(
                _viewer(), network, name=form.name.data, summary=form.summary.data,
                description=form.description.data, region=form.region.data,
                topic_ids=form.topics.data, visibility=form.visibility.data), form):
            flash("The network's settings have been saved.", "success")
            return redirect(url_for("networks.network", slug=network.slug))
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("networks/edit.html", form=form, network=network,
                           archive_form=ArchiveForm(formdata=None)), status


@bp.route("/<slug>/archive", methods=["POST"])
def archive(slug):
    network = _load(slug)
    response = _signed_in_or_redirect()
    if response is not None:
        return response
    if not policy.can_archive_network(current_user, network):
        abort(403)
    form = ArchiveForm()
    if form.validate_on_submit() and form.action.data in ("archive", "unarchive"):
        if attempt(lambda: services.set_archived(_viewer(), network,
                                                 form.action.data == "archive",
                                                 form.reason.data)):
            flash("The network is archived: it is read-only and hidden from the directory."
                  if network.is_archived else "The network is open again.", "success")
        return redirect(url_for("networks.network", slug=network.slug))
    if form.action.data not in ("archive", "unarchive"):
        form.form_errors.append("Choose whether to archive or unarchive.")
    settings_form = NetworkForm(formdata=None, obj=network)
    settings_form.region.choices = _region_choices()
    settings_form.topics.choices = _topic_choices()
    settings_form.region.data = str(network.region_id) if network.region_id else NATIONAL
    settings_form.topics.data = [str(t.id) for t in network.topics]
    return render_template("networks/edit.html", form=settings_form, network=network,
                           archive_form=form), 400
