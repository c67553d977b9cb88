import json
from dataclasses import replace

import numpy as np
import pytest
import yaml
from PIL import Image

from edge_app.errors import DrapeError
from models.generator import GeneratorConfig
from models.schema import SPRITE_SIZE, VALUES
from trainer.loop import LoopConfig
from trainer.train_generator import GeneratorTrainConfig, load_generator, train_generator

TINY = GeneratorTrainConfig(pairs=8, eval_pairs=4, classifier_pairs=8, wave_steps=20,
                            loop=LoopConfig(epochs=1, batch_size=4),
                            teacher=GeneratorConfig(channels=(16, 8, 8, 4), cond_dim=32),
                            student=GeneratorConfig(channels=(8, 4, 4, 4), cond_dim=16, depthwise=True))


def test_teacher_then_student_leave_a_complete_run_folder(tmp_path):
    train_generator(TINY, "teacher", tmp_path)
    metrics = train_generator(TINY, "student", tmp_path)
    for name in ("config.yaml", "run.json", "teacher.pt", "student.pt", "samples_teacher.png", "samples_student.png"):
        assert (tmp_path / name).exists(), name
    assert any((tmp_path / "tb").iterdir()) and metrics["stage"] == "student"
    assert 0 <= metrics["iou"] <= 1 and 0 <= metrics["attr_acc"] <= 1 and 0 < metrics["vs_teacher"]["ssim"] <= 1
    assert (tmp_path / "attribute_classifier.pt").exists()
    assert Image.open(tmp_path / "samples_student.png").size == (8 * SPRITE_SIZE[1], 2 * SPRITE_SIZE[0])
    assert load_generator(tmp_path / "student.pt").cfg.depthwise
    assert yaml.safe_load((tmp_path / "config.yaml").read_text())["pairs"] == 8
    info = json.loads((tmp_path / "run.json").read_text())
    assert set(info["stages"]) == {"teacher", "student"}
    teacher = info["stages"]["teacher"]
    assert teacher["data"]["pairs"] == info["stages"]["student"]["data"]["pairs"]
    assert len(teacher["data"]["pairs"]) == 64  # sha256, hex
    assert teacher["packages"]["torch"].startswith("2.") and teacher["processes"] == 1 and "revision" in teacher["git"]
    assert metrics["processes"] == 1 and metrics["samples_per_s"] > 0


def test_student_without_teacher_and_unknown_stage_are_user_errors(tmp_path):
    with pytest.raises(DrapeError, match="drape train generator --stage teacher"):
        train_generator(TINY, "student", tmp_path)
    with pytest.raises(DrapeError, match="teacher, student"):
        train_generator(TINY, "critic", tmp_path)


def test_real_catalogue_garments_join_the_critic_unpaired(tmp_path):
    from dataclasses import replace

    from trainer.paths import REPO

    real = REPO / "tests" / "data" / "real"
    cfg = replace(TINY, real=f"viton-hd:{real / 'viton-hd'}", real_labels=str(real / "labels" / "viton-hd.jsonl"))
    train_generator(cfg, "teacher", tmp_path)
    assert yaml.safe_load((tmp_path / "config.yaml").read_text())["real"].startswith("viton-hd:")


def test_real_without_garments_is_a_user_error(tmp_path):
    from dataclasses import replace

    with pytest.raises(DrapeError):
        train_generator(replace(TINY, real=f"viton-hd:{tmp_path}", real_labels=None), "teacher", tmp_path / "run")


def test_a_checkpoint_from_another_version_of_the_generator_is_refused_by_name(tmp_path):
    import torch

    from models.generator import Generator

    model = Generator(GeneratorConfig(channels=(16, 8, 8, 4), cond_dim=32, geometry=2, coverage=2))
    torch.save({"config": {**model.config_dict(), "waves": 16}, "model": model.state_dict()}, tmp_path / "teacher.pt")
    with pytest.raises(DrapeError, match=r"teacher.pt was trained by another version.*--stage teacher"):
        load_generator(tmp_path / "teacher.pt")
    state = {k: v for k, v in model.state_dict().items() if not k.startswith("coverage.")}
    torch.save({"config": model.config_dict(), "model": state}, tmp_path / "student.pt")
    with pytest.raises(DrapeError, match=r"student.pt was trained by another version.*Missing key"):
        load_generator(tmp_path / "student.pt")


