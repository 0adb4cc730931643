"""English stemming: the Snowball English stemmer at index and query time, on both engines.

Whoosh's Porter stemmer tested step 1b with ``re.match`` (the start of the word
only), so ``cooperated`` became ``cooperat`` and ``cooperate`` ``cooper``: a
search for one missed the other. These tests fail with that stemmer.
"""

import pytest
from django.core.management import call_command
from haystack import connections
from whoosh.filedb.filestore import FileStorage
from whoosh.fields import TEXT, Schema

from reports.search import SearchParams, highlight, index_report, mark_all, parse_query, search
from reports.search.analyzer import STEMMER, CrossScriptTokenizer, analyze, engine_text, stem_word
from reports.search.backend import OutdatedIndex
from reports.search import elasticsearch as es_module
from reports.search.elasticsearch import ANALYSIS, ANALYZER, node_query, normalized_document
from reports.search.searching import FIELDS
from reports.services.index_consistency import check_index


def patterns(query: str):
    return parse_query(query).patterns()


@pytest.mark.parametrize("forms", [
    ("cooperate", "cooperated", "cooperates", "cooperating", "cooperation"),
    ("plan", "plans", "planned", "planning"),
    ("organize", "organized", "organizes", "organizing", "organization"),
    ("standardize", "standardized", "standardizes", "standardizing"),
    ("hospital", "hospitals"),
    ("study", "studies", "studied"),
])
def test_inflected_forms_meet_their_base(forms):
    assert len({stem_word(form) for form in forms}) == 1, {form: stem_word(form) for form in forms}


def test_words_the_snowball_stemmer_keeps_apart_stay_apart():
    # Snowball 3 no longer conflates these (Snowball 2 and Lucene's porter2 did).
    assert stem_word("organ") != stem_word("organization")
    assert stem_word("university") != stem_word("universe")
    assert stem_word("past") != stem_word("paste")


def test_only_ascii_words_are_stemmed_and_every_word_is_lower_cased():
    assert stem_word("Cooperated") == "cooper"
    assert stem_word("Éducation") == "éducation"


def test_the_tokenizer_records_the_stemmer_in_what_whoosh_pickles():
    assert CrossScriptTokenizer().stemmer == STEMMER
    assert "snowball-english" in STEMMER


@pytest.mark.django_db
def test_searching_cooperate_finds_the_seed_section_that_says_cooperated(seed_corpus):
    outcome = search(SearchParams(q="cooperate"))
    assert {hit.report.source_name[:3] for hit in outcome.hits} == {"002"}
    snippets = [snippet for hit in outcome.hits for snippet in hit.highlights]
    assert any("Society <mark>cooperated</mark> with enterprises" in snippet for snippet in snippets)


@pytest.mark.django_db
@pytest.mark.parametrize("query, written", [
    ("planning", "planned"),
    ("organization", "organized"),
    ("standardized", "standardize"),
    ("cooperation", "cooperated"),
])
def test_an_inflection_finds_the_others_and_marks_them_as_written(indexed, query, written):
    report = indexed("Work report", [("1. Work", f"The society {written} the work."), ("2. Other", "Nothing here.")],
                     language="en")
    outcome = search(SearchParams(q=query))
    assert [(hit.report.pk, hit.section.heading) for hit in outcome.hits] == [(report.pk, "1. Work")]
    assert outcome.hits[0].highlights == [f"The society <mark>{written}</mark> the work."]


def test_highlights_mark_each_inflection_and_nothing_else():
    text = "We cooperated, cooperate and cooperation; the cooper and the coop."
    (snippet,) = highlight(text, patterns("cooperating"))
    assert snippet == ("We <mark>cooperated</mark>, <mark>cooperate</mark> and <mark>cooperation</mark>; "
                       "the <mark>cooper</mark> and the coop.")
    assert mark_all("Planning and plans", patterns("planned")) == "<mark>Planning</mark> and <mark>plans</mark>"


def test_a_phrase_of_inflections_matches_the_written_phrase():
    assert mark_all("It organized training courses.", patterns('"organizing training course"')) == (
        "It <mark>organized training courses</mark>."
    )


def test_elasticsearch_gets_the_same_terms_as_whoosh_and_stems_nothing_itself():
    text = "The Society cooperated with 醫院 on planning, 2021."
    assert engine_text(text) == "the societi cooper with 医院 on plan 2021"
    words = [token.text for token in analyze(text) if token.kind == "word"]
    assert words == [word for word in engine_text(text).replace(",", " ").split() if word.isascii() and word.isalpha()]
    assert normalized_document({"text": "Cooperated"}, {"text"}) == {"text": "cooper"}
    query = node_query(parse_query("cooperate").node, FIELDS)
    assert [clause["match_phrase"]["text"]["query"] for clause in query["bool"]["should"] if "text" in clause["match_phrase"]] == ["cooper"]
    # No engine stemmer: porter_stem, porter2 or snowball would stem the stems again.
    assert ANALYSIS["analyzer"][ANALYZER]["filter"] == ["cjk_width", "lowercase", "archive_bigrams"]
    assert not any(spec.get("type") in ("stemmer", "snowball", "porter_stem") for spec in ANALYSIS["filter"].values())


