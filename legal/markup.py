"""The text format of the legal pages: plain text with a few line markers, rendered safely.

    # Heading             -> <h2>          (the page title is the <h1>)
    ## Subheading         -> <h3>
    - item                -> list items; consecutive "- " lines form one <ul>
    blank line            -> starts a new paragraph; single line breaks stay line breaks

Everything is HTML-escaped; web and email addresses become links (Django's urlize). Nothing else
is interpreted, so an administrator cannot put markup or scripts into a public page."""

from __future__ import annotations

from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe


def _inline(text: str) -> str:
    return urlize(text.strip(), nofollow=False, autoescape=True)


def _block(lines: list[str]) -> list[str]:
    html: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            html.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            html.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for line in lines:
        if line.startswith("## "):
            flush()
            html.append(f"<h3>{_inline(line[3:])}</h3>")
        elif line.startswith("# "):
            flush()
            html.append(f"<h2>{_inline(line[2:])}</h2>")
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:])
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return html


def render(text: str) -> SafeString:
    blocks: list[list[str]] = [[]]
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    parts = [fragment for block in blocks if block for fragment in _block(block)]
    # Safe: every piece of text went through urlize(autoescape=True) above.
    return mark_safe("\n".join(parts))  # noqa: S308
