"""What ``flask render-all`` re-renders in accounts (network/commands.py)."""
from network.accounts.models import User
from network.core.rendering import RenderedField
from network.core.text import render_markdown

RENDERED_FIELDS = [RenderedField(User, "bio", "bio_html", render_markdown)]
