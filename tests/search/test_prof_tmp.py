import time, cProfile, pstats
import pytest
from reports.search import SearchParams, search
from reports.search.analyzer import analyze, _nfkc_with_map
import unicodedata

@pytest.mark.django_db
def test_prof(seed_corpus, client):
    # correctness of the fast path vs per-character NFKC
    for r in seed_corpus.values():
        out, starts, ends = _nfkc_with_map(r.body)
        assert out == unicodedata.normalize("NFKC", r.body)
    t = time.time()
    for r in seed_corpus.values():
        analyze(r.body)
    print("analyze all bodies", time.time() - t, sum(len(r.body) for r in seed_corpus.values()))
    for q in ["医学会", "醫院黨建", "inspection", "院", "党建 OR 医院"]:
        client.get("/search/", {"q": "x"})
        t = time.time(); r = client.get("/search/", {"q": q}); t1 = time.time() - t
        t = time.time(); client.get("/api/search/", {"q": q}); t2 = time.time() - t
        print(q, round(t1, 3), round(t2, 3))
    pr = cProfile.Profile(); pr.enable()
    for q in ["医学会", "院", "党建 OR 医院"]: client.get("/search/", {"q": q, "sort": "date"})
    pr.disable(); pstats.Stats(pr).sort_stats("tottime").print_stats(15)
