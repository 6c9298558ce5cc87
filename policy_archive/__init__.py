"""Sichuan–Chongqing policy records archive.

The package is laid out in the order the data flows:
``ingest`` (read seeds) → ``clean`` (repair steps) → ``split`` (one seed, several
articles) → ``extract`` (metadata) → ``render`` (Markdown, indexes, dataset).
``script`` converts between simplified and traditional characters for both the
pipeline and the MkDocs hooks in ``hooks/``.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
