"""The garment renderer: shapes on the template keypoints, attributes visible in the silhouette, colour kept."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from PIL import Image

from edge_app.garments import complete_garment
from models.schema import CATEGORY_FAMILY, PALETTE, TEMPLATE_KEYPOINTS, VALUES, garment_templates
from trainer.data.garment_sheet import contact_sheet, garment_label
from trainer.data.garments import Render, render_garment, silhouette_only, write_garments

SIZE = (256, 192)


def garment(**frame) -> dict:
    return complete_garment(frame, garment_templates())[0]


def kp(category: str, name: str, size=SIZE) -> tuple[int, int]:
    """A template keypoint of the category's family, in pixels (row, column)."""
    x, y = TEMPLATE_KEYPOINTS[CATEGORY_FAMILY[category]][name]
    return int(y * size[0]), int(x * size[1])


# ---- a tiny sRGB -> CIE Lab and CIEDE2000 (Sharma et al. 2005), enough to check colours -------------------------

def srgb_to_lab(rgb) -> np.ndarray:
    c = np.asarray(rgb, float) / 255
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2) -> float:
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar ** 7 / (cbar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = math.degrees(math.atan2(b1, a1p)) % 360, math.degrees(math.atan2(b2, a2p)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_hp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbar = (h1p + h2p) / 2
    else:
        hbar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hbar - 30)) + 0.24 * math.cos(math.radians(2 * hbar))
         + 0.32 * math.cos(math.radians(3 * hbar + 6)) - 0.20 * math.cos(math.radians(4 * hbar - 63)))
    rc = 2 * math.sqrt(cbarp ** 7 / (cbarp ** 7 + 25 ** 7))
    rt = -math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2)))) * rc
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbarp, 1 + 0.015 * cbarp * t
    dl, dc, dhh = (l2 - l1) / sl, (c2p - c1p) / sc, d_hp / sh
    return math.sqrt(dl * dl + dc * dc + dhh * dhh + rt * dc * dhh)


def test_ciede2000_matches_published_pairs():
    # two pairs from Sharma, Wu & Dalal's CIEDE2000 test data
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, -1.3802, -84.2814), (50, 0, -82.7485)) == pytest.approx(1.0000, abs=1e-4)


# ---- the contract ---------------------------------------------------------------------------------------------

def test_render_shapes_dtypes_and_json_params():
    r = render_garment(garment(category="tshirt", color="red", pattern="striped"), seed=1)
    assert isinstance(r, Render)
    assert r.rgba.shape == (*SIZE, 4) and r.rgba.dtype == np.uint8
    assert r.silhouette.shape == SIZE and r.silhouette.dtype == bool
    assert 0.2 < r.silhouette.mean() < 0.8
    json.loads(json.dumps(r.params))
    assert {"direction", "angle", "stripe_width"} <= set(r.params["pattern"])
    assert (r.rgba[..., :3][r.rgba[..., 3] == 0] == 0).all()  # straight alpha, nothing hidden under alpha 0
    small = render_garment(garment(category="dress"), seed=1, size=(128, 96))
    assert small.rgba.shape == (128, 96, 4)


def test_deterministic_for_garment_and_seed():
    g = garment(category="dress", color="navy", secondary_color="white", pattern="floral", material="denim")
    a, b, c = render_garment(g, 5), render_garment(g, 5), render_garment(g, 6)
    assert np.array_equal(a.rgba, b.rgba) and a.params == b.params
    assert not np.array_equal(a.rgba, c.rgba)


def test_a_styled_render_follows_the_style_not_the_seed():
    """What a generator is given (garment and style) decides the sprite: the flowers, the folds and the swatch."""
    g = garment(category="tshirt", color="navy", secondary_color="white", pattern="floral", material="leather")
    style, other = [0.3, 0.6, 0.1, 0.9, 0.5, 0.2, 0.7, 0.4], [0.3, 0.6, 0.1, 0.9, 0.5, 0.2, 0.7, 0.9]
    a, b = render_garment(g, 5, (128, 96), style), render_garment(g, 6, (128, 96), style)
    assert np.array_equal(a.rgba, b.rgba) and a.params == b.params
    moved = render_garment(g, 5, (128, 96), other)  # the last value places the folds
    assert moved.params["shading"] != a.params["shading"] and moved.params["pattern"] == a.params["pattern"]


def test_silhouette_does_not_depend_on_seed_pattern_or_material():
    g = garment(category="hoodie", sleeve="medium", fit="loose")
    expected = silhouette_only(g, SIZE)
    for seed, pattern, material in ((0, "solid", "cotton"), (9, "graphic", "chiffon"), (3, "plaid", "wool")):
        r = render_garment({**g, "pattern": pattern, "material": material, "secondary_color": "red"}, seed)
        assert np.array_equal(r.silhouette, expected)


def test_bad_garments_are_refused():
    with pytest.raises(ValueError, match="complete_garment"):
        render_garment({"category": "tshirt"}, 0)
    with pytest.raises(ValueError, match="material"):
        render_garment({**garment(), "material": "velvet"}, 0)
    with pytest.raises(ValueError, match="4:3"):
        render_garment(garment(), 0, size=(100, 100))


