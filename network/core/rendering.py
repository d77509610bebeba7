"""Which stored fields hold HTML rendered from which source, and by which mode.

``flask render-all`` walks this list; domains add their fields here so the
sanitiser can be changed and everything re-rendered in one command.
"""
from network.accounts.models import User
from network.articles.models import Article, Comment
from network.core.text import render_markdown, render_plain
from network.forum.models import Post
from network.networks.models import Network

RENDERED_FIELDS = [
    (User, "bio", "bio_html", render_markdown),
    (Network, "description", "description_html", render_markdown),
    (Article, "body", "body_html", render_markdown),
    (Article, "author_bio", "author_bio_html", render_markdown),
    (Comment, "body", "body_html", render_plain),
    (Post, "body", "body_html", render_markdown),
]
