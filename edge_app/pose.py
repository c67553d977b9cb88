"""The body a garment is fitted to: MediaPipe pose keypoints and person mask, smoothed over time.

MediaPipe's legacy pose solution (0.10.21, `model_complexity=1`, segmentation on) ships its models inside the
wheel, so nothing is downloaded. It tracks one person: with several in view it follows the most prominent one,
which is the person in front of the mirror. Keypoints are smoothed here by a One Euro filter rather than by
MediaPipe (`smooth_landmarks=False`) so the smoothing is explicit, tested, and reset when the person is lost.

Names follow the person's own sides, as MediaPipe's and the sprite templates' do: in a camera image facing the
shopper, `right_shoulder` is on the image's left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

LANDMARKS: dict[str, int] = {
    "nose": 0, "left_shoulder": 11, "right_shoulder": 12, "left_elbow": 13, "right_elbow": 14, "left_wrist": 15,
    "right_wrist": 16, "left_hip": 23, "right_hip": 24, "left_knee": 25, "right_knee": 26, "left_ankle": 27,
    "right_ankle": 28,
}
NAMES = tuple(LANDMARKS)

# What each garment family cannot be placed without, as groups of which one keypoint is enough; the rest of its
# keypoints are extrapolated when unseen (one knee places trousers: the other follows the hips).
NEEDED: dict[str, tuple[tuple[str, ...], ...]] = {
    "upper": (("right_shoulder",), ("left_shoulder",), ("right_hip",), ("left_hip",)),
    "lower": (("right_hip",), ("left_hip",), ("right_knee", "left_knee")),
    "full": (("right_shoulder",), ("left_shoulder",), ("right_hip",), ("left_hip",)),
}

VISIBLE = 0.5  # MediaPipe visibility above which a keypoint counts as seen
EDGE_VISIBLE = 0.1  # ... or this much, for a keypoint just past the frame edge (a waist-up shot's hips)
EDGE_MARGIN = 0.12  # the band either side of the frame's edge, as a share of its size, where that holds
POSE_MAX_SIDE = 1280  # larger images (an 8K photo) are searched at this size; MediaPipe works at 256 anyway


@dataclass
class Body:
    """One person in one image: keypoints in pixels (N, 2) in NAMES order, their visibility, and the person mask."""

    points: np.ndarray  # (N, 2) float32 x, y in pixels
    visibility: np.ndarray  # (N,) float32 in [0, 1]
    mask: np.ndarray | None  # (H, W) float32 in [0, 1], the person's segmentation
    size: tuple[int, int]  # (height, width) of the image

    def point(self, name: str) -> np.ndarray:
        return self.points[NAMES.index(name)]

    def usable(self, name: str) -> bool:
        """Seen; or, near the frame's edge (a waist-up shot's hips), estimated with some confidence."""
        i = NAMES.index(name)
        if self.visibility[i] >= VISIBLE:
            return True
        (x, y), (h, w) = self.points[i], self.size
        mx, my = EDGE_MARGIN * w, EDGE_MARGIN * h
        near_edge = (-mx <= x <= w + mx and -my <= y <= h + my) and not (mx < x < w - mx and my < y < h - my)
        return bool(near_edge and self.visibility[i] >= EDGE_VISIBLE)

    def missing_for(self, family: str) -> list[str]:
        """The keypoints `family` needs that this body does not show ("right knee or left knee" for a group)."""
        return [" or ".join(group) for group in NEEDED[family] if not any(self.usable(n) for n in group)]


class OneEuroFilter:
    """The One Euro filter (Casiez, Roussel and Vogel, CHI 2012) over an array of values.

    A low-pass filter whose cut-off rises with speed: still keypoints are held steady (no jitter), moving ones
    follow with little lag. `min_cutoff` (Hz) sets the smoothing at rest, `beta` how fast it opens with speed.
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.05, d_cutoff: float = 1.0):
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
        self.reset()

    def reset(self) -> None:
        self.value: np.ndarray | None = None
        self.speed: np.ndarray | None = None
        self.time: float | None = None

    @staticmethod
    def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray | float:
        tau = 1.0 / (2 * math.pi * cutoff)
        return 1.0 / (1.0 + tau / dt)

    def __call__(self, value: np.ndarray, time: float) -> np.ndarray:
        value = np.asarray(value, np.float64)
        if self.value is None or self.time is None or time <= self.time:
            self.value, self.speed, self.time = value, np.zeros_like(value), time
            return value.copy()
        dt = time - self.time
        speed = (value - self.value) / dt
        a_d = self._alpha(self.d_cutoff, dt)
        self.speed = a_d * speed + (1 - a_d) * self.speed
        a = self._alpha(self.min_cutoff + self.beta * np.abs(self.speed), dt)
        self.value = a * value + (1 - a) * self.value
        self.time = time
        return self.value.copy()


class PoseTracker:
    """MediaPipe pose on RGB frames -> `Body` (or None when nobody is seen), keypoints One-Euro smoothed.

    `video=True` tracks from frame to frame (faster, steadier); `video=False` detects afresh on every image.
    """

    def __init__(self, video: bool = True, min_cutoff: float = 1.0, beta: float = 0.05):
        import mediapipe as mp  # here, not at import: parsing text needs no pose model

        self._pose = mp.solutions.pose.Pose(static_image_mode=not video, model_complexity=1,
                                            smooth_landmarks=False, enable_segmentation=True,
                                            smooth_segmentation=video, min_detection_confidence=0.5,
                                            min_tracking_confidence=0.5)
        self._filter = OneEuroFilter(min_cutoff, beta)
        self._smooth = video

    def track(self, rgb: np.ndarray, time: float = 0.0) -> Body | None:
        """rgb (H, W, 3) uint8 -> the body in it, or None; `time` in seconds drives the smoothing."""
        h, w = rgb.shape[:2]
        shrink = min(1.0, POSE_MAX_SIDE / max(h, w))
        if shrink < 1.0:
            rgb = cv2.resize(rgb, (round(w * shrink), round(h * shrink)), interpolation=cv2.INTER_AREA)
        result = self._pose.process(np.ascontiguousarray(rgb))
        if result.pose_landmarks is None:
            self._filter.reset()  # a person who comes back starts fresh, not from where the last one left
            return None
        marks = result.pose_landmarks.landmark
        raw = np.array([[marks[i].x * w, marks[i].y * h] for i in LANDMARKS.values()], np.float64)
        points = self._filter(raw, time) if self._smooth else raw
        visibility = np.array([marks[i].visibility for i in LANDMARKS.values()], np.float32)
        mask = result.segmentation_mask
        if mask is not None and shrink < 1.0:
            mask = cv2.resize(mask, (w, h), interpolation=cv2.INTER_LINEAR)
        return Body(points.astype(np.float32), visibility, None if mask is None else mask.astype(np.float32), (h, w))

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> PoseTracker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