def test_elasticsearch_is_given_the_pieces_whoosh_makes_so_glued_words_split_alike():
    # Elasticsearch's standard tokenizer keeps covid19, don't, u.s and foo_bar whole (Unicode
    # word breaks), where Whoosh splits them: a search for covid or 19 would miss COVID19 there.
    text = "COVID19疫情 don't U.S. foo_bar 19th cooperated3.5"
    pieces = engine_text(text).split()
    assert pieces == ["covid", "19", "疫情", "don", "t", "u", "s", "foo", "bar", "19", "th", "cooper", "3", "5"]
    assert [piece for piece in pieces if piece != "疫情"] == [token.text for token in analyze(text) if token.kind != "han"]


@pytest.mark.django_db
def test_an_index_stemmed_the_old_way_is_refused_and_named_until_rebuilt(search_index, indexed):
    report = indexed("Report", [("", "The society cooperated with hospitals.")], language="en")
    backend = connections["default"].get_backend()

    class PorterTokenizer(CrossScriptTokenizer):
        def __init__(self):   # as pickled before the stemmer was recorded
            pass

    # The index as the archive wrote it with Whoosh's Porter stemmer: the same
    # layout, an analyzer that records no stemmer, the old terms.
    old_schema = Schema(**{name: backend.schema[name] for name in backend.schema.names()})
    for name in ("text", "title"):
        field = TEXT(analyzer=PorterTokenizer.__new__(CrossScriptTokenizer), phrase=True, stored=name == "title")
        field.format = backend.schema[name].format
        old_schema._fields[name] = field
    assert "stemmer" not in vars(old_schema["text"].analyzer)
    old = FileStorage(str(search_index)).create_index(old_schema)
    with old.writer(codec=backend_codec()) as writer:
        writer.add_document(text="the societi cooperat with hospit", title="report", django_id="1",
                            report_id="1", id="reports.section.1")

    with pytest.raises(OutdatedIndex, match=rf"English stems by whoosh-porter, not {STEMMER}.*run `manage.py rebuild_index`"):
        backend.searcher()
    found = check_index()
    assert "English stems by whoosh-porter" in found.unreadable and "run `manage.py rebuild_index`" in found.unreadable
    assert search(SearchParams(q="cooperate")).index_unavailable       # refused, not misread
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert report.pk in {hit.report.pk for hit in search(SearchParams(q="cooperate")).hits}
    assert check_index().consistent


CURRENT_FILTERS = ["cjk_width", "lowercase", "archive_bigrams"]
TEXT_PROPERTIES = {"text": {"type": "text", "analyzer": ANALYZER}}


@pytest.mark.django_db
@pytest.mark.parametrize("filters, mappings, refused", [
    # made before the text came stemmed
    (CURRENT_FILTERS + ["porter_stem"], {"_meta": {"stemmer": STEMMER}, "properties": TEXT_PROPERTIES},
     "made with another analyzer"),
    # English terms from another PyStemmer, or from a version that did not record its stemmer
    (CURRENT_FILTERS, {"_meta": {"stemmer": "snowball-english/pystemmer-2.2.0"}, "properties": TEXT_PROPERTIES},
     "English stems by snowball-english/pystemmer-2.2.0"),
    (CURRENT_FILTERS, {"properties": TEXT_PROPERTIES}, "English stems by a stemmer it did not record"),
    (CURRENT_FILTERS, {"_meta": {"stemmer": STEMMER}, "properties": TEXT_PROPERTIES}, None),
    (CURRENT_FILTERS, {}, None),   # created, nothing mapped or indexed yet
], ids=["stemming-itself", "other-pystemmer", "unrecorded", "current", "empty"])
def test_an_elasticsearch_index_stemmed_otherwise_is_refused(elasticsearch_backend_here, monkeypatch,
                                                             filters, mappings, refused):
    backend = elasticsearch_backend_here
    settings = {backend.index_name: {"settings": {"index": {"analysis": {"analyzer": {ANALYZER: {
        "type": "custom", "tokenizer": "standard", "filter": filters}}}}}}}
    monkeypatch.setattr(backend.conn.indices, "get_settings", lambda index: settings)
    monkeypatch.setattr(backend.conn.indices, "get_mapping", lambda index: {backend.index_name: {"mappings": mappings}})
    monkeypatch.setattr(es_module, "scan", lambda *args, **kwargs: iter([]))
    monkeypatch.setattr(es_module.Elasticsearch7SearchBackend, "setup", lambda self: None)
    backend.setup_complete = False
    if refused:
        with pytest.raises(OutdatedIndex, match=f"{refused}.*run `manage.py rebuild_index`"):
            backend.setup()
    outcome = search(SearchParams(q="cooperate"))
    assert outcome.index_unavailable is bool(refused)


def test_the_elasticsearch_mapping_records_the_stemmer_beside_the_fields(elasticsearch_backend_here):
    mapping = elasticsearch_backend_here._get_current_mapping(TEXT_PROPERTIES)
    assert mapping == {"_meta": {"stemmer": STEMMER}, "properties": TEXT_PROPERTIES}


def backend_codec():
    from reports.search.backend import _codec

    return _codec()
