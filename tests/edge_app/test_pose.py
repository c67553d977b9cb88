"""Keypoint smoothing, which keypoints count, and MediaPipe on real photos (scikit-image's astronaut)."""

import numpy as np
import pytest
import skimage.data

from edge_app.pose import NAMES, Body, OneEuroFilter, PoseTracker


def test_one_euro_holds_still_points_steady_and_follows_a_move():
    rng = np.random.default_rng(0)
    f = OneEuroFilter(min_cutoff=1.0, beta=0.05)
    noisy = 100 + rng.normal(0, 2.0, (60, 2))
    smooth = np.array([f(x, t / 30) for t, x in enumerate(noisy)])
    assert smooth[10:].std(0).max() < 0.5 * noisy[10:].std(0).min()  # jitter at rest at least halved
    for t in range(60, 90):
        out = f(np.array([200.0, 200.0]), t / 30)  # a jump of 100 px, held for a second
    assert np.all(np.abs(out - 200) < 5)


def test_one_euro_restarts_after_reset_and_on_time_going_back():
    f = OneEuroFilter()
    f(np.array([0.0]), 0.0)
    f.reset()
    assert f(np.array([50.0]), 0.1)[0] == 50.0
    assert f(np.array([10.0]), 0.05)[0] == 10.0  # an earlier time starts over rather than dividing by dt <= 0


def _body(visibility: float = 1.0, y_hips: float = 300.0) -> Body:
    points = np.zeros((len(NAMES), 2), np.float32)
    points[:, 0], points[:, 1] = 200, 100
    for side, x in (("right", 150), ("left", 250)):
        points[NAMES.index(f"{side}_hip")] = (x, y_hips)
        points[NAMES.index(f"{side}_knee")] = (x, 700)  # below a 400-px-high image
    vis = np.full(len(NAMES), visibility, np.float32)
    vis[[NAMES.index("right_knee"), NAMES.index("left_knee")]] = 0.05
    return Body(points, vis, None, (400, 400))


def test_missing_keypoints_name_what_a_family_needs():
    body = _body()
    assert body.missing_for("upper") == [] and body.missing_for("full") == []
    assert body.missing_for("lower") == ["right_knee or left_knee"]
    body.visibility[NAMES.index("right_knee")] = 0.9
    body.points[NAMES.index("right_knee")] = (150, 380)
    assert body.missing_for("lower") == []  # one knee is enough: the other follows the hips


def test_a_keypoint_just_past_the_edge_counts_when_somewhat_visible():
    edge = _body(visibility=0.3, y_hips=420)  # hips 5 % below the frame, as in a waist-up shot
    assert edge.usable("left_hip") and not edge.usable("left_shoulder")  # inside the frame 0.3 is too little
    assert not _body(visibility=0.3, y_hips=600).usable("left_hip")  # half a frame out: not placed


@pytest.fixture(scope="module")
def tracker():
    with PoseTracker(video=False) as t:
        yield t


def test_mediapipe_finds_the_astronauts_shoulders_on_her_sides(tracker):
    image = skimage.data.astronaut()
    body = tracker.track(image)
    assert body is not None and body.mask.shape == image.shape[:2]
    right, left = body.point("right_shoulder"), body.point("left_shoulder")
    assert right[0] < left[0]  # her right shoulder is on the image's left
    assert 180 < right[1] < 300 and 180 < left[1] < 300 and body.usable("nose")
    assert body.missing_for("upper") == []
    assert body.mask[int(right[1]) + 30, int(right[0]) + 30] > 0.5 and body.mask[10, 10] < 0.5


def test_nobody_in_a_plain_image(tracker):
    assert tracker.track(np.full((240, 320, 3), 128, np.uint8)) is None


def test_a_large_photo_is_searched_small_and_answered_in_its_own_pixels(tracker):
    image = skimage.data.astronaut()
    big = np.repeat(np.repeat(image, 4, axis=0), 4, axis=1)  # 2048 x 2048
    small, large = tracker.track(image), tracker.track(big)
    assert large.mask.shape == big.shape[:2]
    shift = np.abs(large.point("left_shoulder") / 4 - small.point("left_shoulder")).max()
    assert shift < 20  # under 4 % of the photo; answered in the small image's pixels it would be about 900
