"""`drape tryon` as a user runs it: photos and videos of real people (scikit-image's), and bad input of every kind."""

from __future__ import annotations

import numpy as np
import pytest
import skimage.data
from PIL import Image

from edge_app.media import open_video, read_video
from tests.tools.test_parse_cli import drape_without_torch
from tools.cli import main
from tools.sample_clip import write_clip

TORSO = (slice(330, 450), slice(120, 330))  # the astronaut's chest, in her 512 x 512 photo


def blueness(rgb: np.ndarray) -> float:
    return float(rgb[..., 2].astype(float).mean() - rgb[..., :2].astype(float).mean())


@pytest.fixture(scope="module")
def astronaut(tmp_path_factory):
    path = tmp_path_factory.mktemp("photos") / "astronaut.png"
    Image.fromarray(skimage.data.astronaut()).save(path)
    return path


def test_a_photo_wears_the_garment_without_torch(astronaut, tmp_path):
    out = tmp_path / "out.png"
    done = drape_without_torch("tryon", "--text", "a blue shirt", "--input", str(astronaut), "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    before, after = np.asarray(Image.open(astronaut)), np.asarray(Image.open(out))
    assert after.shape == before.shape
    assert blueness(after[TORSO]) > blueness(before[TORSO]) + 40  # her orange suit is now blue
    assert np.array_equal(after[:60], before[:60])  # the sky above her head is untouched


def test_a_video_changes_garment_when_told(tmp_path):
    clip = write_clip(tmp_path / "clip.mp4", seconds=1.0, fps=10, size=(240, 320))
    out = tmp_path / "out.mp4"
    assert main(["tryon", "--input", str(clip), "--text", "a blue shirt", "--say", "0.5:make it green",
                 "-o", str(out)]) == 0
    capture, info = open_video(out)
    frames = list(read_video(capture))
    assert len(frames) == 10 and frames[0].shape == (240, 320, 3) and info.fps == 10
    greenness = [float(f[..., 1].astype(float).mean() - f[..., [0, 2]].astype(float).mean()) for f in frames]
    assert min(greenness[6:]) > max(greenness[:4]) + 3  # from 0.5 s on, the shirt is green


def test_two_people_one_garment(tmp_path):
    pair = np.concatenate([skimage.data.astronaut()] * 2, axis=1)  # 512 x 1024, two astronauts
    path, out = tmp_path / "pair.png", tmp_path / "out.png"
    Image.fromarray(pair).save(path)
    assert main(["tryon", "--text", "a blue shirt", "--input", str(path), "-o", str(out)]) == 0
    after = np.asarray(Image.open(out))
    changed = [blueness(after[TORSO[0], TORSO[1]]) > blueness(pair[TORSO]) + 40,
               blueness(after[TORSO[0], 512 + TORSO[1].start: 512 + TORSO[1].stop]) > blueness(pair[TORSO]) + 40]
    assert sum(changed) == 1  # the one MediaPipe tracks is dressed; the other is left as she is


@pytest.mark.parametrize("image, reason", [
    (np.zeros((1, 1, 3), np.uint8), "image too small to find a person (1x1)"),
    (np.full((240, 320, 3), 128, np.uint8), "no person in view"),
    (skimage.data.astronaut()[:150], "step into view: right hip, left hip not seen"),  # her head only
])
def test_frames_that_cannot_take_a_garment_pass_through_with_the_reason(image, reason, tmp_path, capsys):
    path, out = tmp_path / "in.png", tmp_path / "out.png"
    Image.fromarray(image).save(path)
    assert main(["tryon", "--text", "a red dress", "--input", str(path), "-o", str(out)]) == 0
    assert np.array_equal(np.asarray(Image.open(out)), image)
    assert f"unchanged: {reason}" in capsys.readouterr().err


def test_grayscale_and_8k_photos_work(tmp_path):
    gray = tmp_path / "gray.png"
    Image.fromarray(skimage.data.astronaut()).convert("L").save(gray)
    assert main(["tryon", "--text", "a blue shirt", "--input", str(gray), "-o", str(tmp_path / "g.png")]) == 0
    assert np.asarray(Image.open(tmp_path / "g.png")).shape == (512, 512, 3)
    big = tmp_path / "8k.jpg"
    Image.fromarray(skimage.data.astronaut()).resize((4320, 4320)).crop((0, 0, 7680 // 2, 4320)).resize(
        (7680, 4320)).save(big, quality=80)
    assert main(["tryon", "--text", "a blue shirt", "--input", str(big), "-o", str(tmp_path / "8k_out.jpg")]) == 0
    assert Image.open(tmp_path / "8k_out.jpg").size == (7680, 4320)


def test_a_truncated_video_keeps_what_it_had(tmp_path, capsys):
    clip = write_clip(tmp_path / "clip.mp4", seconds=1.0, fps=10, size=(240, 320))
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip.read_bytes()[: clip.stat().st_size // 2])
    code = main(["tryon", "--text", "a blue shirt", "--input", str(cut), "-o", str(tmp_path / "out.mp4")])
    err = capsys.readouterr().err
    assert code in (0, 2) and "Traceback" not in err
    assert ("ended after" in err and (tmp_path / "out.mp4").exists()) or "cannot decode a frame" in err


@pytest.mark.parametrize("args, message", [
    (["--input", "/no/such/photo.jpg", "-o", "x.png"], "no file at /no/such/photo.jpg"),
    (["--input", "{garbage_png}", "-o", "x.png"], "cannot read"),
    (["--input", "{garbage_mp4}", "-o", "x.mp4"], "cannot decode a frame"),
    (["--input", "{garbage_mp4}", "-o", "x.png"], "a video makes a video"),
    (["--input", "{garbage_png}", "-o", "x.mp4"], "a photo makes a photo"),
    (["--input", "{garbage_png}", "-o", "x.png", "--say", "soon:make it red"], "is not SECONDS:TEXT"),
])
def test_user_errors_are_one_line(args, message, tmp_path, capsys):
    (tmp_path / "garbage.png").write_bytes(b"not a picture")
    (tmp_path / "garbage.mp4").write_bytes(b"not a video" * 100)
    args = [a.format(garbage_png=tmp_path / "garbage.png", garbage_mp4=tmp_path / "garbage.mp4") for a in args]
    assert main(["tryon", "--text", "a red shirt", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1, err


def test_nothing_to_wear_is_refused(astronaut, capsys):
    assert main(["tryon", "--input", str(astronaut), "-o", "x.png"]) == 2
    assert "nothing to wear" in capsys.readouterr().err


def test_mirror_mode_shows_the_photo_flipped_and_still_dressed(astronaut, tmp_path):
    out = tmp_path / "mirrored.png"
    assert main(["tryon", "--text", "a blue shirt", "--mirror", "--input", str(astronaut), "-o", str(out)]) == 0
    before, after = np.asarray(Image.open(astronaut)), np.asarray(Image.open(out))
    assert np.array_equal(after[:60], before[:60, ::-1])  # the sky, flipped left to right
    flipped_torso = after[TORSO[0], 512 - TORSO[1].stop: 512 - TORSO[1].start]
    assert blueness(flipped_torso) > blueness(before[TORSO]) + 40
