"""A style vector as the renderer's source of randomness, so the generator can learn what a seed picks.

The renderer draws its choices (stripe angle and width, dot spacing, flower spacing, details, folds) from a
`random.Random`. `StyleRandom` answers those draws from a style vector in [0, 1)^S, in order: the first draws,
which decide the pattern, become smooth functions of the style the generator is given, and the device picks a
garment's variation by sampling a style (edge_app.generator.style_vector). The folds read the same vector
reversed (their two draws take its last two values; garments.render_garment). Draws past the vector's end come
from a stream seeded by `seed`: details the generator learns only on average.
"""

from __future__ import annotations

import random
from collections.abc import Sequence


class StyleRandom(random.Random):
    """random.Random whose random() returns the style values first, then a seeded stream."""

    def __init__(self, style: Sequence[float], seed: int = 0):
        self._style = [min(max(float(v), 0.0), 1.0 - 1e-9) for v in style]
        self._next = 0
        super().__init__(seed)  # the stream after the style runs out

    def random(self) -> float:
        if self._next < len(self._style):
            self._next += 1
            return self._style[self._next - 1]
        return super().random()

    def _randbelow(self, n: int) -> int:
        """choice, randrange and shuffle's index: floor(random() * n), so a choice moves with its style value.

        random.Random's own, for a subclass that defines random(), takes the low bits of random() * 2**53: a choice
        was a hash of the style (no generator can learn it), and a choice of two from a float32 style always the
        first."""
        return min(int(self.random() * n), n - 1)
