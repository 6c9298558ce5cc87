"""What publishing under versions and a /REPO/ prefix needs from every page.

- Language links relative to the page: mkdocs-static-i18n writes the home pages' links
  root-absolute (``/zh-Hant/``), which leave a mike version (``/1.0/``) and a project site
  (``/REPO/``); on the 404 page they point at the languages' home pages.
- A 404 page per script: both builds write ``404.html`` at the site root, the zh-Hant build
  last; the zh-Hant one is moved to ``zh-Hant/404.html`` and the simplified one put back.
- An Atom feed per script (``feed.xml``) of the documents in the order the registry of
  permanent ids says they were added, newest first.
- Redirects for ids the registry says moved, served by mkdocs-redirects.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

from policy_archive.registry import load, redirects
from policy_archive.render.escape import escape
from policy_archive.script import to_traditional
from policy_archive.site_contract import ARCHIVE_NAME, DATASET, TRADITIONAL_LOCALE

_LANGUAGE_LINK = re.compile(r'(<a href=")(?P<href>[^"]*)(" hreflang="(?P<lang>[^"]+)")')
_saved_404: dict[str, bytes] = {}
_traditional_pages: list[str] = []


def _traditional(config: Any) -> bool:
    plugin = config.plugins.get("i18n")
    return getattr(plugin, "current_language", None) == TRADITIONAL_LOCALE


def _site_path(config: Any) -> str:
    """The path of the site's root, e.g. ``/REPO/1.0/`` (``/`` without site_url)."""
    path = urlsplit(config.site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def relative_link(href: str, page_url: str, site_path: str) -> str:
    """A root-absolute link inside the site, relative to the page at ``page_url``.

    >>> relative_link("/REPO/1.0/zh-Hant/", "", "/REPO/1.0/")
    'zh-Hant/'
    >>> relative_link("/REPO/1.0/", "zh-Hant/", "/REPO/1.0/")
    '../'
    >>> relative_link("/", "zh-Hant/documents/a-1/", "/")
    '../../../'
    >>> relative_link("../x/", "a/b/", "/")
    '../x/'
    """
    if not href.startswith(site_path):
        return href
    target = href[len(site_path):]
    start = posixpath.dirname(page_url.rstrip("/") + "/x") if page_url else ""
    rel = posixpath.relpath("/" + target, "/" + start) if target else posixpath.relpath(
        "/", "/" + start)
    rel = "./" if rel == "." else rel
    is_folder = not target or target.endswith("/")
    return rel + ("/" if is_folder and not rel.endswith("/") else "")


@event_priority(-100)
def on_post_page(output: str, *, page: Any, config: Any) -> str:
    """Rewrite the language links of a page to relative ones; link the feed."""
    site_path = _site_path(config)

    def fix(match: re.Match[str]) -> str:
        href = relative_link(match.group("href"), page.url, site_path)
        return match.group(1) + href + match.group(3)

    output = _LANGUAGE_LINK.sub(fix, output)
    if _traditional(config) and page.canonical_url:
        _traditional_pages.append(page.canonical_url)
    feed = relative_link(site_path + ("zh-Hant/" if _traditional(config) else "") + "feed.xml",
                         page.url, site_path)
    link = f'<link rel="alternate" type="application/atom+xml" href="{escape(feed)}">'
    return output.replace("</head>", link + "\n</head>", 1)


def on_post_template(output: str, *, template_name: str, config: Any) -> str:
    """On the 404 page, language links go to each language's home page."""
    if template_name != "404.html":
        return output
    site_path = _site_path(config)
    homes = {"zh-Hans": site_path, TRADITIONAL_LOCALE: site_path + "zh-Hant/"}

    def fix(match: re.Match[str]) -> str:
        return match.group(1) + homes.get(match.group("lang"), site_path) + match.group(3)

    # MkDocs gives the 404 page the site's path without its final "/" as base, against
    # which Material resolves search/search_index.json and ../versions.json (both then miss).
    base = json.dumps(homes[TRADITIONAL_LOCALE if _traditional(config) else "zh-Hans"])
    output = re.sub(r'"base": "[^"]*"', lambda _: f'"base": {base}', output, count=1)
    return _LANGUAGE_LINK.sub(fix, output)


@event_priority(50)  # before mkdocs-redirects reads its map (on_files)
def on_files(files: Any, *, config: Any) -> Any:
    """Redirect pages for moved ids (registry in docs/data), in the script being built.

    mkdocs-redirects writes each old page at its key's path. In the zh-Hant build it finds
    the target page under its zh-Hans URL, so there the target is given as the absolute URL
    of the zh-Hant page (site_url carries the version in a published build).
    """
    plugin = config.plugins.get("redirects")
    if plugin is None:
        return files
    moved = sorted(redirects(load(Path(config.docs_dir))).items())
    if _traditional(config):
        site = (config.site_url or "/").rstrip("/") + "/zh-Hant/"
        maps = {f"zh-Hant/documents/{old}.md": f"{site}documents/{new}/" for old, new in moved}
    else:
        maps = {f"documents/{old}.md": f"documents/{new}.md" for old, new in moved}
    plugin.config["redirect_maps"] = maps
    return files


def atom_feed(config: Any, traditional: bool) -> str:
    """The feed of documents, newest added first (order from the registry, deterministic)."""
    docs = Path(config.docs_dir)
    dataset = json.loads((docs / DATASET).read_text(encoding="utf-8"))
    by_id = {d["id"]: d for d in dataset["documents"]}
    base = config.site_url or "/"
    base += "zh-Hant/" if traditional else ""
    convert = to_traditional if traditional else str
    entries = [e for e in load(docs) if e.id in by_id]
    entries.sort(key=lambda e: e.added, reverse=True)
    dated = sorted((str(d.get("date") or "") for d in by_id.values()), reverse=True)
    updated = _timestamp(dated[0] if dated else "")
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom">',
           f"<title>{escape(convert(ARCHIVE_NAME))}</title>",
           f'<link href="{escape(base)}"/>', f"<id>{escape(base)}</id>",
           f"<updated>{updated}</updated>"]
    for entry in entries:
        doc = by_id[entry.id]
        link = base + entry.url
        out += ["<entry>", f"<title>{escape(convert(doc['title']))}</title>",
                f'<link href="{escape(link)}"/>', f"<id>{escape(link)}</id>",
                f"<updated>{_timestamp(str(doc.get('date') or ''))}</updated>",
                f"<summary>{escape(convert(str(doc.get('description') or '')))}</summary>",
                "</entry>"]
    return "\n".join([*out, "</feed>"]) + "\n"


