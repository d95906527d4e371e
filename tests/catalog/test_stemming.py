"""The stemmer's speed-up (prefix rules skipped when they cannot apply) keeps every stem,
on dictionary words with affixes and on made-up words (which run Sastrawi's longest
path: every pass, every restored suffix)."""

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
    assert ours.prefix_index.indexed >= 30  # the speed-up is in place (a new Sastrawi may
    # turn it off)
    plain = StemmerFactory().create_stemmer().delegatedStemmer
    assert [ours.stem_word(w) for w in forms] == [plain.stem_word(w) for w in forms]
    assert stem_id("kependudukan") == stem_id("penduduk") == "duduk"


SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bu",
    "ka",
    "ke",
    "ki",
    "ku",
    "ma",
    "me",
    "mi",
    "mu",
    "na",
    "ni",
    "nu",
    "ra",
    "ri",
    "ru",
    "sa",
    "si",
    "su",
    "ta",
    "ti",
    "tu",
    "la",
    "li",
]


def test_made_up_words_get_sastrawis_own_stems() -> None:
    rng = random.Random(11)
    prefixes = ["", "me", "mem", "meng", "meny", "pen", "peng", "pe", "ber", "be", "di", "ke"]
    prefixes += ["ter", "te", "se", "per", "memper", "diper", "keber"]
    suffixes = ["", "an", "kan", "i", "nya", "lah", "kah", "pun", "kannya", "ku", "mu"]
    forms = sorted(
        {
            rng.choice(prefixes)
            + "".join(rng.choices(SYLLABLES, k=rng.randint(1, 4)))
            + rng.choice(suffixes)
            for _ in range(4000)
        }
    )
    plain = StemmerFactory().create_stemmer().delegatedStemmer
    ours = _stemmer()
    assert [ours.stem_word(w) for w in forms] == [plain.stem_word(w) for w in forms]
