"""Write the zh-Hant site by converting the zh-Hans sources at build time.

Only zh-Hans Markdown exists in docs/. mkdocs-static-i18n builds the zh-Hant site from
those files (``fallback_to_default``) without changing a character, so this hook converts
everything a reader of the zh-Hant site sees: the Markdown body, the page metadata (the
page title comes from the front matter ``title``) and the navigation titles.

The conversion itself lives in ``policy_archive.script.to_traditional`` (OpenCC ``s2tw`` plus
tested phrase fixes) so the pipeline and the site cannot drift apart.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from mkdocs.plugins import event_priority

from policy_archive.script import to_traditional
from policy_archive.site_contract import TRADITIONAL_LOCALE

log = logging.getLogger("mkdocs.plugins.traditional_script")


def _build_locale(config: Any) -> str | None:
    """The locale mkdocs-static-i18n is building now (None without the plugin).

    Asked of the plugin rather than guessed from paths: the plugin switches
    ``current_language`` before each language build and both builds share one config.
    """
    plugin = config.plugins.get("i18n")
    return getattr(plugin, "current_language", None) if plugin else None


def _is_traditional_build(config: Any) -> bool:
    return _build_locale(config) == TRADITIONAL_LOCALE


def _convert_value(value: Any) -> Any:
    """Convert strings inside front matter values; ids, dates and hashes are ASCII."""
    if isinstance(value, str):
        return to_traditional(value)
    if isinstance(value, list):
        return [_convert_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _convert_value(v) for k, v in value.items()}
    return value


@event_priority(-50)  # after every hook that adds text to the Markdown
def on_page_markdown(markdown: str, *, page: Any, config: Any, files: Any) -> str:
    """Convert a zh-Hant page's Markdown and metadata to traditional script."""
    if not _is_traditional_build(config):
        return markdown
    page.meta = _convert_value(page.meta)
    return to_traditional(markdown)


def _convert_nav_items(items: list[Any]) -> int:
    converted = 0
    for item in items:
        # A title given in mkdocs.yml is stored on the instance; a page's own title comes
        # from its (already converted) metadata or heading, so only explicit ones change.
        if "title" in vars(item) and isinstance(item.title, str):
            item.title = to_traditional(item.title)
            converted += 1
        if getattr(item, "children", None):
            converted += _convert_nav_items(item.children)
    return converted


@event_priority(-150)  # after mkdocs-static-i18n (-100) has rebuilt the navigation
def on_nav(nav: Any, *, config: Any, files: Any) -> Any:
    """Convert the navigation titles of the zh-Hant build."""
    if _is_traditional_build(config):
        count = _convert_nav_items(nav.items)
        log.debug("converted %d navigation titles to traditional script", count)
    return nav


_CONFIG_SCRIPT = re.compile(
    r'(<script id="__config" type="application/json">)(?P<json>.*?)(</script>)', re.DOTALL
)


def on_post_page(output: str, *, page: Any, config: Any) -> str:
    """Convert the theme's search messages on zh-Hant pages.

    Material's zh-Hant translation file has simplified characters in its search messages
    (找到 1 个符合條件的結果); they live in the page's JSON config, written with \\u escapes,
    so the JSON is parsed, its strings converted and written back.
    """
    if not _is_traditional_build(config):
        return output
    match = _CONFIG_SCRIPT.search(output)
    if match is None:
        return output
    app = _convert_value(json.loads(match.group("json")))
    text = json.dumps(app, ensure_ascii=False)
    # Escaped as Jinja's tojson does, so the JSON cannot close its <script> element.
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escape)
    return output[: match.start("json")] + text + output[match.end("json") :]
