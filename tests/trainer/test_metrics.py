import pytest

from trainer.metrics import frame_accuracy, slot_f1

G = [{"intent": "new", "color": "red", "size": None}, {"intent": "modify", "color": None, "size": "m"}]


def test_perfect_predictions():
    assert frame_accuracy(G, G) == 1.0 and slot_f1(G, G) == 1.0


def test_one_wrong_slot():
    p = [dict(G[0], color="blue"), G[1]]
    assert frame_accuracy(p, G) == 0.5
    # tp: intent, intent, size = 3; fp: blue = 1; fn: red = 1
    assert slot_f1(p, G) == pytest.approx(6 / 8)


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError):
        frame_accuracy(G[:1], G)
