"""Writing the `.npy` files kept beside an index's segments: each appears whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np


def save_array(target: Path, array: np.ndarray) -> None:
    """Write one array to `target` through a temporary file renamed over it."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}")  # Whoosh skips dot files
    with open(temporary, "wb") as handle:
        np.save(handle, np.asarray(array), allow_pickle=False)
    os.replace(temporary, target)
