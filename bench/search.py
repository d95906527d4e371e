"""Benchmark of the catalogue search: our Whoosh ``SearchIndex`` beside tantivy-py, and
with ``--engine postgres`` the PostgreSQL engine (``PostgresSearch``) beside both.

All index the same generated Indonesian corpus (BPS-like publications of 5-300 pages) and
answer the same queries; ratios to tantivy are printed beside the targets: Whoosh query
p95 <= 3x tantivy, indexing >= 0.2x tantivy; PostgreSQL query p95 <= 10x tantivy,
indexing >= 1,000 pages/s (targets at 200,000 pages). Ours: one document per publication;
tantivy: one per page (the plain design). "cold": first run of each distinct query;
"warm": the same queries again. PostgreSQL runs in a scratch schema (``bench_search``,
dropped afterwards) of the database ``--database-url`` names, which must have pg_trgm.
Measured figures (200,000 pages, before and after the engine's changes): bench/README.md.

    .venv/bin/python bench/search.py [--pages 20000] [--queries 300] [--keep DIR]
        [--engine postgres --database-url postgresql://127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from catalog.search import PubDoc, SearchIndex
from catalog.search.index import close_searchers

BENCH_SCHEMA = "bench_search"

# fmt: off
# Hand-formatted: the formatter would spread this data-heavy script over twice the lines.
# Topics: subject | English | its vocabulary
TOPIC_TABLE = """
Kependudukan|Population|penduduk, kependudukan, jiwa, rumah tangga, kelahiran, migrasi, kepadatan penduduk
Ketenagakerjaan|Labour|tenaga kerja, pengangguran, angkatan kerja, pekerja, upah, jam kerja, pekerja informal
Kemiskinan|Poverty|kemiskinan, garis kemiskinan, penduduk miskin, pengeluaran per kapita, gini rasio
Harga dan Inflasi|Prices|inflasi, indeks harga konsumen, harga, komoditas, beras, cabai merah, deflasi
Pertanian|Agriculture|pertanian, padi, produksi padi, luas panen, produktivitas, kelapa sawit, petani
Pendidikan|Education|pendidikan, sekolah, murid, guru, angka partisipasi, rata-rata lama sekolah
Kesehatan|Health|kesehatan, puskesmas, rumah sakit, tenaga kesehatan, imunisasi, gizi buruk
Pendapatan Regional|Regional Accounts|PDRB, pertumbuhan ekonomi, lapangan usaha, harga konstan
Industri|Industry|industri, perusahaan, industri pengolahan, tenaga kerja, nilai tambah
Pariwisata|Tourism|pariwisata, hotel, tingkat penghunian kamar, wisatawan, akomodasi
"""  # noqa: E501
TOPICS = {s: (en, ws.split(", ")) for s, en, ws in (
    line.split("|") for line in TOPIC_TABLE.strip().splitlines())}
KAB = ["Kota Bengkulu", "Rejang Lebong", "Kaur", "Seluma", "Mukomuko", "Lebong", "Kepahiang",
       "Bengkulu Tengah", "Bengkulu Selatan", "Bengkulu Utara"]
WORDS = """yang dan di pada tahun dengan sebesar persen dari untuk dalam menurut terhadap jumlah
adalah ini tersebut mengalami peningkatan penurunan dibandingkan sebelumnya sedangkan tercatat
sebanyak kabupaten kota provinsi bengkulu kecamatan data sumber badan pusat statistik hasil survei
sensus | ba be bi bu ka ke ki ku ma me mi mu na ni nu ra ri ru sa si su ta ti tu la li lu ga gu da
di pa pu ja ju ha hi ng | - - - me mem pen pe ber di ke ter | - - an kan nya i"""
FUNCTION, SYLLABLES, *AFFIXES = ([w.strip("-") for w in part.split()] for part in WORDS.split("|"))

class Corpus:
    """A deterministic generator of BPS-like publications (``random`` is not security)."""

    def __init__(self, seed: int) -> None:
        self.rng = rng = random.Random(seed)  # noqa: S311
        # A long Zipf-distributed tail of pseudo-Indonesian words, some with real affixes.
        def stem() -> str:
            return "".join(rng.choices(SYLLABLES, k=rng.randint(2, 3)))
        self.tail = sorted({rng.choice(AFFIXES[0]) + stem() + rng.choice(AFFIXES[1])
                            for _ in range(8000)})
        self.cw = list(itertools.accumulate(1.0 / (i + 1) for i in range(len(self.tail))))
        self.kecamatan = {k: [stem().title() for _ in range(rng.randint(6, 15))] for k in KAB}

    def sentence(self, vocab: list[str], year: int) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return (f"{rng.choice(vocab).capitalize()} di {rng.choice(KAB)} pada tahun {year} "
                    f"tercatat sebesar {rng.randint(1, 99999):,} "
                    f"{rng.choice(['jiwa', 'ton', 'unit', 'rupiah'])}, "
                    f"{rng.choice(['naik', 'turun'])} {rng.randint(1, 30)},{rng.randint(0, 99)} "
                    f"persen dibandingkan tahun {year - 1}.").replace(",", ".", 1)
        tail = rng.choices(self.tail, cum_weights=self.cw, k=7)
        words = [*rng.choices(FUNCTION, k=8), *rng.choices(vocab, k=3), *tail]
        rng.shuffle(words)
        return " ".join(words).capitalize() + "."

    def page(self, no: int, vocab: list[str], kab: str, year: int) -> str:
        rng = self.rng
        if rng.random() >= 0.4:  # narrative, else a table
            return " ".join(self.sentence(vocab, year) for _ in range(rng.randint(10, 16)))
        head = (f"Tabel {no // 10 + 1}.{no % 10 + 1} {rng.choice(vocab).title()} "
                f"Menurut Kecamatan di {kab}, {year}")
        rows = [f"{k} {rng.randint(100, 99999):,} {rng.randint(1, 9999):,} "
                f"{rng.randint(0, 100)},{rng.randint(0, 99)}".replace(",", ".")
                for k in rng.choices(self.kecamatan[kab], k=rng.randint(15, 30))]
        return "\n".join([head, *rows, f"Sumber: BPS {kab}", self.sentence(vocab, year)])

    def publication(self, pub_id: int, most: int) -> PubDoc:
        rng = self.rng
        subjects = rng.sample(sorted(TOPICS), rng.choice([1, 1, 2, 3]))
        kab, year, r = rng.choice(KAB), rng.randint(2010, 2024), rng.random()
        kind, n, title = "publication", rng.randint(150, 300), f"Kabupaten {kab} Dalam Angka {year}"
        if r < 0.35:
            kind, n = "statistical news", rng.randint(5, 15)
            title = f"Berita Resmi Statistik: {subjects[0]} Provinsi Bengkulu {year}"
        elif r < 0.8:
            n, title = rng.randint(20, 150), f"Statistik {subjects[0]} {kab} {year}"
        else:
            subjects = sorted(TOPICS)
        vocab = [w for s in subjects for w in TOPICS[s][1]]
        return PubDoc(
            pub_id=pub_id, title=title, title_en=f"{TOPICS[subjects[0]][0]} of {kab} {year}",
            subtitle=rng.choice(["", f"Hasil Survei {year}"]),
            abstract=" ".join(self.sentence(vocab, year) for _ in range(3)),
            subjects=subjects, kind=kind, language=rng.choice(["id"] * 9 + ["en"]), year=year,
            release_date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
            access=rng.choice(["open", "open", "read_only", "sale"]),
            kat_no=f"{rng.randint(1000, 9999)}.{rng.randint(1000, 9999)}", pub_no=f"{pub_id:05d}",
            pages=[self.page(i, vocab, kab, year) for i in range(1, min(n, most) + 1)])

def make_corpus(pages: int, seed: int = 20240601) -> list[PubDoc]:
    """Publications whose page counts add up to ``pages``."""
    corpus, left, docs = Corpus(seed), pages, list[PubDoc]()
    while left > 0:
        docs.append(corpus.publication(len(docs) + 1, left))
        left -= len(docs[-1].pages)
    return docs

Query = tuple[str, str, int | None]  # (category, query string, year filter)
CATEGORIES = ("single", "and", "phrase", "prefix", "filter+date", "facets")

def make_queries(docs: list[PubDoc], n: int, seed: int = 7) -> list[Query]:
    """``n`` distinct queries, the six categories in turn, from the corpus' own words."""
    rng = random.Random(seed)  # noqa: S311
    topic = sorted({w for _, ws in TOPICS.values() for w in ws})
    single = [*sorted({w for w in " ".join(topic).lower().split() if len(w) > 3}),
              "kaur", "seluma", "mukomuko", "lebong", "kepahiang", "population", "poverty"]
    phrases = sorted({w for w in topic if " " in w} | {k.lower() for k in KAB if " " in k})
    text = " ".join(d.pages[0] for d in docs[:40]).lower().split()
    words = [*single, *sorted({w for w in text if w.isalpha() and len(w) > 4})]
    years, out = sorted({d.year or 0 for d in docs}), list[Query]()
    make = {"single": lambda: rng.choice(words), "facets": lambda: rng.choice(words),
            "and": lambda: f"{rng.choice(single)} {rng.choice(words)}",
            "phrase": lambda: f'"{rng.choice(phrases)}"', "filter+date": lambda: rng.choice(single),
            "prefix": lambda: rng.choice(single)[: rng.randint(4, 6)] + "*"}
    for category in itertools.islice(itertools.cycle(CATEGORIES), 50 * n):
        q, year = make[category](), rng.choice(years) if category == "filter+date" else None
        if (category, q, year) not in out and len(out) < n:
            out.append((category, q, year))
    return out

