"""Everything the site does to search, in one place: segmentation check and one index per script.

Why this hook exists:

- Material's search splits Han text into words with jieba when jieba is importable, and
  silently indexes whole paragraphs as single tokens when it is not (jieba 0.42.1 imports
  pkg_resources, which new setuptools no longer ships; it falls back to reading its
  dictionary by path, but a broken install would go unnoticed). ``on_config`` fails the
  build if jieba cannot be imported and ``on_post_build`` fails it if the written index
  holds Han text without the U+200B word breaks jieba leaves.
- mkdocs-static-i18n writes one search index for all languages, so a zh-Hant reader would
  get zh-Hans pages in the results and the reverse. ``on_post_build`` splits that index:
  ``search/search_index.json`` keeps the default language's pages and
  ``<locale>/search/search_index.json`` holds each other language's pages with locations
  relative to that language's root. ``on_post_page`` points the theme's ``base`` of every
  page of another language at its language root, which is where Material fetches the index
  from and resolves result links against.
- The lexicons' names (成渝地区双城经济圈, 新质生产力, …) are whole words in the index
  (``jieba_dict_user``, written by the build). Material's browser side segments a Chinese
  query greedily against the index's tokens and never takes a token as long as the whole
  query, so a name that is only ever indexed whole is found neither by itself nor by a part
  (经济圈). ``add_name_parts`` gives every entry that holds a name a hidden ``keywords``
  field with the name's parts, indexed but never shown, with a small boost, so the parts
  are tokens again and entries that hold the whole name rank first. The parts are the
  pipeline's (``docs/data/search_terms.json``, both scripts): the hook computes none.
- jieba's dictionary is simplified Chinese: on traditional text it cuts words apart
  (學習習近平 became 學​習習​近平, so 習近平 found nothing). Each zh-Hant entry is
  re-segmented with the word boundaries jieba finds in its simplified form, so both
  scripts are searchable word for word.

A later chunked index can replace this hook without touching the others.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from policy_archive.site_contract import SEARCH_TERMS, TRADITIONAL_LOCALE

log = logging.getLogger("mkdocs.plugins.search_index")

INDEX = Path("search") / "search_index.json"
WORD_BREAK = "\u200b"
# Field of the index holding the parts of the lexicon names an entry contains. Material
# renders an entry's title, text and tags, never other fields, so this one stays hidden.
KEYWORDS_FIELD = "keywords"
# Boost of a keywords match: above plain text (1) so entries with the whole name rank first,
# far below titles (1000) so a page about the name still comes before the pages naming it.
KEYWORDS_BOOST = 10
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{6,}")
_HAN_SEGMENTED = re.compile(r"[\u3400-\u9fff](?:\u200b?[\u3400-\u9fff])*")
_CONFIG_SCRIPT = re.compile(
    r'(<script id="__config" type="application/json">)(?P<json>.*?)(</script>)', re.DOTALL
)


def _other_locales(config: Any) -> list[str]:
    """Locales built into a sub-folder by mkdocs-static-i18n (all but the default)."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return []
    return [lang.locale for lang in plugin.config.languages if lang.build and not lang.default]


def on_config(config: Any) -> Any:
    """Refuse to build a site whose Chinese search would not work."""
    from material.plugins.search import plugin as material_search

    if material_search.jieba is None:
        msg = (
            "search_index: jieba is not importable, so Material would index Chinese text"
            " without word segmentation and search would find almost nothing"
        )
        raise PluginError(msg)
    # jieba reports its dictionary loading at DEBUG on stderr on every build.
    material_search.jieba.setLogLevel(logging.INFO)
    return config


def split_entries(
    entries: list[dict[str, Any]], locales: list[str]
) -> dict[str | None, list[dict[str, Any]]]:
    """Group index entries by locale prefix; None is the default language.

    Locations are made relative to each language's root.

    >>> split_entries([{"location": "a/"}, {"location": "zh-Hant/a/#x"}], ["zh-Hant"])
    {None: [{'location': 'a/'}], 'zh-Hant': [{'location': 'a/#x'}]}
    """
    groups: dict[str | None, list[dict[str, Any]]] = {None: [], **{loc: [] for loc in locales}}
    for entry in entries:
        location = entry["location"]
        for locale in locales:
            prefix = f"{locale}/"
            if location == locale or location.startswith(prefix):
                groups[locale].append({**entry, "location": location[len(prefix) :]})
                break
        else:
            groups[None].append(entry)
    return groups


