"""Every form that asks a moderator, manager or admin for a reason: a reason that is
refused comes back in its field, with the message beside that field (issue 16)."""
import re

from tests.world import build_world, client_as

TYPED = "Kept " + "x" * 500  # one character too long, so the form refuses it
TOO_LONG = "500 characters or fewer"


def _reason_forms(world, moderation_flag_post):
    """(persona, url, data, reason field) for each form with a reason: the field's
    name, or for the queue (where every decision's field is named "reason") its id."""
    place = world.places["open"]
    thread, post, comment = place.thread_id, place.post_ids[0], place.comment_id
    member_id = world.user("member").id
    return [
        ("manager", f"/threads/{thread}/pin", {"pin-state": "on"}, "pin-reason"),
        ("manager", f"/threads/{thread}/lock", {"lock-state": "on"}, "lock-reason"),
        ("moderator", f"/threads/{thread}/move", {}, "move-reason"),
        ("manager", f"/threads/{thread}/hide", {"hide-state": "on"}, "hide-reason"),
        ("manager", f"/posts/{post}/hide", {f"p{post}-hide-state": "on"},
         f"p{post}-hide-reason"),
        ("manager", f"/posts/{post}/delete", {}, f"p{post}-delete-reason"),
        ("moderator", f"/comments/{comment}/hide", {"state": "on"}, "reason"),
        ("moderator", f"/comments/{comment}/remove", {}, "reason"),
        ("moderator", f"/moderation/flags/post/{moderation_flag_post}/uphold", {},
         f"reason-uphold-post-{moderation_flag_post}"),
        ("moderator", "/moderation/members/member", {"action": "silence", "silence-days": "7"},
         "silence-reason"),
        ("moderator", "/moderation/members/member", {"action": "trust"}, "trust-reason"),
        ("manager", f"/networks/{place.slug}/members/{member_id}", {"action": "remove"},
         "reason"),
        ("admin", f"/networks/{place.slug}/archive", {"action": "archive"}, "reason"),
    ]


def _field_and_message(page: str, name: str) -> tuple[str, str] | None:
    """The value the named input shows, and the text of the error it points to (None
    when the page has no such input)."""
    tag = re.search(rf'<input[^>]*\b(?:name|id)="{re.escape(name)}"[^>]*>', page)
    if tag is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    described = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
    message = ""
    for ident in (described.group(1).split() if described else []):
        error = re.search(rf'id="{re.escape(ident)}"[^>]*>(.*?)</p>', page, re.S)
        if error and "error" in ident:
            message = error.group(1)
    return (value.group(1) if value else ""), message


def test_a_refused_reason_is_kept_in_its_field_with_the_message_beside_it(app):
    world = build_world(app)
    post = world.places["open"].post_ids[0]
    flagged = client_as(app, world, "associate").post(f"/posts/{post}/flag",
                                                      data={"reason": "spam"})
    assert flagged.status_code == 302
    failures = []
    for persona, url, data, name in _reason_forms(world, post):
        field = "reason" if name.startswith("reason-") else name
        response = client_as(app, world, persona).post(url, data={**data, field: TYPED})
        page = response.get_data(as_text=True)
        if response.status_code != 400:
            failures.append((url, name, f"status {response.status_code}"))
            continue
        found = _field_and_message(page, name)
        if found is None:
            failures.append((url, name, "the form is not shown again"))
            continue
        value, message = found
        if value != TYPED:
            failures.append((url, name, "the reason was not kept"))
        if TOO_LONG not in message:
            failures.append((url, name, "no message beside the field"))
    assert failures == [], "\n".join(map(str, failures))
