"""A reader of the published archive: mike versions under a /REPO/ prefix, as GitHub Pages
serves a project site.

The scratch project (real mkdocs.yml, hooks, hand-written pages, docs/ from the seeds) is
deployed with the real ``mike`` into a scratch git repository, twice (1.0, then 1.1 as
``latest``, the default), with ``site_url`` and the release set as the Pages workflow sets
them, and ``scripts/publish-404`` puts the 404 page at the branch root. The gh-pages tree is
served under /REPO/ by a server that answers a missing address as GitHub Pages does: the
root 404.html with status 404. Screenshots land in tests/_artifacts/.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from policy_archive.site_contract import PERMANENT_IDS
from tests.conftest import ROOT

pytestmark = pytest.mark.site

DOC_ID = "003_965f9f73789f87fc-3"
PREFIX = "REPO"


def _run(cmd: list[str], cwd: Path, **env: str) -> None:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    full = {**os.environ, "PATH": path, "NO_MKDOCS_2_WARNING": "1", "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.invalid", **env}
    done = subprocess.run(cmd, cwd=cwd, env=full, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{cmd}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"


class _PagesHandler(SimpleHTTPRequestHandler):
    """Files of the gh-pages tree; a missing one gets /REPO/404.html with status 404."""

    def log_message(self, *args):  # quiet
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (path.is_dir() and not (path / "index.html").is_file()) or not path.exists():
            body = (Path(self.directory) / PREFIX / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()


@pytest.fixture(scope="module")
def published(tmp_path_factory, scratch_project) -> str:
    """The deployed site's URL (http://127.0.0.1:<port>/REPO/)."""
    import shutil

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}/{PREFIX}/"
    repo = tmp_path_factory.mktemp("pages_repo")
    shutil.copytree(scratch_project, repo, dirs_exist_ok=True)
    shutil.copytree(ROOT / "scripts", repo / "scripts")
    _run(["git", "init", "-q", "-b", "main"], repo)
    _run(["git", "add", "-A"], repo)
    _run(["git", "commit", "-q", "-m", "site"], repo)
    mike = str(Path(sys.executable).with_name("mike"))
    for version, aliases in (("1.0", []), ("1.1", ["latest"])):
        _run([mike, "deploy", "--update-aliases", version, *aliases], repo,
             SITE_URL=base, ARCHIVE_RELEASE=version)  # mike appends the version
    _run([mike, "set-default", "latest"], repo)
    _run(["scripts/publish-404", "1.1", "--no-push"], repo)
    root = tmp_path_factory.mktemp("pages")
    (root / PREFIX).mkdir()
    _run(["git", "--work-tree", str(root / PREFIX), "checkout", "gh-pages", "--", "."], repo)
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_PagesHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def _status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_every_registered_url_resolves_in_both_scripts(published, scratch_project):
    registry = json.loads((scratch_project / "docs" / PERMANENT_IDS).read_text(encoding="utf-8"))
    assert registry["documents"]
    for entry in registry["documents"]:
        for script in ("", "zh-Hant/"):
            for version in ("1.0", "1.1", "latest"):
                status, page = _status(f"{published}{version}/{script}{entry['url']}")
                assert status == 200, (version, script, entry["url"])
                assert f'content="{entry["id"].replace("_", "&#95;").replace("-", "&#45;")}"' \
                    in page, entry["id"]  # citation_technical_report_number names the id


def test_root_and_404_are_published(published):
    status, root = _status(published)
    assert status == 200 and "latest/" in root
    status, page = _status(f"{published}1.1/documents/no-such-document/")
    assert status == 404
    assert "找不到这个页面" in page
    assert f"/{PREFIX}/1.1/assets/stylesheets/" in page  # styled at any depth


@pytest.mark.browser
def test_a_reader_cites_a_paragraph_across_scripts_and_versions(published, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda r: r.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    document = f"{published}latest/documents/{DOC_ID}/"

    # Arriving at a paragraph's permanent URL highlights it.
    page.goto(document + "#p-3")
    target = page.locator("p#p-3")
    assert page.evaluate("document.querySelector(':target').id") == "p-3"
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    assert target.evaluate("e => getComputedStyle(e, '::before').content") == '"3"'
    page.screenshot(path=str(artifacts / "published-paragraph-hans.png"))

    # The script switch lands on the same paragraph, and back.
    page.locator('a[hreflang="zh-Hant"]').first.evaluate("a => a.click()")
    page.wait_for_url(f"{published}latest/zh-Hant/documents/{DOC_ID}/#p-3")
    assert page.evaluate("document.querySelector(':target').id") == "p-3"
    page.screenshot(path=str(artifacts / "published-paragraph-hant.png"))
    page.locator('a[hreflang="zh-Hans"]').first.evaluate("a => a.click()")
    page.wait_for_url(document + "#p-3")

    # The citation box: copy the BibTeX entry of paragraph 3.
    page.locator("p#p-3 .doc-p-cite").click()
    bibtex = page.locator('.doc-cite-format[data-format="bibtex"]')
    bibtex.locator(".doc-cite-copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"@online{{{DOC_ID},")
    assert f"url = {{{published}1.1/documents/{DOC_ID}/#p-3}}" in copied
    assert "version = {1.1}" in copied and "note = {第 3 段}" in copied
    bibtex.screenshot(path=str(artifacts / "published-citation-bibtex.png"))
    page.screenshot(path=str(artifacts / "published-citation-box.png"), full_page=False)

    # The version selector, on both scripts' pages; choosing 1.0 keeps the page.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".md-version").hover()
    page.locator(".md-version__link", has_text="1.0").click()
    page.wait_for_url(f"{published}1.0/documents/{DOC_ID}/**")
    page.screenshot(path=str(artifacts / "published-version-1.0.png"))
    page.goto(f"{published}1.1/zh-Hant/documents/{DOC_ID}/")
    page.locator(".md-version__current").wait_for()
    assert page.locator(".md-version__link").all_text_contents() == ["1.1", "1.0"]
    page.locator(".md-version").hover()
    page.screenshot(path=str(artifacts / "published-version-selector-hant.png"))

    # A wrong address gets the Chinese 404 page of its script, styled, with search and home.
    response = page.goto(f"{published}1.1/documents/no-such-document/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "找不到这个页面"
    assert page.locator(".md-header").is_visible()
    assert page.locator('label[for="__search"]').count() >= 1
    page.screenshot(path=str(artifacts / "published-404-hans.png"))
    page.goto(f"{published}1.1/zh-Hant/no-such-page/")
    page.wait_for_url(f"{published}1.1/zh-Hant/404.html")
    assert page.locator("h1").inner_text() == "找不到這個頁面"
    page.screenshot(path=str(artifacts / "published-404-hant.png"))
    assert errors == []
    context.close()


@pytest.mark.browser
def test_the_initiatives_table_fits_a_phone(published, browser, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda r: r.abort())
    page = context.new_page()
    page.goto(f"{published}latest/initiatives/")
    header = page.locator("table th").all_text_contents()
    assert header[:3] == ["提法", "篇数", "首次出现"]
    # The first-appearance date is on screen and on one line.
    cell = page.locator("table td:nth-child(3) .nowrap").first
    box = cell.bounding_box()
    assert box["x"] + box["width"] <= 390
    assert box["height"] < 2 * float(cell.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    page.screenshot(path=str(artifacts / "published-initiatives-phone.png"))
    context.close()
