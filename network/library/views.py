"""A network's library: folders and documents, uploading, each document's versions,
downloads (permissions checked on every one), new versions and removal."""
from flask import (Blueprint, abort, flash, redirect, render_template, request, send_file,
                   url_for)
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from network.core import policy
from network.core.converters import parse_id
from network.core.forms import attempt
from network.core.handlers import refuse
from network.core.pagination import page_arg, paginate
from network.core.security import accepts_uploads, limit_edits
from network.library import files, services, storage
from network.library.forms import FILE_HINT, FolderForm, RemoveForm, UploadForm, VersionForm
from network.networks.services import get_network, topics

bp = Blueprint("library", __name__, url_prefix="/networks/<slug>/library")

# A file allows nothing: no script, style, plugin, form or frame, even if a browser
# were to render it (nosniff and the attachment disposition already say it must not).
FILE_CSP = ("default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'; sandbox")


def _network(slug):
    """The network when the viewer may read its library; 404 otherwise (a closed
    network's library is for its members, like its discussions)."""
    network = get_network(slug)
    if network is None or not policy.can_read_library(current_user, network):
        abort(404)
    return network


def _document(slug, document_id):
    network = _network(slug)
    document = services.get_document(network, document_id)
    if document is None or not policy.can_read_document(current_user, document):
        abort(404)
    return network, document


def _file_of(form) -> services.Upload | None:
    """The uploaded file, or None with a message beside the field (nothing chosen, or
    a body larger than the limit)."""
    try:
        storage_ = request.files.get(form.file.name)
    except RequestEntityTooLarge:
        form.file.errors = [services.too_large_message()]
        return None
    if storage_ is None or not storage_.filename:
        form.file.errors = ["Choose a file to upload."]
        return None
    data = storage_.stream.read(services.max_upload() + 1)
    return services.Upload(data=data, filename=storage_.filename)


def _hint():
    return FILE_HINT.format(limit=services.size_words(services.max_upload()))


@bp.route("/")
def index(slug):
    network = _network(slug)
    folders = services.folders(network)
    folder_id = parse_id(request.args.get("folder")) if request.args.get("folder") else None
    folder = next((f for f in folders if f.id == folder_id), None)
    if request.args.get("folder") and folder is None:
        abort(404)
    page = paginate(services.documents_statement(network, folder), page_arg(),
                    services.PER_PAGE)
    return render_template("library/index.html", network=network, folders=folders,
                           folder=folder, page=page, kinds=files.KINDS,
                           size_words=services.size_words, folder_form=FolderForm())


@bp.route("/folders", methods=["POST"])
@login_required
@limit_edits
def new_folder(slug):
    network = _network(slug)
    if not policy.can_make_folder(current_user, network):
        refuse(current_user)
    form = FolderForm()
    if form.validate_on_submit() and attempt(
            lambda: services.create_folder(current_user, network, form.name.data), form):
        flash("Folder made.", "success")
        return redirect(url_for("library.index", slug=network.slug))
    return render_template("library/folder.html", network=network, form=form), 400


@bp.route("/upload", methods=["GET", "POST"])
@login_required
@accepts_uploads("LIBRARY_MAX_UPLOAD")
@limit_edits
def upload(slug):
    network = _network(slug)
    if not policy.can_upload_document(current_user, network):
        refuse(current_user)
    form = UploadForm()
    folders = services.folders(network)
    form.folder.choices = [("", "No folder")] + [(str(f.id), f.name) for f in folders]
    form.topics.choices = [(str(t.id), t.name) for t in topics()]
    if request.method == "GET" and request.args.get("folder"):
        form.folder.data = parse_id(request.args["folder"])
    status = 200
    if request.method == "POST":
        status = 400
        valid = form.validate()  # first: validating clears each field's errors
        upload_ = _file_of(form)
        if valid and upload_ is not None:
            data = services.DocumentInput(
                title=form.title.data, description=form.description.data or "",
                folder_id=form.folder.data,
                topic_ids=[parse_id(t) or -1 for t in form.topics.data or []])
            outcome = attempt(lambda: services.upload_document(current_user, network, data,
                                                               upload_), form)
            if outcome:
                flash("Document added to the library.", "success")
                return redirect(url_for("library.document", slug=network.slug,
                                        document_id=outcome.value.id))
    return render_template("library/upload.html", network=network, form=form,
                           file_hint=_hint()), status


@bp.route("/<id:document_id>")
def document(slug, document_id):
    network, document_ = _document(slug, document_id)
    return render_template("library/document.html", network=network, document=document_,
                           kinds=files.KINDS, size_words=services.size_words)


@bp.route("/<id:document_id>/versions/<id:number>")
def download(slug, document_id, number):
    """The file, as an attachment (images inline), never sniffed or run: its detected
    type, nosniff and a CSP that allows nothing. Permissions were checked above."""
    network, document_ = _document(slug, document_id)
    version = services.get_version(document_, number)
    if version is None:
        abort(404)
    kind = files.KINDS[version.kind]
    try:
        response = send_file(storage.path_of(version.stored_name), mimetype=kind.mimetype,
                             conditional=True, max_age=0)
    except FileNotFoundError:
        abort(404)
    response.headers["Content-Disposition"] = files.content_disposition(
        files.download_name(version.original_name, kind), inline=kind.inline)
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@bp.route("/<id:document_id>/new-version", methods=["GET", "POST"])
@login_required
@accepts_uploads("LIBRARY_MAX_UPLOAD")
@limit_edits
def new_version(slug, document_id):
    network, document_ = _document(slug, document_id)
    if not policy.can_add_version(current_user, document_):
        refuse(current_user)
    form = VersionForm()
    status = 200
    if request.method == "POST":
        status = 400
        valid = form.validate()
        upload_ = _file_of(form)
        if valid and upload_ is not None and attempt(
                lambda: services.add_version(current_user, document_, upload_), form):
            flash("New version added.", "success")
            return redirect(url_for("library.document", slug=network.slug,
                                    document_id=document_.id))
    return render_template("library/new_version.html", network=network, document=document_,
                           form=form, file_hint=_hint()), status


@bp.route("/<id:document_id>/remove", methods=["GET", "POST"])
@login_required
@limit_edits
def remove(slug, document_id):
    network, document_ = _document(slug, document_id)
    if not policy.can_remove_document(current_user, document_):
        refuse(current_user)
    form = RemoveForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate() and attempt(
                lambda: services.remove_document(current_user, document_, form.reason.data),
                form):
            flash("Document removed.", "success")
            return redirect(url_for("library.index", slug=network.slug))
    return render_template("library/remove.html", network=network, document=document_,
                           form=form), status