def test_the_generator_pictures_pair_truth_and_drawing_per_pattern(tmp_path):
    from tools.generator_pictures import by_pattern

    train_generator(TINY, "teacher", tmp_path)
    picture = by_pattern(tmp_path, "teacher", per_pattern=2, pairs=40)
    h, w = SPRITE_SIZE
    assert picture.dtype == np.uint8 and picture.shape == (len(VALUES["pattern"]) * 2 * h, 2 * w, 3)
    truth_row = picture[:h]  # the first pattern's renderer garments, on grey
    assert (truth_row == 191).all(axis=2).mean() > 0.3 and not (truth_row == 191).all()


def test_the_predictors_stage_refits_the_pairs_predictors_and_keeps_the_rest(tmp_path):
    import torch

    parts = dict(geometry=2, coverage=2, relief=True, motif=True)
    cfg = replace(TINY, wave_steps=30, fold_steps=10, motif_steps=10, teacher=replace(TINY.teacher, **parts),
                  student=replace(TINY.student, **parts, cond_dim=32))
    train_generator(cfg, "teacher", tmp_path)
    train_generator(cfg, "student", tmp_path)
    before = {stage: torch.load(tmp_path / f"{stage}.pt")["model"] for stage in ("teacher", "student")}
    old = dict(before["teacher"])  # as saved by predictors with other inputs: their first layers are wider
    for key in [k for k in old if ".predict." in k and k.endswith(".0.weight")]:
        old[key] = torch.zeros(old[key].shape[0], old[key].shape[1] + 5)
    torch.save({"config": load_generator(tmp_path / "teacher.pt").config_dict(), "model": old}, tmp_path / "teacher.pt")
    with pytest.raises(DrapeError, match="teacher.pt was trained by another version"):
        load_generator(tmp_path / "teacher.pt")
    metrics = train_generator(cfg, "predictors", tmp_path)
    after = {stage: load_generator(tmp_path / f"{stage}.pt").state_dict() for stage in ("teacher", "student")}
    for stage in ("teacher", "student"):
        changed = {k.split(".")[0] for k in before[stage] if not torch.equal(before[stage][k], after[stage][k])}
        assert changed == {"geometry", "relief", "motif"}, stage
        assert all(torch.equal(before[stage][k], after[stage][k]) for k in before[stage] if ".predict." not in k)
    refitted = [k for k in after["teacher"] if ".predict." in k]
    assert all(torch.equal(after["teacher"][k], after["student"][k]) for k in refitted)
    assert set(metrics["loss"]) == {"geometry", "relief", "motif"} and min(metrics["loss"].values()) >= 0
    assert 0 <= metrics["student"]["attr_acc"] <= 1
    assert json.loads((tmp_path / "metrics_predictors.json").read_text())["steps"]["fold_steps"] == 10
    assert "predictors" in json.loads((tmp_path / "run.json").read_text())["stages"]


def test_the_predictors_stage_fits_a_students_own_parts_and_keeps_those_copied_from_its_teacher(tmp_path):
    import torch

    cfg = replace(TINY, wave_steps=20, fold_steps=10, motif_steps=10,
                  teacher=replace(TINY.teacher, geometry=2, coverage=2),
                  student=replace(TINY.student, geometry=2, coverage=2, relief=True, motif=True, cond_dim=32))
    train_generator(cfg, "teacher", tmp_path)
    train_generator(cfg, "student", tmp_path)
    metrics = train_generator(cfg, "predictors", tmp_path)
    teacher, student = (load_generator(tmp_path / f"{s}.pt").state_dict() for s in ("teacher", "student"))
    waves = [k for k in teacher if k.startswith("geometry.predict.")]
    assert waves and all(torch.equal(teacher[k], student[k]) for k in waves)  # copied, not reset after
    assert set(metrics["student_loss"]) == {"relief", "motif"}


def test_the_silhouette_stage_gives_a_trained_pair_the_cut_and_keeps_its_weights(tmp_path):
    import torch

    train_generator(TINY, "teacher", tmp_path)
    train_generator(TINY, "student", tmp_path)
    before = {stage: load_generator(tmp_path / f"{stage}.pt").state_dict() for stage in ("teacher", "student")}
    metrics = train_generator(TINY, "silhouette", tmp_path)
    for stage in ("teacher", "student"):
        after = load_generator(tmp_path / f"{stage}.pt")
        assert after.cfg.silhouette and after.silhouette.neck.min() < 1  # filled: some neck pixels cut
        state = after.state_dict()
        assert all(torch.equal(before[stage][k], state[k]) for k in before[stage])
        assert 0 <= metrics[stage]["attr_acc"] <= 1
    assert json.loads((tmp_path / "metrics_silhouette.json").read_text())["stage"] == "silhouette"
    assert "silhouette" in json.loads((tmp_path / "run.json").read_text())["stages"]
