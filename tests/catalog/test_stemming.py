"""The stemmer's speed-up (prefix rules skipped when they cannot apply) keeps every stem."""

from __future__ import annotations

import random
from pathlib import Path

import Sastrawi
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from catalog.search.analysis import _ALPHA_RE, _stemmer, stem_id

AFFIXES = [
    ("me", ""), ("mem", "kan"), ("pen", "an"), ("ber", ""), ("di", "i"), ("ke", "an"),
    ("ter", ""), ("peng", "an"), ("meng", "nya"), ("se", "nya"), ("per", "an"),
    ("menye", "kan"), ("pem", "an"), ("mempe", "kan"), ("be", "lah"), ("te", ""),
]  # fmt: skip


def test_guarded_prefix_rules_give_sastrawis_own_stems() -> None:
    roots = Path(Sastrawi.__file__).with_name("Stemmer").joinpath("data", "kata-dasar.txt")
    words = roots.read_text().split()
    sample = random.Random(4).sample(words, 1500)
    forms = sorted(
        {f"{a}{w}{b}" for w in sample for a, b in AFFIXES if _ALPHA_RE.fullmatch(w)}
        | {"kependudukan", "pengangguran", "perekonomian", "ketenagakerjaan"}
    )
    ours = _stemmer()
    guarded = sum(1 for v in ours.visitor_provider.prefix_visitors if "visit" in vars(v))
    assert guarded >= 30  # the speed-up is in place (a new Sastrawi may turn it off)
    plain = StemmerFactory().create_stemmer().delegatedStemmer
    assert [ours.stem_word(w) for w in forms] == [plain.stem_word(w) for w in forms]
    assert stem_id("kependudukan") == stem_id("penduduk") == "duduk"
