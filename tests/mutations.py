"""What the export fuzz and the config fuzz share: every place a value sits in a document,
a value taken from another place (most likely the wrong type where it lands), and the damage
that changes a value's shape (a key gone, a key unknown, a list or an object where a value
belongs)."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterator

Place = tuple[object, object, tuple]  # (container, key or index, path from the root)


def places(data, path: tuple = ()) -> Iterator[Place]:
    """Every (container, key, path) in the tree, the root's keys included."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for k, value in list(items):
        yield data, k, path + (k,)
        if isinstance(value, dict | list):
            yield from places(value, path + (k,))


def value_elsewhere(rng: random.Random, doc: dict, duplicate: Callable = copy.deepcopy):
    """A copy of the value at a random place of `doc`."""
    _, _, path = rng.choice(list(places(doc)))
    value = doc
    for k in path:
        value = value[k]
    return duplicate(value)


def reshape(
    rng: random.Random, action: int, container, k, unknown_keys: list[str], any_value
) -> bool:
    """Damage 0–3 at `container[k]`: the key deleted, an unknown key added (its value from
    `any_value()`), the value wrapped in a list, or in an object. False when `action` is none
    of these or does not apply (a key of a list cannot be deleted or added)."""
    if action in (0, 1) and not isinstance(container, dict):
        return False
    if action == 0:
        del container[k]
    elif action == 1:
        container[rng.choice(unknown_keys)] = any_value()
    elif action == 2:
        container[k] = [container[k]]
    elif action == 3:
        container[k] = {"value": container[k]}
    else:
        return False
    return True