Engine = tuple[Callable[[Query], int], Callable[[int, str], int]]  # query, search_pages

class Postgres:
    """The PostgreSQL engine on a scratch schema of ``url`` (created, then dropped)."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import MetaData, create_engine, text
        from sqlalchemy.orm import Session

        from catalog.search.pg import PostgresSearch
        from catalog.search.pg_tables import define
        admin = create_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {BENCH_SCHEMA}"))
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        self.admin = admin
        self.db = create_engine(url, connect_args={
            "options": f"-csearch_path={BENCH_SCHEMA},public"})
        metadata = MetaData()
        define(metadata)
        # Not checkfirst: the app's own tables in public (a migrated database) are on
        # the search path too, and would be taken for these.
        metadata.create_all(self.db, checkfirst=False)
        self.reader = Session(self.db)
        self.engine = PostgresSearch(lambda: self.reader, lambda: Session(self.db))

    def size_mb(self) -> float:
        from sqlalchemy import text
        with self.db.connect() as conn:
            return float(conn.scalar(text(
                "SELECT pg_total_relation_size('search_documents') + "
                "pg_total_relation_size('search_pages')")) or 0) / 1e6

    def close(self) -> None:
        from sqlalchemy import text
        self.reader.close()
        self.db.dispose()
        with self.admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE"))
        self.admin.dispose()

def engine_of(index: Any) -> Engine:
    def run(q: Query) -> int:
        if q[0] == "filter+date":
            return int(index.query(q[1], filters={"year": q[2] or 0}, sort="date",
                                   facets=False).total)
        return int(index.query(q[1], facets=q[0] == "facets").total)
    return run, lambda pub_id, q: len(index.search_pages(pub_id, q))

def tantivy_build(docs: list[PubDoc], path: Path) -> Any:
    """Index ``docs`` in tantivy, one document per page."""
    import tantivy
    sb = tantivy.SchemaBuilder()
    for name in ("pub_id", "page", "year", "date"):
        sb.add_integer_field(name, stored=True, indexed=True, fast=True)
    for name, raw in (("title", 0), ("body", 0), ("subject", 1), ("type", 1), ("language", 1)):
        tokenizer = "raw" if raw else "default"
        sb.add_text_field(name, stored=not raw, fast=bool(raw), tokenizer_name=tokenizer)
    index = tantivy.Index(sb.build(), path=str(path))
    writer = index.writer(heap_size=256_000_000)
    for d in docs:
        common = {"pub_id": d.pub_id, "title": f"{d.title} {d.subtitle} {d.title_en}",
                  "subject": d.subjects, "year": d.year or 0, "type": d.kind,
                  "language": d.language, "date": (d.release_date or date.min).toordinal()}
        for no, text in enumerate(d.pages, 1):
            writer.add_document(tantivy.Document(page=no, body=text, **common))
    writer.commit()
    writer.wait_merging_threads()
    return index

def tantivy_engine(index: Any) -> Engine:
    """Queries as a result page needs them: top 20, stored fields, a snippet each."""
    import tantivy
    index.reload()
    s, schema, must, query = index.searcher(), index.schema, tantivy.Occur.Must, tantivy.Query
    aggs = {f: {"terms": {"field": f, "size": 50}} for f in ("subject", "year", "type", "language")}

    def parse(q: str, *also: Any) -> Any:
        if q.endswith("*"):  # tantivy's parser has no word prefix: a regex per field
            regex = [query.regex_query(schema, f, q[:-1] + ".*") for f in ("title", "body")]
            parsed = query.boolean_query([(tantivy.Occur.Should, r) for r in regex])
        else:
            fields, boost = ["title", "body"], {"title": 3.0}
            parsed = index.parse_query(q, fields, boost, conjunction_by_default=True)
        return query.boolean_query([(must, x) for x in (parsed, *also)]) if also else parsed

    def show(parsed: Any, hits: list[Any]) -> None:
        snippets = tantivy.SnippetGenerator.create(s, parsed, schema, "body")
        for _, address in hits:
            found = s.doc(address)
            found.get_first("title"), snippets.snippet_from_doc(found).to_html()

    def run(q: Query) -> int:
        dated = q[0] == "filter+date"
        parsed = parse(q[1], query.term_query(schema, "year", q[2])) if dated else parse(q[1])
        result = s.search(parsed, 20, order_by_field="date" if dated else None)
        show(parsed, result.hits)
        if q[0] == "facets":
            s.aggregate(parsed, aggs)
        return int(result.count or 0)

    def pages(pub_id: int, q: str) -> int:
        parsed = parse(q, query.term_query(schema, "pub_id", pub_id))
        show(parsed, hits := s.search(parsed, 50).hits)
        return len(hits)

    return run, pages

def reopen_ms(name: str, path: Path) -> float:
    """Open the index afresh (this process's searchers closed first) and answer a query."""
    import tantivy
    close_searchers()
    t = time.perf_counter()
    if name == "ours":
        SearchIndex(path).query("penduduk")
    else:
        ix = tantivy.Index.open(str(path))
        ix.searcher().search(ix.parse_query("penduduk", ["title", "body"]), 20)
    return (time.perf_counter() - t) * 1000

def ms(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000

def pct(times: list[float], p: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[p - 1]

def measure(name: str, docs: list[PubDoc], path: Path, queries: list[Query],
            pg: Postgres | None = None) -> dict[str, Any]:
    t = time.perf_counter()
    if name == "ours":
        SearchIndex(path).rebuild(iter(docs))
        run, search_pages = engine_of(SearchIndex(path))
    elif name == "postgres" and pg is not None:
        pg.engine.rebuild(iter(docs))
        run, search_pages = engine_of(pg.engine)
    else:
        run, search_pages = tantivy_engine(tantivy_build(docs, path))
    secs = time.perf_counter() - t
    if pg is not None:
        mb = pg.size_mb()
    else:
        mb = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6
    out: dict[str, Any] = {"rate": sum(len(d.pages) for d in docs) / secs, "secs": secs, "mb": mb}
    out["reopen"] = reopen_ms(name, path) if pg is None else 0.0
    run(("single", "zzwarmup", None))
    for rnd in ("cold", "warm"):
        out[rnd] = {c: [] for c in CATEGORIES}
        for q in queries:  # in their mixed order
            out[rnd][q[0]].append(ms(functools.partial(run, q)))
    out["totals"] = [run(q) for q in queries[:12]]
    words = itertools.cycle(["penduduk", "inflasi", "kemiskinan", "padi", "tenaga", "kaur"])
    probes = zip((d.pub_id for d in docs[:: max(1, len(docs) // 60)]), words, strict=False)
    out["pages"] = [ms(functools.partial(search_pages, p, w)) for p, w in probes]
    return out

TARGETS = {  # (indexing, query p95): a ratio to tantivy, or pages/s for indexing
    "ours": (">= 0.20x", "<= 3.00x"), "postgres": (">= 1000/s", "<= 10.0x")}

def report(results: dict[str, dict[str, Any]]) -> None:
    names = [n for n in ("ours", "postgres") if n in results]
    t = results["tantivy"]
    print("ours: Whoosh, a document per publication | postgres: PostgreSQL full-text, a row "
          "per publication and per page | tantivy: a document per page")
    head = "".join(f"{n:>10}{'ratio':>7}" for n in names)
    print(f"{'':24}{head}{'tantivy':>10}   targets ({', '.join(names)})")

    def row(label: str, key: Callable[[dict[str, Any]], float], targets: str = "") -> None:
        theirs = key(t)
        cells = "".join(f"{key(results[n]):10.2f}{key(results[n]) / theirs:7.2f}"
                        if theirs else f"{key(results[n]):10.2f}{'':7}" for n in names)
        print(f"{label:24}{cells}{theirs:10.2f}   {targets}")

    row("indexing, pages/s", lambda r: r["rate"],
        " / ".join(TARGETS[n][0] for n in names))
    row("index build, s", lambda r: r["secs"])
    row("index size, MB", lambda r: r["mb"])
    row("reopen+1st query, ms", lambda r: r["reopen"])
    for rnd in ("cold", "warm"):
        print(f"-- queries, {rnd}, ms")
        for c in [*CATEGORIES, "ALL"]:
            for p in (50, 95, 99) if c == "ALL" else (50, 95):
                target = " / ".join(TARGETS[n][1] for n in names) if (c, p) == ("ALL", 95) else ""
                row(f"{c} p{p}", functools.partial(_pct_of, rnd=rnd, c=c, p=p), target)
    for p in (50, 95):
        row(f"search_pages p{p}, ms", functools.partial(_pages_pct, p=p))
    totals = " / ".join(f"{n}: {results[n]['totals']}" for n in [*names, "tantivy"])
    print(f"matches, first 12 queries (publications; tantivy: pages): {totals}")

def _pages_pct(r: dict[str, Any], p: int) -> float:
    return pct(r["pages"], p)

def _pct_of(r: dict[str, Any], rnd: str, c: str, p: int) -> float:
    return pct([x for k, v in r[rnd].items() for x in v if c in (k, "ALL")], p)

def main() -> None:
    ap = argparse.ArgumentParser(description="Catalogue search: ours vs tantivy.")
    ap.add_argument("--pages", type=int, default=20_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--keep", type=Path, help="build the indexes here and keep them")
    ap.add_argument("--engine", choices=["whoosh", "postgres"], default="whoosh",
                    help="postgres: the PostgreSQL engine too, beside Whoosh and tantivy")
    ap.add_argument("--database-url", default="postgresql://127.0.0.1:5432/test",
                    help="the PostgreSQL database for --engine postgres (a scratch schema)")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    docs = make_corpus(args.pages)
    words = sum(len(p.split()) for d in docs for p in d.pages) / args.pages
    print(f"corpus: {len(docs)} publications, {args.pages} pages, {words:.0f} words/page")
    queries, results = make_queries(docs, args.queries), {}
    names = ["ours", "postgres", "tantivy"] if args.engine == "postgres" else ["ours", "tantivy"]
    for name in names:
        shutil.rmtree(root / name, ignore_errors=True)
        (root / name).mkdir(parents=True)
        if name == "postgres":
            pg = Postgres(args.database_url.replace("postgresql://", "postgresql+psycopg://", 1))
            try:
                results[name] = measure(name, docs, root / name, queries, pg)
            finally:
                pg.close()
        else:
            results[name] = measure(name, docs, root / name, queries)
    report(results)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)

if __name__ == "__main__":
    main()
# fmt: on
