"""Fitting a sprite onto a body, on synthetic bodies whose right answer is known, and compositing it."""

import cv2
import numpy as np

from edge_app.composite import composite, shading_from_frame
from edge_app.fit import Fitted, fit_sprite
from edge_app.generator import Sprite
from edge_app.pose import NAMES, Body
from models.schema import SPRITE_SIZE, TEMPLATE_KEYPOINTS

H, W = SPRITE_SIZE
RED = (220, 30, 30)


def sprite(family: str, corners: tuple[str, str, str, str], category: str) -> Sprite:
    """A red sprite covering the quad of four template keypoints (and nothing else)."""
    keypoints = {k: (x * W, y * H) for k, (x, y) in TEMPLATE_KEYPOINTS[family].items()}
    rgba = np.zeros((H, W, 4), np.uint8)
    quad = np.array([keypoints[k] for k in corners], np.int32)
    cv2.fillConvexPoly(rgba, quad, (*RED, 255))
    garment = {"category": category, "fit": "regular"}
    return Sprite(rgba, garment, [], family, keypoints)


def body_from(keypoints: dict, scale: float, shift: tuple[float, float], angle: float = 0.0,
              extra: dict | None = None, size=(400, 400)) -> Body:
    """A body whose keypoints are the template's, scaled, turned by `angle` degrees and shifted."""
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    points = np.zeros((len(NAMES), 2), np.float32)
    vis = np.zeros(len(NAMES), np.float32)
    for name, (x, y) in {**keypoints, **(extra or {})}.items():
        if name in NAMES:
            px, py = x * scale, y * scale
            points[NAMES.index(name)] = (c * px - s * py + shift[0], s * px + c * py + shift[1])
            vis[NAMES.index(name)] = 1.0
    return Body(points, vis, None, size)


def alpha_at(fitted: Fitted, xy) -> float:
    x0, y0, _, _ = fitted.box
    return float(fitted.alpha[int(round(xy[1])) - y0, int(round(xy[0])) - x0])


def mid(body: Body, *names) -> np.ndarray:
    return np.mean([body.point(n) for n in names], axis=0)


TORSO = ("right_shoulder", "left_shoulder", "left_hip", "right_hip")


def test_the_torso_lands_between_the_bodys_shoulders_and_hips():
    shirt = sprite("upper", TORSO, "tshirt")
    body = body_from(shirt.keypoints, 2.0, (100, 20))
    fitted = fit_sprite(shirt, body, (400, 400))
    assert alpha_at(fitted, mid(body, *TORSO)) > 0.95
    centre = mid(body, *TORSO)
    x0, y0, _, _ = fitted.box
    assert np.allclose(fitted.rgb[int(centre[1]) - y0, int(centre[0]) - x0], RED, atol=2)
    above_head = mid(body, "right_shoulder", "left_shoulder") - (0, 30)
    assert alpha_at(fitted, above_head) < 0.05


def test_a_turned_body_turns_the_garment():
    shirt = sprite("upper", TORSO, "tshirt")
    body = body_from(shirt.keypoints, 2.0, (150, 0), angle=25)
    fitted = fit_sprite(shirt, body, (400, 400))
    for t in (0.2, 0.5, 0.8):  # along the turned torso, from the shoulders' middle to the hips' middle
        point = (1 - t) * mid(body, "right_shoulder", "left_shoulder") + t * mid(body, "right_hip", "left_hip")
        assert alpha_at(fitted, point) > 0.9
    upright_hip = np.array(shirt.keypoints["left_hip"]) * 2 + (150, 0)  # where the hip would be, unturned
    assert alpha_at(fitted, upright_hip) < 0.1


def test_a_hand_in_front_of_trousers_is_drawn_over_them():
    trousers = sprite("lower", ("right_hip", "left_hip", "left_ankle", "right_ankle"), "trousers")
    hips = mid(body_from(trousers.keypoints, 2.0, (100, 20)), "right_hip", "left_hip")
    knee = np.array(trousers.keypoints["right_knee"]) * 2 + (100, 20)
    arm = {"right_elbow": tuple((hips - (0, 60)) / 2 - (50, 10)), "right_wrist": tuple((knee - (0, 40)) / 2 - (50, 10))}
    body = body_from(trousers.keypoints, 2.0, (100, 20), extra=arm)
    fitted = fit_sprite(trousers, body, (400, 400))
    wrist = body.point("right_wrist")
    assert alpha_at(fitted, wrist) < 0.05  # the hand, not the trousers
    inner_thigh = mid(body, "left_hip", "left_knee") - (15, 0)
    assert alpha_at(fitted, inner_thigh) > 0.95  # the other leg keeps its trousers


def test_a_body_outside_the_frame_gives_nothing_to_draw():
    shirt = sprite("upper", TORSO, "tshirt")
    assert fit_sprite(shirt, body_from(shirt.keypoints, 1.0, (900, 900)), (400, 400)) is None


def test_composite_keeps_the_frame_where_alpha_is_zero_and_paints_where_it_is_one():
    frame = np.full((50, 60, 3), 90, np.uint8)
    alpha = np.zeros((20, 20), np.float32)
    alpha[5:15, 5:15] = 1.0
    fitted = Fitted(np.full((20, 20, 3), (10, 200, 30), np.float32), alpha, (30, 10, 50, 30))
    out = composite(frame, fitted)
    assert (out[:10] == 90).all() and (out[:, :30] == 90).all()
    assert (out[20, 40] == (10, 200, 30)).all()  # a flat frame brings no shading


def test_shading_follows_the_persons_light_within_its_range():
    patch = np.full((60, 60, 3), 100, np.uint8)
    patch[:, 30:] = 200  # light from the right
    shade = shading_from_frame(patch, np.ones((60, 60), np.float32))
    assert shade[30, 5] < 0.95 < 1.05 < shade[30, 55] and shade.min() >= 0.6 and shade.max() <= 1.3
