"""The Markdown loader: headings and paragraphs kept, markup dropped, then read as text."""

from __future__ import annotations

from legalkg.loaders.base import LoadContext, LoadResult, Source
from legalkg.loaders.text import TextLoader


def markdown_text(markdown: str) -> str:
    """The text of a Markdown document: one block per heading, paragraph or list item."""
    from markdown_it import MarkdownIt

    blocks: list[str] = []
    prefix = ""
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "list_item_open":
            prefix = "- "
        elif token.type == "inline":
            # The text of the inline children: links and emphasis keep their words.
            text = "".join(
                child.content
                if child.type in ("text", "code_inline")
                else (" " if child.type in ("softbreak", "hardbreak") else "")
                for child in token.children or []
            )
            if text.strip():
                blocks.append(prefix + text.strip())
            prefix = ""
        elif token.type == "fence" or token.type == "code_block":
            blocks.append(token.content.strip())
    return "\n\n".join(blocks) + "\n"


class MarkdownLoader:
    """Reports written in Markdown."""

    name = "markdown"
    suffixes: tuple[str, ...] = (".md", ".markdown")
    media_type = "text/markdown"

    def load(self, source: Source, context: LoadContext) -> LoadResult:
        return TextLoader().load_text(source, markdown_text(source.text()), context)