# ---- attributes show in the silhouette ------------------------------------------------------------------------

def test_long_sleeves_reach_the_wrists_sleeveless_do_not():
    for category in ("tshirt", "dress"):
        long_ = silhouette_only(garment(category=category, sleeve="long"))
        bare = silhouette_only(garment(category=category, sleeve="sleeveless"))
        for side in ("right_wrist", "left_wrist"):
            y, x = kp(category, side)
            window = np.s_[y - 12:y + 4, x - 8:x + 9]
            assert long_[window].sum() > 60 and bare[window].sum() == 0, (category, side)


def test_sleeve_lengths_are_ordered_along_the_arm():
    y_elbow, _ = kp("shirt", "right_elbow")
    covered = {}
    for sleeve in ("short", "medium", "long"):
        sil = silhouette_only(garment(category="shirt", sleeve=sleeve))
        covered[sleeve] = int(sil[:, :kp("shirt", "right_shoulder")[1] - 10].any(axis=1).nonzero()[0].max())
    assert covered["short"] < y_elbow < covered["medium"] < covered["long"]


@pytest.mark.parametrize("category", ["skirt", "dress", "coat", "trousers"])
def test_long_garments_reach_below_the_knee_short_ones_do_not(category):
    y_knee = kp(category, "right_knee")[0]
    rows = {length: silhouette_only(garment(category=category, length=length))[y_knee + 8:].sum()
            for length in VALUES["length"]}
    assert rows["short"] == 0
    assert rows["knee"] < rows["midi"] < rows["long"]


def test_cropped_trousers_stop_above_the_ankle():
    y_ankle = kp("trousers", "right_ankle")[0]
    assert silhouette_only(garment(category="trousers", length="midi"))[y_ankle - 4:].sum() == 0
    assert silhouette_only(garment(category="trousers", length="long"))[y_ankle - 4:].sum() > 0


@pytest.mark.parametrize("category", ["tshirt", "dress", "skirt", "trousers", "coat"])
def test_fit_changes_width_at_the_hips(category):
    y_hip = kp(category, "right_hip")[0] + (20 if CATEGORY_FAMILY[category] == "lower" else 0)
    width = {fit: silhouette_only(garment(category=category, fit=fit))[y_hip].sum() for fit in VALUES["fit"]}
    assert width["slim"] < width["regular"] < width["loose"]


def test_necklines_change_the_top_edge():
    y_neck, x_neck = kp("tshirt", "neck")
    sil = {n: silhouette_only(garment(category="tshirt", neckline=n)) for n in VALUES["neckline"]}
    depth = {n: int(np.argmax(s[:, x_neck])) for n, s in sil.items()}  # first garment row on the centre line
    assert depth["turtleneck"] < y_neck < depth["round"] < depth["square"] < depth["v_neck"]
    assert depth["collared"] < depth["round"]  # the collar stands behind the neck
    for side in ("right_shoulder", "left_shoulder"):
        y, x = kp("tshirt", side)
        assert sil["off_shoulder"][y - 3:y + 4, x - 3:x + 4].sum() == 0 and sil["round"][y + 3, x]
    v = sil["v_neck"][y_neck + 10]
    assert not v[x_neck] and v[x_neck - 30] and v[x_neck + 30]  # a V: open in the middle, cloth at the sides


def test_trousers_have_two_legs_skirts_do_not():
    y_knee, _ = kp("trousers", "right_knee")
    cx = SIZE[1] // 2
    trousers, skirt = silhouette_only(garment(category="trousers")), silhouette_only(garment(category="skirt"))
    assert not trousers[y_knee, cx - 3:cx + 4].any() and skirt[y_knee, cx - 3:cx + 4].all()
    row = trousers[y_knee].astype(int)
    assert np.count_nonzero(np.diff(row) == 1) == 2  # two separate runs of cloth: the legs
    hem = {c: int(silhouette_only(garment(category=c)).any(axis=1).nonzero()[0].max()) for c in ("shorts", "trousers")}
    assert hem["shorts"] < y_knee < hem["trousers"]


def test_skirt_flares():
    sil = silhouette_only(garment(category="skirt", length="knee"))
    rows = sil.any(axis=1).nonzero()[0]
    assert sil[rows[-1] - 4].sum() > 1.3 * sil[rows[0] + 10].sum()


@pytest.mark.parametrize("category", VALUES["category"])
def test_every_category_renders_on_its_keypoints(category):
    g = garment(category=category, pattern="color_block", secondary_color="yellow")
    r = render_garment(g, 3)
    family = CATEGORY_FAMILY[category]
    inside = {"upper": ["right_hip", "left_hip"], "full": ["right_hip", "left_hip"], "lower": ["right_hip", "left_hip"]}
    inside = inside[family]
    if g["sleeve"] not in (None, "sleeveless"):
        inside += ["right_shoulder", "left_shoulder"]
    if g["sleeve"] == "long":
        inside += ["right_elbow", "left_elbow", "right_wrist", "left_wrist"]
    if category == "trousers":
        inside += ["right_knee", "left_knee", "right_ankle"]
    for name in inside:
        y, x = kp(category, name)
        assert r.silhouette[y, x], (category, name)
    opaque = r.rgba[..., 3] > 0
    assert opaque[r.silhouette].all() and r.rgba[..., :3][r.silhouette].std() > 5


