"""Every permission decision, in one place (DESIGN section 2, STYLE "policy").

Functions are pure questions about a viewer and an object: no request, no g.
Anonymous visitors are ``Anonymous`` instances and go through the same
functions. Templates call these too (registered as Jinja globals), so a button
is shown exactly when the action behind it is allowed.

Query filters (``visible_*``, ``readable_*``) return SQLAlchemy clauses for "what
this viewer may see", so lists, search, feeds and counts all filter the same way;
each has its Python twin, and tests/core/test_policy_agreement.py holds them to
the same answers.

One module per subject; every public name is re-exported here, so callers write
``from network.core import policy; policy.can_x(...)``:
people (site roles), networks, articles (and comments), threads (and posts),
moderation, practices (and adoptions), library (documents), events.
"""
from network.core.policy.people import (ROLE_RANK, STAFF_ROLES, Anonymous, acting_staff,
                                        can_manage_users, can_mute_member, holds_staff_role,
                                        staff_need_two_factor, staff_waiting_for_two_factor,
                                        can_moderate_site, can_post, can_view_profile,
                                        can_write_articles, has_role, is_admin, is_signed_in,
                                        is_silenced_member, is_staff, may_receive_notification_mail,
                                        must_confirm_first, needs_premoderation)
from network.core.policy.networks import (Access, can_archive_network, can_change_members,
                                          can_change_network_settings, can_create_network,
                                          can_decide_join_requests, can_invite_to_network,
                                          can_join_network, can_leave_network,
                                          can_manage_network, can_moderate_network,
                                          can_post_in_network, can_read_network_content,
                                          can_request_to_join, can_view_network,
                                          can_view_network_members, can_watch_network,
                                          is_network_manager,
                                          is_network_member, managed_network_ids,
                                          network_access, network_role, no_rows, reach_key,
                                          readable_networks, visible_networks)
from network.core.policy.articles import (COMMENT_EDIT_MINUTES, can_close_comments,
                                          can_comment, can_delete_comment, can_edit_article,
                                          can_edit_comment, can_moderate_article,
                                          can_read_article, can_see_comment,
                                          can_see_comment_text, comment_access,
                                          in_archived_network, is_article_author,
                                          is_article_live, is_article_news, readable_articles,
                                          visible_articles, visible_comments)
from network.core.policy.moderation import (ESTABLISHED_AFTER, approval_counts_for_trust,
                                            can_be_hidden_by_flags, can_decide_on,
                                            established_flaggers, own_content,
                                            can_flag_content, can_moderate_content,
                                            can_sanction_member, can_see_content,
                                            can_see_review_queue, can_view_moderation_log,
                                            moderated_content, reviewable_comments)
from network.core.policy.threads import (can_delete_own_post, can_edit_post,
                                         can_post_in_locked_thread, can_read_post_history,
                                         can_reply_to_thread, can_see_post_text,
                                         can_see_thread, can_start_thread, can_watch_thread,
                                         post_access, thread_access, network_content_readers,
                                         thread_readers)
from network.core.policy.practices import (REVIEW_AFTER, can_adopt_practice, can_edit_practice,
                                           can_read_practice, can_read_practice_history,
                                           can_review_practice, can_submit_practice,
                                           can_update_adoption, is_practice_author,
                                           is_practice_published, needs_review,
                                           practice_needs_approval, visible_practices)
from network.core.policy.library import (can_add_version, can_make_folder, can_read_document,
                                          can_read_library, can_remove_document,
                                          can_upload_document, is_document_uploader,
                                          readable_documents)
from network.core.policy.events import (can_attend_event, can_edit_event,
                                         can_post_event, can_read_event, can_see_attendees,
                                         readable_events)

__all__ = [name for name in dir() if not name.startswith("_")
           and name not in ("people", "networks", "articles", "moderation", "threads",
                                          "practices", "library", "events")]
