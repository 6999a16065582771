"""An index written by an earlier version, before the source and language fields: it is read
as it is, and the next `newsarchive index` run gives it the new fields."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index

from search.backends.whoosh.schema import article_to_document, build_schema, document_to_article
from search.layout import current_generation, make_current, new_generation
from search.web import create_app
from tests.indexing import index_into
from tests.processes import run_cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "text"
ADDED_SINCE = ("source", "language")


def write_old_index(index_dir: Path, scratch: Path) -> int:
    """The samples' articles in an index whose schema lacks the fields added since."""
    index_into([SAMPLES], scratch, workers=1)
    schema = build_schema()
    for name in list(schema.names()):
        if name in ADDED_SINCE or name.startswith(("title_", "body_")):
            schema.remove(name)
    generation = new_generation(index_dir)
    old = whoosh_index.create_in(generation, schema)
    writer = old.writer()
    with whoosh_index.open_dir(str(current_generation(scratch))).searcher() as searcher:
        for stored in searcher.all_stored_fields():
            article = document_to_article(stored)
            article.content_hash = "earlier-" + article.content_hash  # another extractor's
            document = article_to_document(article, stored["month"], stored["record"]["date_label"])
            writer.add_document(**{k: v for k, v in document.items() if k in schema})
            count = searcher.doc_count()
    writer.commit()
    make_current(index_dir, generation)
    return count


def test_an_index_from_before_the_new_facets_is_searched_then_upgraded(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    count = write_old_index(index_dir, tmp_path / "scratch")
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    try:
        client = app.test_client()
        assert client.get("/api/search").get_json()["total"] == count
        for url in ("/search?source=Wire", "/api/search?not_language=fr", "/facet/language"):
            assert client.get(url).status_code == 200, url
        assert client.get("/api/search?source=Wire").get_json()["total"] == 0
    finally:
        app.extensions["backend"].close()
    searched = run_cli("search", "--language", "en", "--index-dir", index_dir, "--json")
    assert searched.returncode == 0, searched.stderr
    indexed = run_cli("index", SAMPLES, "--index-dir", index_dir)
    assert indexed.returncode == 0 and "unexpected" not in indexed.stderr, indexed.stderr
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    try:
        languages = app.test_client().get("/api/search").get_json()["facets"]["language"]
        assert sum(value["count"] for value in languages) == count
    finally:
        app.extensions["backend"].close()
