"""Hostile and broken seeds (tests/fixtures/hostile_seeds/): published as literal text, with
exactly the documents and warnings a user expects; on the real MkDocs site no script runs.

The fixture files are small UTF-8 texts; the encoded and re-line-ended variants are made
here, in a temporary folder, from them.
"""

from __future__ import annotations

import codecs
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from policy_archive.cli import main
from policy_archive.pipeline import build_documents
from policy_archive.render.dataset import document_record
from policy_archive.render.escape import escape
from policy_archive.render.markdown import document_page, front_matter
from policy_archive.script import to_traditional
from tests.conftest import ROOT, copy_project, serve_folder

FIXTURES = ROOT / "tests" / "fixtures" / "hostile_seeds"
BIG5_TEXT = "會議強調<script>window.__pwned=15</script>\n\n四川日報訊 2024年7月12日，會議指出，要堅決扛起<b>使命</b>。\n"

EXPECTED_IDS = [
    "010_html-1", "011_markdown-1", "012_headline-1", "013_headline_block-1", "014_corrected-1",
    "030_gb18030-1", "031_big5-1", "032_utf16-1", "033_crlf-1", "034_cr-1",
]
EXPECTED_WARNINGS = [
    "020_empty.txt: no text left after repair; no page written",
    "021_blank.txt: no text left after repair; no page written",
    "022_artefacts.txt: no text left after repair; no page written",
]
# Payloads that must be visible, character for character, in the published text.
LITERALS = {
    "010_html-1": ["<script>window.__pwned=4</script>", '<img src=x onerror="window.__pwned=2">',
                   "</p><script>window.__pwned=8</script><p>", "&amp;&lt;&#60"],
    "011_markdown-1": ["**粗体**", "[x](javascript:window.__pwned=10)", "{{ config.site_name }}",
                       '{% include "x.html" %}', "{: .evil onclick=", "|---|---|", "---*列表项"],
    "012_headline-1": ['Re: "quoted" \'single\' #1 --- null & yes', "---~"],
    "013_headline_block-1": ["<img src=x onerror=window.__pwned=13>"],
    "014_corrected-1": ["会议<img src=x onerror=alert(13)>[点此](javascript:alert(14))",
                        "O[o](javascript:alert(17)) <img src=x onerror=alert(25)>",
                        "确保<img src=x onerror=alert(22)>安全度汛",
                        "<details open ontoggle=alert(23)>", "<script>alert(21)</script>"],
}
ALLOWED_TAGS = {"p", "h1", "h2", "dl", "dt", "dd", "code", "br", "span", "ul", "li", "a",
                "ol", "strong", "del", "ins"}  # the last four: the 校勘记 of a corrected page


def hostile_seeds(folder: Path) -> Path:
    """The fixture folder plus encoded and re-line-ended variants, in ``folder``."""
    shutil.copytree(FIXTURES, folder)
    html_text = (FIXTURES / "010_html.txt").read_text(encoding="utf-8")
    md_text = (FIXTURES / "011_markdown.txt").read_text(encoding="utf-8")
    block = (FIXTURES / "013_headline_block.txt").read_text(encoding="utf-8")
    (folder / "030_gb18030.txt").write_bytes(html_text.encode("gb18030"))
    (folder / "031_big5.txt").write_bytes(BIG5_TEXT.encode("big5"))
    (folder / "032_utf16.txt").write_bytes(codecs.BOM_UTF16_LE + md_text.encode("utf-16-le"))
    (folder / "033_crlf.txt").write_bytes(block.replace("\n", "\r\n").encode())
    (folder / "034_cr.txt").write_bytes(block.replace("\n", "\r").encode())
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    seeds = hostile_seeds(tmp_path_factory.mktemp("hostile") / "seeds")
    return build_documents(seeds)


