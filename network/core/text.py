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

@mentions: after cleaning, ``@username`` in running text (not in code, nor inside
a link) becomes a link to that person's profile when such a person exists. The
app looks the names up (``app.extensions["mention_lookup"]``, registered by
``create_app``) and builds the link from the stored username, so nothing typed
reaches an attribute; an unknown name stays text.

Images are not shown (no ``img`` is allowed): a Markdown image becomes a link to
the image with its alt text as the link's text when its address is http or https,
and its alt text alone otherwise (or inside a link, which cannot hold another).
"""
import re
from functools import partial
from html import unescape
from urllib.parse import urlsplit

import bleach
from flask import current_app, has_app_context
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


# A tag, its quoted attributes may hold ">"; the cleaner's output is well formed.
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")
_MENTION = re.compile(r"(?<![\w@/.\-])@([A-Za-z0-9_][A-Za-z0-9_.\-]*)")
_NO_MENTIONS_IN = frozenset({"a", "code", "pre"})
MAX_MENTION_LOOKUPS = 100  # distinct names looked up in one text; the rest stay text
_MENTION_LINK = re.compile(r'<a class="mention" href="/members/([A-Za-z0-9_.\-]+)">')


def _mention_name(raw: str) -> str | None:
    name = raw.rstrip(".-")  # "@sally." ends a sentence
    return name if 3 <= len(name) <= 30 else None


def link_mentions(html: str) -> str:
    """Cleaned HTML -> the same, with ``@name`` of existing people linked to their
    profiles (skipping code, pre and existing links). Without an app or a lookup
    the HTML is returned unchanged."""
    lookup = current_app.extensions.get("mention_lookup") if has_app_context() else None
    if lookup is None or "@" not in html:
        return html
    parts = _TAG.split(html)
    wanted: list[str] = []
    # First pass: which names appear in running text.
    depth = 0
    for index, part in enumerate(parts):
        if index % 2:
            depth = _depth_after(part, depth)
        elif depth == 0:
            for match in _MENTION.finditer(part):
                name = _mention_name(match.group(1))
                if name and name.lower() not in wanted:
                    wanted.append(name.lower())
    if not wanted:
        return html
    found = lookup(wanted[:MAX_MENTION_LOOKUPS])  # {lower-case name: stored username}

    def replace(match):
        name = _mention_name(match.group(1))
        username = found.get(name.lower()) if name else None
        if username is None:
            return match.group(0)
        rest = match.group(1)[len(name):]
        return f'<a class="mention" href="/members/{username}">@{name}</a>{rest}'

    depth = 0
    for index, part in enumerate(parts):
        if index % 2:
            depth = _depth_after(part, depth)
        elif depth == 0:
            parts[index] = _MENTION.sub(replace, part)
    return "".join(parts)


def _depth_after(tag: str, depth: int) -> int:
    """How many code, pre or a elements are open after this tag."""
    match = _TAG_NAME.match(tag)
    if not match or match.group(1).lower() not in _NO_MENTIONS_IN:
        return depth
    return max(depth - 1, 0) if tag.startswith("</") else depth + 1


def mentioned_usernames(html: str) -> list[str]:
    """The usernames ``link_mentions`` linked in this HTML, distinct, in order."""
    names: list[str] = []
    for username in _MENTION_LINK.findall(html or ""):
        if username not in names:
            names.append(username)
    return names


_HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')
MAX_OWN_LINKS = 200  # links read from one text; the rest are not the site's concern


def own_link_paths(html: str, base_url: str, limit: int = MAX_OWN_LINKS) -> list[str]:
    """The paths of this site's own pages that cleaned HTML links to, distinct, in
    order: relative links (``/practices/x``) and http(s) links whose host is
    ``base_url``'s. Query and fragment dropped; a path with ``.``/``..`` segments,
    encoded characters or a backslash is not reported (the caller matches what is
    left against its own addresses). At most ``limit`` links are read."""
    own_host = (urlsplit(base_url or "").hostname or "").lower()
    paths: list[str] = []
    for raw in _HREF.findall(html or "")[:limit]:
        href = unescape(raw).strip()
        if href.startswith("//") or "\\" in href:
            continue
        try:
            parts = urlsplit(href)
            host = (parts.hostname or "").lower()
        except ValueError:  # a malformed port or bracketed host
            continue
        if parts.scheme or parts.netloc:
            if parts.scheme.lower() not in IMAGE_LINK_PROTOCOLS or not own_host or host != own_host:
                continue
        path = parts.path
        if (not path.startswith("/") or "%" in path
                or any(segment in (".", "..") for segment in path.split("/"))):
            continue
        if path not in paths:
            paths.append(path)
    return paths


def render_markdown(source: str | None) -> str:
    """Markdown -> safe HTML. Raw HTML in the source is shown as text; @mentions
    of existing people link to their profiles."""
    if not source:
        return ""
    html = _md.render(source)
    return link_mentions(_EMPTY_PARAGRAPH.sub("", _markdown_cleaner.clean(html)).strip())


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
    return link_mentions("\n".join(out))


def plain_text(source: str | None) -> str:
    """The words of Markdown or plain text, without markup (for excerpts and the
    search index); not HTML."""
    if not source:
        return ""
    text = bleach.clean(_md.render(source), tags=frozenset(), strip=True)
    return re.sub(r"\s+", " ", unescape(text)).strip()


def excerpt(source: str | None, length: int = 200) -> str:
    """Plain-text excerpt of Markdown or plain text (for lists and mail); not HTML."""
    text = plain_text(source)
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"