# ---- colour, materials, patterns ------------------------------------------------------------------------------

MATERIALS_CHECKED = VALUES["material"]  # leather's glints and chiffon's sheerness still keep the mean colour


@pytest.mark.parametrize("material", MATERIALS_CHECKED)
def test_solid_mean_colour_is_the_palette_colour(material):
    for i, colour in enumerate(("black", "white", "navy", "red", "yellow", "mint", "beige", "teal")):
        category = ("tshirt", "dress", "trousers", "jacket")[i % 4]
        r = render_garment(garment(category=category, color=colour, pattern="solid", material=material), seed=i)
        mean = r.rgba[..., :3][r.silhouette].mean(axis=0)
        de = ciede2000(srgb_to_lab(PALETTE[colour]), srgb_to_lab(mean))
        assert de < 3.0, (material, colour, category, de)


def test_chiffon_is_sheer_cotton_is_opaque():
    chiffon = render_garment(garment(category="blouse", material="chiffon"), 2)
    cotton = render_garment(garment(category="blouse", material="cotton"), 2)
    core = _eroded(chiffon.silhouette)
    alpha = chiffon.rgba[..., 3][core]
    assert alpha.max() < 230 and alpha.min() >= 0.55 * 255 - 1 and alpha.mean() < 0.8 * 255
    assert (cotton.rgba[..., 3][_eroded(cotton.silhouette)] == 255).all()


def _eroded(mask: np.ndarray, px: int = 3) -> np.ndarray:
    out = mask.copy()
    for _ in range(px):
        out[1:-1, 1:-1] &= out[:-2, 1:-1] & out[2:, 1:-1] & out[1:-1, :-2] & out[1:-1, 2:]
    return out


def test_materials_leave_visible_texture():
    def roughness(material: str) -> float:
        r = render_garment(garment(category="trousers", color="gray", material=material), 4)
        rgb = r.rgba[..., :3].astype(float).mean(axis=2)
        core = _eroded(r.silhouette, 4)
        hp = np.abs(rgb[1:-1, 1:-1] - (rgb[:-2, 1:-1] + rgb[2:, 1:-1] + rgb[1:-1, :-2] + rgb[1:-1, 2:]) / 4)
        return float(hp[core[1:-1, 1:-1]].mean())

    smooth = roughness("silk")
    for material in ("denim", "knit", "wool", "linen"):
        assert roughness(material) > 1.5 * smooth, material


@pytest.mark.parametrize("pattern", [p for p in VALUES["pattern"] if p != "solid"])
def test_patterns_show_both_colours(pattern):
    g = garment(category="tshirt", color="navy", secondary_color="yellow", pattern=pattern, material="cotton")
    r = render_garment(g, 8)
    rgb = r.rgba[..., :3][r.silhouette].astype(float)
    near_second = np.linalg.norm(rgb - PALETTE["yellow"], axis=1) < np.linalg.norm(rgb - PALETTE["navy"], axis=1)
    assert 0.01 < near_second.mean() < 0.9, (pattern, near_second.mean())
    if pattern == "graphic":  # the print sits on the chest
        ys, xs = np.nonzero(r.silhouette)
        yellow = near_second.nonzero()[0]
        assert abs(np.median(xs[yellow]) - SIZE[1] / 2) < 20 and np.median(ys[yellow]) < SIZE[0] * 0.55


# ---- files ----------------------------------------------------------------------------------------------------

def test_write_garments_writes_pairs_that_reload(tmp_path):
    calls = []
    assert write_garments(tmp_path, 4, seed=3, size=(128, 96), progress=lambda d, t: calls.append((d, t))) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{i:05d}.{e}" for i in range(4) for e in ("json", "png")]
    assert calls[-1] == (4, 4)
    for i in range(4):
        meta = json.loads((tmp_path / f"{i:05d}.json").read_text())
        png = np.asarray(Image.open(tmp_path / f"{i:05d}.png"))
        assert png.shape == (128, 96, 4)
        assert set(meta["garment"]) == set(garment_templates()["garment_slots"])
        assert np.array_equal(render_garment(meta["garment"], meta["seed"], (128, 96)).rgba, png)
    again = tmp_path / "again"
    write_garments(again, 2, seed=3, size=(128, 96))
    assert (again / "00001.png").read_bytes() == (tmp_path / "00001.png").read_bytes()


def test_contact_sheet_grid():
    gs = [garment(category=c) for c in ("tshirt", "skirt", "coat")]
    rs = [render_garment(g, 0, (128, 96)) for g in gs]
    sheet = contact_sheet(rs, 2, [garment_label(g) for g in gs])
    assert sheet.dtype == np.uint8 and sheet.ndim == 3 and sheet.shape[2] == 3
    assert sheet.shape[1] == 2 * 96 and sheet.shape[0] > 2 * 128