def test_exactly_the_expected_documents_and_warnings(built):
    assert [d.id for d in built.documents] == EXPECTED_IDS
    # (The metadata stage may add warnings of its own about these odd texts.)
    assert [w for w in built.warnings if "no page written" in w] == EXPECTED_WARNINGS


def test_encoded_variants_give_the_same_documents(built):
    by_id = {d.id: d for d in built.documents}
    assert by_id["030_gb18030-1"].paragraphs == by_id["010_html-1"].paragraphs
    assert by_id["032_utf16-1"].paragraphs == by_id["011_markdown-1"].paragraphs
    assert by_id["033_crlf-1"].paragraphs == by_id["034_cr-1"].paragraphs
    assert by_id["033_crlf-1"].paragraphs == by_id["013_headline_block-1"].paragraphs
    assert [by_id[i].seed_encoding for i in ("030_gb18030-1", "031_big5-1", "032_utf16-1")] == [
        "gb18030", "cp950", "utf-16-le"]
    assert by_id["031_big5-1"].script == "zh-Hant"


# Lines the chrome steps take out of the text (a lone Latin word, a lone date stamp): kept
# literally in the dataset's ``removed`` list instead, with the step that removed each.
REMOVED_LITERALS = {"012_headline-1": [("yes", "drop_junk_lines"),
                                       ("2024-03-13", "drop_date_stamps")]}


@pytest.mark.parametrize("doc_id", sorted(LITERALS))
def test_payloads_are_kept_as_literal_text(built, doc_id):
    doc = next(d for d in built.documents if d.id == doc_id)
    fields = [doc.title, doc.kicker, doc.subtitle, doc.outlet, doc.dateline, doc.date_evidence]
    notes = [str(v) for note in doc.corrections for v in note.record().values()]
    text = "\n".join([*(f for f in fields if f), *doc.reporters, *doc.paragraphs, *notes])
    for literal in LITERALS[doc_id]:
        assert literal in text
    removed = [(r["text"], r["step"]) for r in document_record(doc)["removed"]]
    for literal in REMOVED_LITERALS.get(doc_id, []):
        assert literal in removed


def _front_matter(page: str) -> dict:
    assert page.startswith("---\n")
    head, _, _ = page[4:].partition("\n---\n")
    return yaml.safe_load(head)


def test_front_matter_is_valid_yaml_and_round_trips(built):
    for doc in built.documents:
        page = document_page(doc)
        assert _front_matter(page) == front_matter(doc)
        # The dataset record holds the same values, and JSON round-trips them too.
        record = json.loads(json.dumps(document_record(doc), ensure_ascii=False))
        assert {k: record[k] for k in front_matter(doc)} == front_matter(doc)
        assert record["paragraphs"] == doc.paragraphs


