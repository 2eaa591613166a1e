"""Markdown documents cut into chunks that keep their headings.

A document may start with YAML front matter between ``---`` lines: ``title`` names it and
``url`` says where readers find it (answers cite it as a link). Without a title, the first
``#`` heading names it, else its file name. A document's language is its front matter's
``language``, else the language its top folder is named for (``de/pricing.md`` is German),
else English: the retriever searches the conversation's language. Each chunk is the text
under one heading (split further at paragraph, then sentence, boundaries when it is long)
and carries its heading path ("Team plan", "Security > Encryption"), which is embedded
with the text so a chunk is found by what its section is about. Headings inside fenced code
blocks are text, and a code block is never split.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

DEFAULT_LANGUAGE = "en"
"""The language of a document that names none (by front matter or folder)."""

MAX_CHARS = 1000
"""Longest chunk body; about 200-250 tokens, inside the embedding model's 256."""

_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
_SETEXT = re.compile(r"^\s*(?P<line>=+|-+)\s*$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(?P<body>.*?)\n---\s*(?:\n|\Z)", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")
_INLINE = re.compile(r"[*_`]+")


class DocumentError(ValueError):
    """A document whose front matter cannot be read."""


@dataclass(frozen=True, slots=True)
class Document:
    """One markdown file: its key in the knowledge folder, title, text and content hash."""

    source: str
    title: str
    text: str
    url: str = ""
    language: str = DEFAULT_LANGUAGE

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a document under one heading path; ``id`` is a hash of its content."""

    id: str
    source: str
    title: str
    section: str
    text: str
    url: str = ""
    language: str = DEFAULT_LANGUAGE

    @property
    def embed_text(self) -> str:
        """What is embedded: title and heading path, then the text."""
        return with_headings(self.title, self.section, self.text)


def with_headings(title: str, section: str, text: str) -> str:
    """A chunk's text under its document title and heading path."""
    heading = f"{title} — {section}" if section else title
    return f"{heading}\n{text}"


def document_language(source: str, declared: str = "") -> str:
    """The language of the document ``source`` ("de/pricing.md" is German): ``declared``
    (its front matter's ``language``), else its top folder when that is a language's code
    ("de", "pt-BR"), else :data:`DEFAULT_LANGUAGE`."""
    if declared:
        return _language_code(declared) or DEFAULT_LANGUAGE
    parts = Path(source).parts
    return (_language_code(parts[0]) if len(parts) > 1 else None) or DEFAULT_LANGUAGE


def _language_code(name: str) -> str | None:
    """``de`` for "de", "DE" or "de-AT" when Babel knows the language; else None."""
    from babel import localedata

    match = re.fullmatch(r"([a-zA-Z]{2})(?:[-_][a-zA-Z]{2})?", name.strip())
    if match is None:
        return None
    code = match[1].lower()
    return code if localedata.exists(code) else None


def parse_document(text: str, source: str) -> Document:
    """A document from markdown text; ``source`` names it ("pricing.md", "de/pricing.md")."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    fields: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front is not None:
        fields = _front_matter(front["body"], source)
        text = text[front.end() :]
    title = fields.get("title", "")
    if not title:
        for level, heading, _ in _headings(text.split("\n")):
            if level == 1:
                title = heading
                break
    if not title:
        title = Path(source).stem.replace("-", " ").replace("_", " ").strip().capitalize()
    return Document(
        source=source,
        title=title,
        text=text,
        url=fields.get("url", ""),
        language=document_language(source, fields.get("language", "")),
    )


def _front_matter(body: str, source: str) -> dict[str, str]:
    """The ``title``, ``url`` and ``language`` of a document's front matter (other keys
    are ignored)."""
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError as exc:
        raise DocumentError(f"{source}: the front matter is not valid YAML ({exc})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DocumentError(f"{source}: the front matter must be 'key: value' lines")
    fields = {key: str(data[key]).strip() for key in ("title", "url", "language") if data.get(key)}
    language = fields.get("language", "")
    if language and _language_code(language) is None:
        raise DocumentError(f"{source}: language {language!r} must be a code such as en or de")
    url = fields.get("url", "")
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise DocumentError(f"{source}: url {url!r} must be an http(s) address")
    return fields


def chunk_document(document: Document, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """The document's chunks in reading order."""
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section, body in _sections(document):
        for piece in _split(body, max_chars):
            chunk_id = _chunk_id(document, section, piece, seen)
            chunks.append(
                Chunk(
                    chunk_id,
                    document.source,
                    document.title,
                    section,
                    piece,
                    document.url,
                    document.language,
                )
            )
    return chunks


