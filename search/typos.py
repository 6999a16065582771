"""How likely one spelling is a typo of another: an edit distance that knows how people slip.

Optimal string alignment (Damerau: a swap of two neighbours is one edit), where the
slips typists make most cost half an edit: two neighbours swapped ('whaet'), a key next
to the intended one on a QWERTY keyboard, one vowel for another or letters that sound
alike ('currancy'), and a doubled letter typed once or a single one twice ('cofee',
'bananna').
"""

from __future__ import annotations

from functools import lru_cache

KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
ROW_SHIFT = (0.0, 0.5, 1.0)  # each row sits about half a key right of the one above
SOUND_ALIKE = ("aeiouy", "ckqs", "szx", "mn", "bp", "dt", "fv", "gj")
SLIP = 0.5  # the cost of a likely slip; every other edit costs 1


def _key_positions() -> dict[str, tuple[int, float]]:
    return {
        key: (row, column + ROW_SHIFT[row])
        for row, keys in enumerate(KEY_ROWS)
        for column, key in enumerate(keys)
    }


KEYS = _key_positions()


@lru_cache(maxsize=4096)
def substitution_cost(typed: str, meant: str) -> float:
    """Half an edit for a neighbouring key or a sound-alike letter, else one."""
    if typed == meant:
        return 0.0
    if any(typed in group and meant in group for group in SOUND_ALIKE):
        return SLIP
    if typed in KEYS and meant in KEYS:
        (row, column), (other_row, other_column) = KEYS[typed], KEYS[meant]
        if abs(row - other_row) <= 1 and abs(column - other_column) <= 1.0:
            return SLIP
    return 1.0


def gap_cost(word: str, position: int) -> float:
    """Inserting or dropping word[position]: half an edit when it doubles a neighbour."""
    letter = word[position]
    beside = word[position - 1 : position] + word[position + 1 : position + 2]
    return SLIP if letter in beside else 1.0


def typo_cost(typed: str, meant: str) -> float:
    """The cheapest way to slip from `meant` to `typed`, in edits (see the module)."""
    rows, columns = len(typed) + 1, len(meant) + 1
    cost = [[0.0] * columns for _ in range(rows)]
    for i in range(1, rows):
        cost[i][0] = cost[i - 1][0] + gap_cost(typed, i - 1)
    for j in range(1, columns):
        cost[0][j] = cost[0][j - 1] + gap_cost(meant, j - 1)
    for i in range(1, rows):
        for j in range(1, columns):
            best = min(
                cost[i - 1][j] + gap_cost(typed, i - 1),  # an extra letter typed
                cost[i][j - 1] + gap_cost(meant, j - 1),  # a letter left out
                cost[i - 1][j - 1] + substitution_cost(typed[i - 1], meant[j - 1]),
            )
            if i > 1 and j > 1 and typed[i - 1] == meant[j - 2] and typed[i - 2] == meant[j - 1]:
                best = min(best, cost[i - 2][j - 2] + SLIP)  # two neighbours swapped
            cost[i][j] = best
    return cost[-1][-1]