class _Tags(HTMLParser):
    """Tags of an HTML fragment, and the text of each paragraph ``p-N``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.paragraphs: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        pid = dict(attrs).get("id") or ""
        if tag == "p" and pid.startswith("p-"):
            self._in = pid
            self.paragraphs[pid] = ""

    def handle_endtag(self, tag):
        if tag == "p":
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.paragraphs[self._in] += data


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml with its ``!!python/…`` tags read as None (only the names are needed)."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def test_no_markup_reaches_the_page(built):
    # The page body rendered as MkDocs renders it (the extensions of mkdocs.yml).
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), _ConfigLoader)
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    for doc in built.documents:
        body = document_page(doc).split("\n---\n", 1)[1]
        parser = _Tags()
        parser.feed(markdown.markdown(body, extensions=extensions))
        assert set(parser.tags) <= ALLOWED_TAGS, doc.id
        # Links only the build makes: to the archive's own pages, or anchors on this one.
        assert all(re.fullmatch(r"(\.\./)+[\w/-]+/(#p-\d+)?|#(corrections|p-\d+)", h)
                   for h in parser.hrefs), (doc.id, parser.hrefs)
        paragraphs = {f"p-{n}": p for n, p in enumerate(doc.paragraphs, 1)}
        assert parser.paragraphs == {k: v for k, v in paragraphs.items() if k in parser.paragraphs}


def test_broken_seed_in_the_folder_stops_everything(tmp_path, capsys):
    seeds = hostile_seeds(tmp_path / "seeds")
    (seeds / "040_binary.txt").write_bytes(b"PK\x03\x04\x00\x00binary zip")
    docs = tmp_path / "docs"
    assert main(["--seeds", str(seeds), "--docs", str(docs)]) == 1
    assert capsys.readouterr().err == (
        f"error: {seeds}/040_binary.txt:1: holds NUL bytes: a binary file, or UTF-16 without "
        f"a byte-order mark (declare its encoding in {seeds}/040_binary.corrections.yml)\n"
    )
    assert not docs.exists()


# --- the real site, in headless Chromium ------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The real mkdocs.yml, hooks and hand-written pages, with the hostile seeds' docs."""
    from tests.site.conftest import build_site

    project = copy_project(tmp_path_factory.mktemp("hostile_site"), "mkdocs.yml", "hooks",
                           hand_written_docs=True)
    seeds = hostile_seeds(project / "seeds")
    assert main(["--seeds", str(seeds), "--docs", str(project / "docs"), "-q"]) == 0
    result = build_site(project / "site", project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path):
    with serve_folder(hostile_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(browser):
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()


# Elements a payload would add; the theme's own (the edit button's icon) are excluded.
INJECTED_JS = """() => [...document.querySelectorAll(
    '.md-content img, .md-content script, .md-content iframe, .md-content svg,'
    + ' .md-content object, .md-content a[href^="javascript"], .md-header img,'
    + ' .md-header script, .md-search-result img, .md-search-result script')]
  .filter(e => !e.closest('.md-content__button, .md-search-result__icon')).length"""


@pytest.mark.site
@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_no_script_runs_and_text_stays_literal(hostile_url, browser_page, built, prefix):
    page = browser_page
    for doc in built.documents:
        page.goto(f"{hostile_url}{prefix}documents/{doc.id}/")
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", doc.id
        assert page.evaluate(INJECTED_JS) == 0, doc.id
        article = page.inner_text(".md-content")
        for literal in LITERALS.get(doc.id, []):
            # zh-Hant converts Han characters: there, the ASCII payloads must be intact.
            if not prefix or literal.isascii():
                assert literal in article, (doc.id, literal)
    assert page.dialogs == []


@pytest.mark.site
@pytest.mark.browser
def test_page_title_shows_the_headline_literally(hostile_url, browser_page):
    page = browser_page
    page.goto(f"{hostile_url}documents/010_html-1/")
    assert page.title().startswith("省委常委会召开会议<script>window.__pwned=1</script>")
    assert "<script>window.__pwned=1</script>" in page.inner_text("h1")
    assert page.evaluate("typeof window.__pwned") == "undefined"


def _search(page, url: str, query: str) -> str:
    from tests.site.conftest import type_query

    type_query(page, url, query)
    return page.inner_text(".md-search-result")


@pytest.mark.site
@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
@pytest.mark.parametrize(("query", "literals"), [
    # Chinese words next to the payloads: their results' snippets hold the hostile text.
    ("点此", ["](javascript:alert(14))"]),
    ("引用的一段话", []),
    # The headline with a script element, shown as the result's title.
    ("省委常委会召开会议", ["<script>window.__pwned=1</script>"]),
])
def test_search_results_show_hostile_text_as_text(hostile_url, browser_page, prefix, query,
                                                  literals):
    page = browser_page
    typed = to_traditional(query) if prefix else query
    results = _search(page, hostile_url + prefix, typed)
    assert typed in results
    for literal in literals:
        assert (to_traditional(literal) if prefix else literal) in results, literal
    assert page.evaluate(INJECTED_JS) == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []


@pytest.mark.site
@pytest.mark.browser
@pytest.mark.parametrize("prefix", ["", "zh-Hant/"])
def test_search_facets_show_hostile_values_as_text(hostile_url, browser, prefix):
    # The outlet a corrections file set, with markup and a space, is a facet value: shown as
    # text, and picking it (a quoted filter) narrows the results to its document.
    from tests.site.conftest import result_paths, type_query, wait_for_facets

    outlet = "O[o](javascript:alert(17)) <img src=x onerror=alert(25)>"
    context = browser.new_context()
    context.add_init_script(HOOK_DIALOGS)
    page = context.new_page()
    try:
        type_query(page, hostile_url + prefix, to_traditional("防汛") if prefix else "防汛")
        wait_for_facets(page)
        chip = page.locator(".archive-facet__value[data-facet=outlet]")
        assert chip.evaluate("e => e.firstElementChild.textContent") == outlet
        chip.hover()
        chip.focus()
        chip.click()
        wait_for_facets(page, "outlet", outlet, pressed=True)
        assert page.locator("input.md-search__input").input_value().endswith(f':"{outlet}"')
        assert {p.split("/")[-2] for p in result_paths(page)} == {"014_corrected-1"}
        assert page.evaluate(INJECTED_JS) == 0
        assert page.evaluate("window.__alerts") == []
    finally:
        context.close()


@pytest.mark.site
def test_search_filters_and_titles_hold_hostile_text_escaped(hostile_site):
    # What Pagefind reads (title, filters) is written into the page by the search hook.
    page = (hostile_site / "documents/010_html-1/index.html").read_text(encoding="utf-8")
    block = re.search(r"<div hidden data-pagefind-ignore>(.*?)</div>", page).group(1)
    assert "<script" not in block and "<img" not in block
    assert escape("<script>window.__pwned=1</script>") in block


@pytest.mark.site
def test_zh_hant_pages_keep_payloads_literal(hostile_site):
    # The zh-Hant conversion runs on the escaped Markdown; entities are ASCII, so it cannot
    # turn text into markup. The served HTML holds the payloads escaped, not as tags.
    page = (hostile_site / "zh-Hant/documents/010_html-1/index.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page
    assert escape("<script>window.__pwned=4</script>") in page


# Hooked before any page script runs: a payload that reaches the page as markup calls one of
# these, on load or (for on-hover and on-focus payloads) when the test moves over the page.
HOOK_DIALOGS = """
window.__alerts = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => { window.__alerts.push(name + ":" + String(message)); };
}
"""


@pytest.mark.site
@pytest.mark.browser
def test_no_page_of_the_hostile_site_calls_alert(hostile_site, hostile_url, browser):
    # Every page of both scripts: documents, listings, indexes, home, about, 404.
    pages = sorted(p.relative_to(hostile_site).parent.as_posix()
                   for p in hostile_site.rglob("index.html"))
    assert len(pages) > 20
    context = browser.new_context()
    context.add_init_script(HOOK_DIALOGS)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    called = {}
    try:
        for rel in pages:
            page.goto(f"{hostile_url}{'' if rel == '.' else rel + '/'}")
            page.wait_for_load_state("load")
            # Hover and focus everything a payload could have hung a handler on.
            page.evaluate("""() => { for (const e of document.querySelectorAll('.md-content *,'
                + ' .md-header *')) { for (const t of ['mouseover', 'focus', 'toggle', 'click'])
                { if (t !== 'click' || !e.closest('a')) e.dispatchEvent(new Event(t)); } } }""")
            alerts = page.evaluate("window.__alerts")
            if alerts:
                called[rel] = alerts
            assert page.evaluate(INJECTED_JS) == 0, rel
            links = page.evaluate("""() => [...document.querySelectorAll('a[href]')]
                .map(a => a.getAttribute('href')).filter(h => /^\\s*javascript:/i.test(h))""")
            assert links == [], (rel, links)
    finally:
        context.close()
    assert called == {}
    assert dialogs == []
