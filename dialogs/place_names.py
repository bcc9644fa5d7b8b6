"""Find the places a sentence names, by their names in any language.

"kirjasto" finds "Mikkelin pääkirjasto" (a whole part of a compound), "nuoriso" finds
"Rantakylän nuorisotalo", "biblioteket" the Swedish name and "kirjsto" a typo of it. Every
word of a name is stemmed with its language's stemmer; a typed word counts once per place,
the best way it matches; the places that most typed words name win. Every match is a
dictionary lookup (a compound's parts are stored as keys of their own); only a word that
names nothing and is no word of the word table is tried as a typo, in rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

from dialogs.understanding import COMPOUND_PART, Stemmed, Vocabulary, fold, words_of

# How alike a typed word and a word of a name must be to count as a typo of it (0–100).
TYPO_SIMILARITY = 85
TYPO_WEIGHT = 0.8
WIDER_WEIGHT = 0.9  # a typed compound that holds a name's word and more ("pääkirjasto")
SHORTEST_WORD = 3  # shorter words of a name ("S:t", "i") name nothing alone

_Ids = frozenset[int]


def _parts(word: str) -> set[str]:
    """The word's beginnings and endings long enough to be a compound's part."""
    return {word[:end] for end in range(COMPOUND_PART, len(word))} | {
        word[start:] for start in range(1, len(word) - COMPOUND_PART + 1)
    }


def _add(table: dict[str, set[int]], key: str, place_id: int) -> None:
    table.setdefault(key, set()).add(place_id)


class PlaceIndex:
    """The names of the places, ready to be matched against what people type."""

    def __init__(
        self, vocabulary: Vocabulary, places: Iterable[tuple[int, Mapping[str, str]]]
    ) -> None:
        self._vocabulary = vocabulary
        whole: dict[str, dict[str, set[int]]] = {language: {} for language in vocabulary.stemmers}
        parts: dict[str, dict[str, set[int]]] = {language: {} for language in vocabulary.stemmers}
        folded: dict[str, set[int]] = {}
        for place_id, names in places:
            for language, name in names.items():
                stemmer = vocabulary.stemmers.get(language)
                for word in words_of(name or ""):
                    plain = fold(word)
                    if len(plain) < SHORTEST_WORD or plain in vocabulary.fillers:
                        continue
                    _add(folded, plain, place_id)
                    if stemmer is None:
                        continue
                    stem = fold(stemmer.stemWord(word))
                    _add(whole[language], stem, place_id)
                    for part in _parts(stem):
                        _add(parts[language], part, place_id)
        self._whole = {lang: {k: frozenset(v) for k, v in t.items()} for lang, t in whole.items()}
        self._parts = {lang: {k: frozenset(v) for k, v in t.items()} for lang, t in parts.items()}
        self._folded = {word: frozenset(ids) for word, ids in folded.items()}
        self._words = tuple(self._folded)

    def named_in(self, text: str) -> tuple[int, ...]:
        """The places the sentence names best, by id; () for none."""
        return self.named_in_stemmed(self._vocabulary.stem(text))

    def named_in_stemmed(self, stemmed: Stemmed) -> tuple[int, ...]:
        scores: dict[int, float] = {}
        for position, typed in enumerate(stemmed.folded):
            if len(typed) < SHORTEST_WORD or typed in self._vocabulary.fillers:
                continue
            best = self._named_by(stemmed, position, typed)
            if not best and not self._vocabulary.is_table_word(stemmed, position):
                best = self._typo_of(typed)
            for place_id, weight in best.items():
                scores[place_id] = scores.get(place_id, 0.0) + weight
        if not scores:
            return ()
        top = max(scores.values())
        return tuple(sorted(place_id for place_id, score in scores.items() if score == top))

    def _named_by(self, stemmed: Stemmed, position: int, typed: str) -> dict[int, float]:
        best: dict[int, float] = {}

        def credit(ids: _Ids, weight: float) -> None:
            for place_id in ids:
                best[place_id] = max(best.get(place_id, 0.0), weight)

        credit(self._folded.get(typed, frozenset()), 1.0)
        for language, stems in stemmed.stems.items():
            stem = stems[position]
            whole = self._whole.get(language, {})
            credit(whole.get(stem, frozenset()), 1.0)
            if len(stem) >= COMPOUND_PART:
                credit(self._parts.get(language, {}).get(stem, frozenset()), 1.0)
            for part in _parts(stem):
                credit(whole.get(part, frozenset()), WIDER_WEIGHT)
        return best

    def _typo_of(self, typed: str) -> dict[int, float]:
        """Words a typo away: of a whole word, or of a compound's part ("kirjsto")."""
        if len(typed) < COMPOUND_PART:
            return {}
        longer = [word for word in self._words if len(word) > len(typed)]
        alike = [
            *process.extract(
                typed, self._words, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY, limit=None
            ),
            *process.extract(
                typed, longer, scorer=fuzz.partial_ratio, score_cutoff=TYPO_SIMILARITY, limit=None
            ),
        ]
        return {
            place_id: TYPO_WEIGHT for word, _score, _at in alike for place_id in self._folded[word]
        }