def segment_like_simplified(text: str) -> str:
    """Segment traditional Han text at the word boundaries of its simplified form.

    Conversion is character for character on these texts; a run whose simplified form has
    another length keeps jieba's own segmentation of the traditional text.

    >>> segment_like_simplified("學\u200b習習\u200b近平").split(WORD_BREAK)
    ['學習', '習近平']
    """
    import jieba

    from policy_archive.script import to_simplified

    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        plain = run.replace(WORD_BREAK, "")
        simplified = to_simplified(plain)
        if len(simplified) != len(plain):
            return run
        words, start = [], 0
        for word in jieba.cut(simplified):
            words.append(plain[start : start + len(word)])
            start += len(word)
        return WORD_BREAK.join(words)

    # A run of Han characters and the word breaks jieba put between them.
    return _HAN_SEGMENTED.sub(replace, text)


def add_name_parts(entries: list[dict[str, Any]], parts: dict[str, list[str]]) -> None:
    """Give each entry that holds a lexicon name the name and its parts as hidden keywords.

    >>> entry = {"title": "", "text": "推动成渝地区双城\u200b经济圈建设"}
    >>> add_name_parts([entry], {"成渝地区双城经济圈": ["成渝", "地区", "双城", "经济圈"]})
    >>> entry["keywords"].split("\u200b")
    ['成渝地区双城经济圈', '成渝', '地区', '双城', '经济圈']
    """
    for entry in entries:
        plain = (entry.get("title", "") + " " + entry.get("text", "")).replace(WORD_BREAK, "")
        words: list[str] = []
        for name, name_parts_ in parts.items():
            if name in plain:
                words += [name, *name_parts_]
        if words:
            entry[KEYWORDS_FIELD] = WORD_BREAK.join(dict.fromkeys(words))


def _lexicon_parts(config: Any, traditional: bool) -> dict[str, list[str]]:
    """Parts of every lexicon name in one script, as the pipeline wrote them."""
    path = Path(config.docs_dir) / SEARCH_TERMS
    if not path.is_file():
        msg = f"search_index: {path} not found; run build_archive.py first"
        raise PluginError(msg)
    terms = json.loads(path.read_text(encoding="utf-8"))
    return terms[TRADITIONAL_LOCALE if traditional else "zh-Hans"]


def _check_segmented(index: dict[str, Any], path: Path) -> None:
    text = "".join(e.get("title", "") + e.get("text", "") for e in index["docs"])
    if _HAN_RUN.search(text) and WORD_BREAK not in text:
        msg = f"search_index: {path} holds Chinese text that jieba did not segment"
        raise PluginError(msg)


@event_priority(-200)  # after mkdocs-static-i18n (-100) has merged all languages' entries
def on_post_build(config: Any) -> None:
    """Split the merged search index into one index per language."""
    site_dir = Path(config.site_dir)
    path = site_dir / INDEX
    if not path.is_file():
        return  # search plugin disabled
    index = json.loads(path.read_text(encoding="utf-8"))
    _check_segmented(index, path)
    groups = split_entries(index["docs"], _other_locales(config))
    for locale, docs in groups.items():
        traditional = locale == TRADITIONAL_LOCALE
        if traditional:
            for entry in docs:
                entry["title"] = segment_like_simplified(entry.get("title", ""))
                entry["text"] = segment_like_simplified(entry.get("text", ""))
        add_name_parts(docs, _lexicon_parts(config, traditional))
    fields = dict(index.get("config", {}).get("fields", {}))
    fields[KEYWORDS_FIELD] = {"boost": KEYWORDS_BOOST}
    index["config"] = {**index.get("config", {}), "fields": fields}
    # This also runs after the inner zh-Hant build, when the file holds only that build's
    # entries; the outer build then rewrites the merged file and splits it again, so the
    # last run wins and the result is the same.
    for locale, docs in groups.items():
        target = path if locale is None else site_dir / locale / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps({**index, "docs": docs}, ensure_ascii=False, separators=(",", ":")),
            encoding="utf-8",
        )
        log.debug("search_index: %d entries in %s", len(docs), target)


def _page_locale(page: Any, locales: list[str]) -> str | None:
    url = page.url or ""
    for locale in locales:
        if url == f"{locale}/" or url.startswith(f"{locale}/"):
            return locale
    return None


def _json_for_html(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element, escaped the way Jinja's tojson does."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escape)
    return text


@event_priority(-200)
def on_post_page(output: str, *, page: Any, config: Any) -> str:
    """Make a page of another language search its own language's index."""
    locale = _page_locale(page, _other_locales(config))
    if locale is None:
        return output
    match = _CONFIG_SCRIPT.search(output)
    if match is None:
        msg = f"search_index: no Material __config script in {page.file.src_uri}"
        raise PluginError(msg)
    app = json.loads(match.group("json"))
    base = app["base"].rstrip("/")
    # base is the relative path to the site root ("../.."); the trailing slash matters,
    # the theme resolves "search/search_index.json" against it.
    app["base"] = f"{base}/{locale}/" if base not in ("", ".") else f"{locale}/"
    return output[: match.start("json")] + _json_for_html(app) + output[match.end("json") :]
