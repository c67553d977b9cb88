import json

import pytest

from models.schema import PALETTE, SLOTS, VALUES, Frame, FrameError, taxonomy


def test_taxonomy_has_the_eleven_keys_and_palette():
    assert SLOTS == ("intent", "category", "color", "secondary_color", "pattern", "material", "sleeve", "neckline",
                     "length", "fit", "size")
    assert len(PALETTE) == 24 and PALETTE["navy"] == (25, 35, 90)
    assert VALUES["color"] == VALUES["secondary_color"] == tuple(PALETTE)
    assert len(VALUES["category"]) == 13


def test_frame_round_trips_through_json():
    frame = Frame(intent="new", category="dress", color="navy", pattern="polka_dot", length="knee")
    again = Frame.from_json(frame.to_json())
    assert again == frame
    assert json.loads(frame.to_json())["sleeve"] is None
    assert frame.said() == {"intent": "new", "category": "dress", "color": "navy", "pattern": "polka_dot",
                            "length": "knee"}


@pytest.mark.parametrize("data, word", [({"color": "navyblue"}, "color"), ({"intent": None}, "intent"),
                                        ({"colour": "red"}, "unknown")])
def test_bad_frames_say_what_is_wrong(data, word):
    with pytest.raises(FrameError, match=word):
        Frame.from_dict(data)


def test_bad_json_is_one_line():
    with pytest.raises(FrameError, match="not valid JSON"):
        Frame.from_json("{nope")


def test_taxonomy_is_plain_json():
    data = json.loads(json.dumps(taxonomy()))
    assert data["schema_version"] == 1 and data["values"]["size"] == ["xs", "s", "m", "l", "xl", "xxl"]
    assert data["color_names"]["navy"]["zh"] == ["藏青", "藏蓝", "海军蓝"]
