from edge_app.garments import complete_garment
from models.schema import CATEGORY_FAMILY, TEMPLATE_KEYPOINTS, garment_templates

T = garment_templates()


def test_nothing_set_gives_a_plain_white_tshirt():
    garment, dropped = complete_garment({"intent": "new"}, T)
    assert garment["category"] == "tshirt" and garment["color"] == "white" and garment["pattern"] == "solid"
    assert garment["sleeve"] == "short" and garment["length"] is None and dropped == []


def test_sleeves_on_shorts_are_dropped_and_said():
    garment, dropped = complete_garment({"category": "shorts", "sleeve": "long", "color": "red"}, T)
    assert garment["sleeve"] is None and garment["color"] == "red" and garment["length"] == "short"
    assert dropped == ["sleeve=long dropped: a shorts is a lower garment, with no sleeve"]


def test_two_colour_patterns_get_a_second_colour():
    garment, _ = complete_garment({"category": "dress", "pattern": "polka_dot", "color": "navy"}, T)
    assert garment["secondary_color"] == "white"
    garment, _ = complete_garment({"color": "red", "secondary_color": "white"}, T)
    assert garment["secondary_color"] is None  # solid by default: one colour


def test_every_category_has_a_family_with_keypoints():
    for category, family in CATEGORY_FAMILY.items():
        assert family in TEMPLATE_KEYPOINTS
        garment, _ = complete_garment({"category": category}, T)
        assert garment["category"] == category
    assert all(0 <= v <= 1 for kps in TEMPLATE_KEYPOINTS.values() for xy in kps.values() for v in xy)