def _timestamp(date: str) -> str:
    """An Atom date from a document date of any precision (undated: the epoch).

    >>> _timestamp("2024-03"), _timestamp("")
    ('2024-03-01T00:00:00Z', '1970-01-01T00:00:00Z')
    """
    parts = [*date.split("-"), "01", "01"][:3] if date else ["1970", "01", "01"]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def sitemap(urls: list[str]) -> str:
    """A sitemap of the given page URLs (sorted: deterministic).

    >>> print(sitemap(["https://h/zh-Hant/"]), end="")
    <?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>https&#58;&#47;&#47;h&#47;zh&#45;Hant&#47;</loc></url>
    </urlset>
    """
    rows = [f"<url><loc>{escape(u)}</loc></url>" for u in sorted(set(urls))]
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>',
                      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                      *rows, "</urlset>"]) + "\n"


def on_post_build(*, config: Any) -> None:
    """Write the feed, the zh-Hant sitemap and keep one 404 page per script.

    The root sitemap.xml (mkdocs-static-i18n) lists both scripts' pages; Material's language
    switch also reads zh-Hant/sitemap.xml, which only this hook writes.
    """
    site = Path(config.site_dir)
    traditional = _traditional(config)
    folder = site / "zh-Hant" if traditional else site
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feed.xml").write_text(atom_feed(config, traditional), encoding="utf-8")
    if traditional:
        (folder / "sitemap.xml").write_text(sitemap(_traditional_pages), encoding="utf-8")
        _traditional_pages.clear()
    page = site / "404.html"
    if not page.is_file():
        return
    if not traditional:
        _saved_404["zh-Hans"] = page.read_bytes()
        return
    (folder / "404.html").write_bytes(page.read_bytes())
    saved = _saved_404.pop("zh-Hans", None)
    if saved is None:  # zh-Hans built in another process (hooks/parallel_languages.py)
        page.unlink()
    else:
        page.write_bytes(saved)
