"""The one sanitiser (DESIGN section 4). The only module that imports bleach or
the Markdown renderer: swapping either is a change to this file alone.

Two modes:
- ``render_markdown``: CommonMark (raw HTML switched off) -> bleach allowlist.
  For articles, posts, practices, network descriptions and bios.
- ``render_plain``: comments. "Links may be included in your comments but HTML
  is not permitted": the text is escaped, URLs become links, line breaks stay.

Every link that survives gets ``rel="nofollow ugc noopener"``; only http, https
and mailto links survive, however the scheme is encoded or cased. A link whose
scheme is refused is unwrapped: its text stays, as text.

Images are not shown (no ``img`` is allowed): a Markdown image becomes a link to
the image with its alt text as the link's text when its address is http or https,
and its alt text alone otherwise (or inside a link, which cannot hold another).
"""
import re
from functools import partial
from html import unescape

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "em", "strong", "code", "pre",
    "blockquote", "hr", "table", "thead", "tbody", "tr", "th", "td", "del",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "th": ["align"], "td": ["align"],
                      "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Markdown headings # and ## become h2; the page owns the one h1.
_HEADING_SHIFT = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}

_md = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    .enable(["table", "strikethrough", "linkify"])
)


def _heading_open(self, tokens, idx, options, env):
    tokens[idx].tag = _HEADING_SHIFT.get(tokens[idx].tag, "h4")
    return self.renderToken(tokens, idx, options, env)


_md.add_render_rule("heading_open", _heading_open)
_md.add_render_rule("heading_close", _heading_open)

_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202f\ufeff]+")
IMAGE_LINK_PROTOCOLS = frozenset({"http", "https"})


def _scheme(href: str) -> str | None:
    """The URL's scheme, lower case, after decoding entities and removing the
    invisible characters browsers ignore inside a scheme; None for a relative URL."""
    decoded = _INVISIBLE.sub("", unescape(unescape(href or "")))
    match = _SCHEME.match(decoded)
    return match.group(1).lower() if match else None


def _link_is_safe(href: str) -> bool:
    """True for relative links and http/https/mailto."""
    scheme = _scheme(href)
    return scheme is None or scheme in ALLOWED_PROTOCOLS


def _image(self, tokens, idx, options, env):
    """An image as a link to it (http/https only), or as its alt text."""
    token = tokens[idx]
    alt = escapeHtml(self.renderInlineAsText(token.children or [], options, env))
    src = token.attrGet("src") or ""
    inside_link = sum(1 if t.type == "link_open" else -1 for t in tokens[:idx]
                      if t.type in ("link_open", "link_close")) > 0
    if inside_link or _scheme(src) not in IMAGE_LINK_PROTOCOLS:
        return alt
    return f'<a href="{escapeHtml(src)}">{alt or escapeHtml(src)}</a>'


def _link_open(self, tokens, idx, options, env):
    """A link with no address, or one whose scheme is refused, is unwrapped: its
    text (and formatting) stays. Links do not nest, so the next close is its own."""
    href = tokens[idx].attrGet("href") or ""
    if href and _link_is_safe(href):
        return self.renderToken(tokens, idx, options, env)
    close = next(i for i in range(idx + 1, len(tokens)) if tokens[i].type == "link_close")
    tokens[close].meta["unwrapped"] = True
    return ""


def _link_close(self, tokens, idx, options, env):
    if tokens[idx].meta.get("unwrapped"):
        return ""
    return self.renderToken(tokens, idx, options, env)


_md.add_render_rule("image", _image)
_md.add_render_rule("link_open", _link_open)
_md.add_render_rule("link_close", _link_close)
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")


def _set_rel(attrs, new=False):
    href = attrs.get((None, "href"), "")
    # The sanitiser has already removed an href whose scheme it refuses (Markdown
    # links are unwrapped before it, keeping their formatting; this is the backstop).
    if not href or not _link_is_safe(href):
        return None  # drop the link, keep its text
    attrs[(None, "rel")] = LINK_REL
    return attrs


_linkify = partial(LinkifyFilter, callbacks=[_set_rel], skip_tags=["pre", "code"],
                   parse_email=False)

_markdown_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
    strip=True, strip_comments=True, filters=[_linkify],
)
_plain_cleaner = bleach.Cleaner(
    tags=frozenset(), attributes={}, protocols=ALLOWED_PROTOCOLS,
    strip=False, strip_comments=False, filters=[_linkify],
)


def render_markdown(source: str | None) -> str:
    """Markdown -> safe HTML. Raw HTML in the source is shown as text."""
    if not source:
        return ""
    html = _md.render(source)
    return _EMPTY_PARAGRAPH.sub("", _markdown_cleaner.clean(html)).strip()


def render_plain(source: str | None) -> str:
    """Plain comment text -> safe HTML: escaped, URLs linked, line breaks kept."""
    if not source:
        return ""
    text = source.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]
    out = []
    for para in paragraphs:
        cleaned = _plain_cleaner.clean(para)
        out.append("<p>" + cleaned.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def excerpt(source: str | None, length: int = 200) -> str:
    """Plain-text excerpt of Markdown or plain text (for lists and mail); not HTML."""
    if not source:
        return ""
    text = bleach.clean(_md.render(source), tags=frozenset(), strip=True)
    text = re.sub(r"\s+", " ", unescape(text)).strip()
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"
