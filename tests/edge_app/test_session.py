"""Frames applied over a conversation: new, modify, undo, reset, and small talk."""

import pytest

from edge_app.session import Session


def frame(intent, **slots):
    return {"intent": intent, "category": None, "color": None, **slots}


def test_modify_keeps_what_the_sentence_leaves_null_and_undo_goes_back():
    s = Session()
    assert s.apply(frame("new", category="dress", color="navy")) == "new: category=dress, color=navy"
    assert s.apply(frame("modify", color="red")) == "changed: color=red"
    assert s.current == {"category": "dress", "color": "red"}
    s.apply(frame("undo"))
    assert s.current == {"category": "dress", "color": "navy"}
    s.apply(frame("new", category="skirt"))
    assert s.current == {"category": "skirt"}  # new starts afresh


def test_reset_small_talk_and_undo_with_nothing():
    s = Session()
    assert s.apply(frame("undo")) == "nothing to undo"
    assert s.apply(frame("modify")).startswith("nothing about clothes") and s.current is None
    s.apply(frame("modify", color="red"))  # modify with nothing worn starts a garment
    assert s.current == {"color": "red"}
    assert s.apply(frame("reset")) == "reset: nothing worn" and s.current is None and s.history == []


def test_an_unknown_intent_is_refused():
    with pytest.raises(ValueError, match="'wear' is not one of"):
        Session().apply({"intent": "wear"})


def test_drop_takes_one_attribute_off_as_an_undoable_step():
    s = Session()
    assert s.drop("color") == "nothing to remove: color is not set"
    s.apply(frame("new", category="dress", color="navy"))
    assert s.drop("color") == "removed color" and s.current == {"category": "dress"}
    s.apply(frame("undo"))
    assert s.current == {"category": "dress", "color": "navy"}
