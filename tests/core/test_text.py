"""The one sanitiser: hostile input never survives as HTML."""
import pathlib
import re

import pytest

from network.core.text import excerpt, render_markdown, render_plain

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src='https://evil.example'></iframe>",
    "<a href='javascript:alert(1)'>x</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click]( javascript:alert(1))",
    "<style>body{display:none}</style>",
    "<div style='background:url(javascript:alert(1))'>x</div>",
    '<a href="http://ok.example" onclick="alert(1)">x</a>',
    "<p onmouseover=alert(1)>hover</p>",
    "[x](<javascript:alert(1)>)",
    "<object data='x'></object>",
    "![x](javascript:alert(1))",
    "![x](JaVaScRiPt:alert(1))",
    "![x](&#106;avascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![<img src=x onerror=alert(1)>](https://ok.example/a.png)",
    '![x](https://ok.example/a.png"onerror="alert(1))',
    '![x](https://ok.example/a.png "onerror=alert(1)")',
    "[![x](javascript:alert(1))](javascript:alert(1))",
    "[![x](https://ok.example/a.png)](vbscript:msgbox(1))",
]
DANGEROUS = re.compile(r"<script|<img|<svg|<iframe|<style|<object|\son\w+=|javascript:|vbscript:|data:",
                       re.IGNORECASE)


def _tags_and_attributes(html: str) -> str:
    """Only the markup (what a browser would execute), not escaped text."""
    return " ".join(re.findall(r"<[^>]*>", html))


@pytest.mark.parametrize("source", HOSTILE)
def test_markdown_removes_hostile_markup(source):
    html = render_markdown(source)
    assert not DANGEROUS.search(_tags_and_attributes(html)), html


@pytest.mark.parametrize("source", HOSTILE)
def test_plain_comments_show_hostile_markup_as_text(source):
    html = render_plain(source)
    assert not DANGEROUS.search(_tags_and_attributes(html)), html


def test_plain_comment_html_is_shown_as_text():
    assert render_plain("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>"


def test_plain_comment_links_urls_with_rel():
    html = render_plain("See https://www.england.nhs.uk/ageing-well/ now")
    assert '<a href="https://www.england.nhs.uk/ageing-well/" rel="nofollow ugc noopener">' in html


def test_plain_comment_keeps_line_breaks_and_paragraphs():
    html = render_plain("one\ntwo\n\nthree")
    assert html == "<p>one<br>\ntwo</p>\n<p>three</p>"


def test_plain_comment_does_not_link_javascript_text():
    assert "<a" not in render_plain("javascript:alert(1)")


def test_markdown_keeps_the_allowed_formatting():
    html = render_markdown("## Heading\n\n**bold** *em* `code`\n\n- item\n\n> quote\n\n"
                           "| a | b |\n|---|---|\n| 1 | 2 |\n\n[NHS](https://www.nhs.uk)")
    for fragment in ("<h2>Heading</h2>", "<strong>bold</strong>", "<em>em</em>",
                     "<code>code</code>", "<li>item</li>", "<blockquote>", "<table>",
                     '<a href="https://www.nhs.uk" rel="nofollow ugc noopener">NHS</a>'):
        assert fragment in html


def test_markdown_top_heading_becomes_h2_so_the_page_keeps_one_h1():
    assert render_markdown("# Big") == "<h2>Big</h2>"


def test_markdown_mailto_links_survive():
    assert 'href="mailto:team@example.org"' in render_markdown("[mail](mailto:team@example.org)")


def test_empty_input_renders_empty():
    assert render_markdown("") == "" and render_plain("") == "" and render_plain(None) == ""


def test_excerpt_is_plain_text_and_short():
    text = excerpt("# Title\n\nSome **bold** <b>html</b> and more words here", 25)
    assert "<" not in text.replace("<b>", "") and len(text) <= 25


def test_only_core_text_imports_bleach_or_markdown():
    root = pathlib.Path(__file__).resolve().parents[2] / "network"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "text.py" and path.parent.name == "core":
            continue
        source = path.read_text()
        if re.search(r"^\s*(import|from)\s+(bleach|markdown_it|nh3)\b", source, re.MULTILINE):
            offenders.append(str(path))
    assert offenders == []


# --- images and links with refused schemes -------------------------------------

def _links(html: str) -> list[str]:
    return re.findall(r"<a\b[^>]*>", html)


def test_markdown_image_becomes_a_link_to_it_named_by_its_alt_text():
    html = render_markdown("The rota: ![Ward rota for *March*](https://ok.example/rota.png)")
    assert html == ('<p>The rota: <a href="https://ok.example/rota.png" '
                    'rel="nofollow ugc noopener">Ward rota for March</a></p>')


def test_markdown_image_without_alt_text_links_by_its_address():
    html = render_markdown("![](http://ok.example/a.png)")
    assert html == ('<p><a href="http://ok.example/a.png" rel="nofollow ugc noopener">'
                    "http://ok.example/a.png</a></p>")


@pytest.mark.parametrize("src", ["data:image/png;base64,iVBORw0KGgo=", "ftp://ok.example/a.png",
                                 "/static/img/a.png", "a.png", "mailto:team@example.org"])
def test_markdown_image_at_another_address_shows_only_its_alt_text(src):
    assert render_markdown(f"Before ![A chart](<{src}>) after") == "<p>Before A chart after</p>"


def test_markdown_image_inside_a_link_gives_that_link_its_alt_text():
    html = render_markdown("[![Our logo](https://ok.example/logo.png)](https://www.nhs.uk)")
    assert html == '<p><a href="https://www.nhs.uk" rel="nofollow ugc noopener">Our logo</a></p>'


def test_markdown_image_alt_text_is_escaped():
    html = render_markdown("![<b>bold</b> & co](data:image/png;base64,AA)")
    assert html == "<p>&lt;b&gt;bold&lt;/b&gt; &amp; co</p>"


def test_markdown_image_with_nothing_to_show_leaves_no_empty_paragraph():
    html = render_markdown("First\n\n![](data:image/png;base64,AA)\n\nLast")
    assert html == "<p>First</p>\n<p>Last</p>"


@pytest.mark.parametrize("href", ["ftp://ok.example/file", "FTP://ok.example/file",
                                  "gopher://ok.example", "tel:+441234",
                                  "irc://ok.example/chan", "&#102;tp://ok.example/file"])
def test_markdown_link_with_a_refused_scheme_is_only_its_text(href):
    html = render_markdown(f"See [the *file*]({href}) here")
    assert html == "<p>See the <em>file</em> here</p>"


@pytest.mark.parametrize("source", HOSTILE + [
    "[x](ftp://a)", "<ftp://a>", "[x]()", "[x](file:///etc/passwd)", "![x](ftp://a)", "[![x](ftp://a)](ftp://b)",
    "[x](https://ok.example)", "![x](https://ok.example/a.png)", "www.nhs.uk"])
def test_every_link_markdown_makes_has_a_safe_href(source):
    for tag in _links(render_markdown(source)):
        href = re.search(r'\shref="([^"]*)"', tag)
        assert href and href.group(1), tag
        assert re.match(r"(https?:|mailto:|/)", href.group(1), re.IGNORECASE), tag
