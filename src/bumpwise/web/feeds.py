"""The machine-readable views of the article site: an Atom feed and a sitemap (XML)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from xml.etree import ElementTree as ET

from bumpwise.domain.articles import Article

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _stamp(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def atom_feed(articles: list[Article], base_url: str, self_path: str) -> bytes:
    base = base_url.rstrip("/")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    newest = max((a.meta.reviewed_on for a in articles), default=date(2026, 1, 1))
    _text(feed, "title", "bumpwise: exercise in pregnancy and after birth")
    _text(feed, "id", f"{base}/learn")
    _text(feed, "updated", _stamp(newest))
    ET.SubElement(feed, f"{{{ATOM}}}link", href=f"{base}{self_path}", rel="self")
    ET.SubElement(feed, f"{{{ATOM}}}link", href=f"{base}/learn", rel="alternate")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "bumpwise")
    for article in articles:
        url = f"{base}/learn/{article.slug}"
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", article.meta.title)
        _text(entry, "id", url)
        _text(entry, "updated", _stamp(article.meta.reviewed_on))
        ET.SubElement(entry, f"{{{ATOM}}}link", href=url, rel="alternate")
        _text(entry, "summary", article.meta.summary)
        for tag in article.meta.tags:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=tag)
    return _serialised(feed)


def sitemap(pages: Iterable[tuple[str, date | None]], base_url: str) -> bytes:
    base = base_url.rstrip("/")
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for path, modified in pages:
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = base + path
        if modified is not None:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = modified.isoformat()
    return _serialised(urlset)


def _text(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = value


def _serialised(root: ET.Element) -> bytes:
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text
