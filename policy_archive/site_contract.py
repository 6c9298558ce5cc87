"""What the pipeline writes and the site layer reads: paths, versions, labels, search facets.

The pipeline owns every fact here; the MkDocs hooks (``hooks/``) and any later site
generator only read them, from this module and from the files it names in docs/. So a
hook never recomputes what the pipeline knows, and moving to another generator means
reading the same files.
"""

from __future__ import annotations

# Folders of docs/ the build owns; hand-written pages live anywhere else.
GENERATED_ROOTS = ("documents", "data", "bodies", "dates", "initiatives", "people", "cited")

# Files of docs/ the site layer reads, relative to docs/.
DATASET = "data/documents.json"
MANIFEST = "data/manifest.json"
# Every document id and URL ever published (policy_archive.registry); the build extends it.
PERMANENT_IDS = "data/permanent_ids.json"
# Query characters of either script → the site's script (policy_archive.render.script_table).
SCRIPT_TABLE = "data/search_script_table.json"

# Pagefind, installed by `npm ci` from package.json / package-lock.json (project root).
PAGEFIND_BIN = "node_modules/.bin/pagefind"

# Search filters (facets): name in the index → (front-matter key, the words a reader types
# before a colon to use it, in both scripts). "year" is read from the front matter's date.
SEARCH_FILTERS = {
    "year": ("year", ("年份", "年")),
    "body": ("bodies", ("机构", "機構")),
    "outlet": ("outlet", ("来源", "來源")),
    "initiative": ("initiatives", ("提法",)),
}

# Version of the dataset's field names: add fields, never rename them.
SCHEMA_VERSION = 1

# Where corrections are kept, relative to the project root.
SEEDS_DIR = "seeds"
CORRECTIONS_SUFFIX = ".corrections.yml"

# How a page words the role a body played.
ROLE_LABELS = {"held": "召开", "issued": "发布", "presided": "主持"}

# The archive's name as a citation names it (the publisher; the author of a document with no
# outlet). mkdocs.yml's site_name says the same.
ARCHIVE_NAME = "川渝政策会议档案"

# The locale of the traditional-script site (mkdocs.yml, plugins.i18n).
TRADITIONAL_LOCALE = "zh-Hant"


def corrections_file(seed_stem: str) -> str:
    """The corrections file of a seed, relative to the project root.

    ``seed_stem`` must already be checked (``policy_archive.ids``): it becomes a link.

    >>> corrections_file("000_f73564b879444066")
    'seeds/000_f73564b879444066.corrections.yml'
    """
    return f"{SEEDS_DIR}/{seed_stem}{CORRECTIONS_SUFFIX}"


def document_url(document_id: str) -> str:
    """A document's page, relative to the site root: from its permanent id only.

    >>> document_url("000_f73564b879444066-2")
    'documents/000_f73564b879444066-2/'
    """
    return f"documents/{document_id}/"
