"""When two records are likely the same person or business
(docs/DOMAIN.md, "Duplicates").

* An aid applicant: the same NIK twice in one round (a person applies once
  per round: Permenkop UKM 6/2020 as amended by 2/2021, "has not already
  received the aid in the same round").
* A business: the same owner NIK, the same NIB (one OSS registration per
  business), or a close name in the same village.

"Close" is a similarity of at least :data:`NAME_SIMILARITY` between the
names after :func:`name_key` (case, punctuation, spacing and the legal-form
words UD/CV/PT/PD set aside), as difflib's ratio measures it: 0.85 takes
'Keripik Pisang Bu Ani' and 'Keripik Pisang Bu Any' (one letter in 21) and
leaves 'Warung Makan Sri' and 'Warung Makan Sari Rasa' apart. The threshold
is the project's own choice, not a regulation's; the tests hold both sides
of it.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

#: The least difflib ratio at which two business names in one village are
#: taken for the same business (the project's choice, see above).
NAME_SIMILARITY = 0.85
_LEGAL_FORMS = frozenset({"ud", "cv", "pt", "pd"})


def name_key(name: str) -> str:
    """The name as compared: lower case, letters and digits, single spaces,
    legal-form words dropped."""
    words = re.sub(r"[^a-z0-9]+", " ", (name or "").lower()).split()
    return " ".join(w for w in words if w not in _LEGAL_FORMS)


def name_similarity(a: str, b: str) -> float:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    matcher = SequenceMatcher(None, ka, kb)
    if matcher.real_quick_ratio() < NAME_SIMILARITY or matcher.quick_ratio() < NAME_SIMILARITY:
        return matcher.quick_ratio()  # an upper bound below the threshold: not close
    return matcher.ratio()


def similar_names(a: str, b: str) -> bool:
    return name_similarity(a, b) >= NAME_SIMILARITY
