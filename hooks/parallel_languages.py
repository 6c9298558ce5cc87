"""Build the zh-Hant site in a second process while this one builds zh-Hans: both cores.

mkdocs-static-i18n builds the languages one after the other in one process (the next from
the ``on_post_build`` of the one before), and MkDocs uses one core. Nothing of the zh-Hant
build depends on the zh-Hans pages: it needs only what the zh-Hans build knows once it has
its files and navigation. So at that point (``on_nav``) this process forks; the child does
what mkdocs-static-i18n would have done after the zh-Hans build, into a folder of its own
beside the site folder, and the parent builds zh-Hans, its own Pagefind index included.
Each process indexes its pages with Pagefind, part by part (hooks/pagefind_bundle.py), so
the two indexings run at once. Where memory is short they can take turns instead
(``extra.search_one_indexing_at_a_time``): then pagefind_bundle holds a lock (the file
this hook names in ``ARCHIVE_PAGEFIND_LOCK``) around each Pagefind run. When the build has
ended (``on_shutdown``) the parent waits for the child and moves its files into the site
folder, replacing the parent's wherever both wrote one (as the later build's do in one
process: the sitemap with both languages, Material's search configuration). The site is byte for byte the one-process build's (``tests/site/test_site_build.py``
compares them) but for one improvement: the zh-Hant 404 page's alternate links go to the
home pages, as the zh-Hans one's do, rather than to the page the zh-Hans build rendered
last.

Only for ``mkdocs build`` (and so ``mike deploy``, which runs it) on a system with
``fork``; ``mkdocs serve`` and MkDocs called from Python build in one process, and so
does ``ARCHIVE_SITE_PROCESSES=1``. A failed zh-Hant build fails the build.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.plugins.parallel_languages")

ONE_PROCESS = "ARCHIVE_SITE_PROCESSES"
# The lock hooks/pagefind_bundle.py holds around each Pagefind run (its LOCK_ENV).
PAGEFIND_LOCK = "ARCHIVE_PAGEFIND_LOCK"
ONE_INDEXING_KEY = "search_one_indexing_at_a_time"
ONE_INDEXING_ENV = "SEARCH_ONE_INDEXING_AT_A_TIME"
_state: dict[str, Any] = {}


def on_startup(*, command: str, dirty: bool) -> None:
    _state.clear()
    _state["command"] = command


def _later_languages(plugin: Any) -> list[str]:
    """The languages mkdocs-static-i18n builds after the one building now."""
    return [locale for locale in plugin.build_languages if locale != plugin.current_language]


def _forks(plugin: Any) -> bool:
    return (_state.get("command") == "build" and hasattr(os, "fork")
            and os.environ.get(ONE_PROCESS) != "1" and plugin is not None
            and not plugin.building and plugin.is_default_language_build
            and "child" not in _state and bool(_later_languages(plugin)))


def _one_indexing_at_a_time(config: Any) -> bool:
    """Whether the two processes' Pagefind runs take turns (mkdocs.yml
    ``extra.search_one_indexing_at_a_time: true`` or ``SEARCH_ONE_INDEXING_AT_A_TIME=1``),
    for a machine short of memory. By default both languages are indexed at once, both
    cores busy to the end (a Pagefind run on a part of 500 pages holds about 0.7 GiB)."""
    return bool(config.extra.get(ONE_INDEXING_KEY)) or os.environ.get(ONE_INDEXING_ENV) == "1"


def _flush() -> None:
    for handler in logging.getLogger().handlers + logging.getLogger("mkdocs").handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()


def _build_later_languages(config: Any, plugin: Any, folder: str) -> None:
    """What mkdocs-static-i18n's ``on_post_build`` does after the default language's build,
    into ``folder``."""
    from mkdocs_static_i18n.utils import I18nLoggingFilter

    quiet = I18nLoggingFilter()
    quiet.filtered_prefixes.update({"Documentation built in", "Building documentation to"})
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    config.site_dir = folder
    plugin.building = True
    for locale in _later_languages(plugin):
        plugin.current_language = locale
        build(config, dirty=False)
    plugin.reconfigure_search_index(config)


@event_priority(-200)  # after mkdocs-static-i18n (-100) and traditional_script (-150)
def on_nav(nav: Any, *, config: Any, files: Any) -> Any:
    """Fork: the child builds the later languages and exits, the parent goes on."""
    plugin = config.plugins.get("i18n")
    if not _forks(plugin):
        return nav
    site = Path(config.site_dir).resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix=f".{site.name}-languages-", dir=site.parent)
    if _one_indexing_at_a_time(config):
        # Opened by each Pagefind run on its own (a lock shared through fork excludes nobody).
        _state["lock"] = f"{folder}.lock"
        os.environ[PAGEFIND_LOCK] = _state["lock"]
    _flush()
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            _build_later_languages(config, plugin, folder)
        except BaseException:  # the parent reports the failure; this process only ends
            log.exception("parallel_languages: the build of %s failed",
                          ", ".join(_later_languages(plugin)))
            status = 1
        _flush()
        os._exit(status)
    languages = _later_languages(plugin)
    _state.update(child=pid, folder=folder, languages=languages, site=site)
    # Not built again here: the search hook then indexes this language as the last one, and
    # mkdocs-static-i18n builds no other after it. The language selector was set up from
    # the languages built (on_config), before this.
    _set_built(plugin, languages, built=False)
    _state["plugin"] = plugin
    log.info("parallel_languages: building %s in process %d", ", ".join(languages), pid)
    return nav


def _set_built(plugin: Any, locales: list[str], *, built: bool) -> None:
    for language in plugin.config.languages:
        if language.locale in locales:
            language.build = built


def move_into(source: Path, target: Path) -> None:
    """Move every file of ``source`` into ``target``, replacing files of the same path."""
    for path in sorted(source.iterdir()):
        destination = target / path.name
        if path.is_dir() and destination.is_dir():
            move_into(path, destination)
            path.rmdir()
        else:
            if destination.is_dir():
                shutil.rmtree(destination)
            path.replace(destination)


def _wait_for_child() -> None:
    pid, folder = _state.pop("child"), Path(_state.pop("folder"))
    try:
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            msg = f"parallel_languages: the build of {', '.join(_state['languages'])} failed"
            raise PluginError(msg)
        move_into(folder, _state["site"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _release_lock() -> None:
    """Remove the lock file, once no Pagefind of this build runs."""
    if "lock" in _state:
        os.environ.pop(PAGEFIND_LOCK, None)
        Path(_state.pop("lock")).unlink(missing_ok=True)


def on_shutdown() -> None:
    """In the parent, once the build has ended: wait for the child, move its files in."""
    if "plugin" not in _state:
        return
    try:
        if "child" in _state:
            _wait_for_child()
    finally:
        # Only once the child has ended: its Pagefind would make the file again.
        _release_lock()
        _set_built(_state.pop("plugin"), _state["languages"], built=True)


def on_build_error(error: Exception) -> None:
    """A failed build leaves no child building behind it."""
    if "child" in _state:
        pid = _state.pop("child")
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except OSError:
            pass
        shutil.rmtree(_state.pop("folder"), ignore_errors=True)
        _release_lock()