def _chunk_id(document: Document, section: str, text: str, seen: set[str]) -> str:
    key = f"{document.source}\n{document.title}\n{document.url}\n{section}\n{text}"
    if document.language != DEFAULT_LANGUAGE:  # English ids stay those of earlier versions
        key = f"{key}\n{document.language}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    chunk_id, copy = digest, 1
    while chunk_id in seen:  # the same text twice under the same heading
        copy += 1
        chunk_id = f"{digest}-{copy}"
    seen.add(chunk_id)
    return chunk_id


def _headings(lines: list[str]) -> list[tuple[int, str, int]]:
    """(level, text, line index) of every heading outside fenced code blocks."""
    found: list[tuple[int, str, int]] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if opening is not None:
            marks = opening["fence"]
            if fence is None:
                fence = marks[0] * 3
            elif marks.startswith(fence):
                fence = None
            continue
        if fence is not None:
            continue
        match = _HEADING.match(line)
        if match is not None:
            found.append((len(match["marks"]), _INLINE.sub("", match["text"]).strip(), index))
            continue
        setext = _SETEXT.match(line)
        previous = lines[index - 1].strip() if index > 0 else ""
        if (
            setext is not None
            and previous
            and not _HEADING.match(lines[index - 1])
            and (index < 2 or not lines[index - 2].strip())
        ):
            level = 1 if setext["line"].startswith("=") else 2
            found.append((level, _INLINE.sub("", previous).strip(), index - 1))
    return found


def _sections(document: Document) -> list[tuple[str, str]]:
    """(heading path, body) for each heading's own text, in order; empty bodies dropped."""
    lines = document.text.split("\n")
    headings = _headings(lines)
    starts = [(index, level, text) for level, text, index in headings]
    sections: list[tuple[str, str]] = []
    stack: list[tuple[int, str]] = []
    path = ""
    position = 0
    for start, level, text in [*starts, (len(lines), 0, "")]:
        body = "\n".join(lines[position:start])
        if body.strip():
            sections.append((path, body.strip()))
        if level == 0:
            break
        underline = start + 1 < len(lines) and _SETEXT.match(lines[start + 1]) is not None
        position = start + (2 if underline and not _HEADING.match(lines[start]) else 1)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, text))
        # The title (a level-1 heading) is the document's; sections are named below it.
        path = " > ".join(name for depth, name in stack if depth > 1 or name != document.title)
    return sections


def _blocks(body: str) -> list[str]:
    """Paragraphs, lists and whole fenced code blocks of a section body."""
    blocks: list[str] = []
    current: list[str] = []
    fence: str | None = None
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if opening is not None:
            marks = opening["fence"]
            if fence is None:
                fence = marks[0] * 3
            elif marks.startswith(fence):
                fence = None
        if fence is None and not line.strip() and opening is None:
            if current:
                blocks.append("\n".join(current).strip())
                current = []
            continue
        current.append(line)
    if current:
        blocks.append("\n".join(current).strip())
    return [block for block in blocks if block]


def _split(body: str, max_chars: int) -> list[str]:
    """The body in pieces of at most ``max_chars`` (a longer code block stays whole)."""
    parts: list[str] = []
    for block in _blocks(body):
        fits = len(block) <= max_chars or _FENCE.match(block)
        parts.extend([block] if fits else _long(block, max_chars))
    return _pack(parts, max_chars, "\n\n")


def _long(block: str, max_chars: int) -> list[str]:
    """A long paragraph cut at sentence ends, and at spaces when a sentence is too long."""
    parts: list[str] = []
    for sentence in _SENTENCE_END.split(block):
        parts.extend([sentence] if len(sentence) <= max_chars else _words(sentence, max_chars))
    return _pack(parts, max_chars, " ")


def _words(text: str, max_chars: int) -> list[str]:
    """Words, with any word longer than ``max_chars`` cut into pieces of that size."""
    parts: list[str] = []
    for word in text.split():
        parts.extend(word[i : i + max_chars] for i in range(0, len(word), max_chars))
    return _pack(parts, max_chars, " ")


def _pack(parts: list[str], max_chars: int, separator: str) -> list[str]:
    """Join consecutive parts with ``separator`` while the result stays within ``max_chars``;
    a part longer than that on its own (a code block) stays a piece of its own."""
    out: list[str] = []
    current = ""
    for part in parts:
        if current and len(current) + len(separator) + len(part) > max_chars:
            out.append(current)
            current = ""
        current = f"{current}{separator}{part}" if current else part
    if current:
        out.append(current)
    return out
