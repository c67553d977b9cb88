"""`drape train generator --stage teacher|student`: rendered pairs -> teacher -> distilled student.

run folder: config.yaml and run.json (trainer/run_info.py), teacher.pt, student.pt, metrics_<stage>.json,
samples_<stage>.png, attribute_classifier.pt, checkpoints/, tb/ (TensorBoard scalars and image grids). The student
stage reads teacher.pt from the same folder. `resume` continues a stage. The predictors stage refits the
predictors of the renderer's choices of a trained pair (`refit_predictors`); the silhouette stage gives a pair
trained without it the renderer's silhouette cut (`add_silhouette`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from edge_app.errors import DrapeError
from models.generator import STUDENT, TEACHER, Generator, GeneratorConfig
from trainer import distributed
from trainer.gan import (
    GanConfig,
    GanTrainee,
    copy_if_shaped,
    fit_predictor,
    fold_loss,
    geometry_loss,
    motif_loss,
    start_from_teacher,
)
from trainer.garment_data import garment_pairs, graphic_templates, material_textures, silhouette_tables
from trainer.loop import LoopConfig, run_steps, save_atomic, tensorboard
from trainer.run_info import fingerprint, write_run_info
from trainer.sprite_quality import CLASSIFIER, agreement, sprite_quality, to_rgba_uint8

STAGES = ("teacher", "student", "predictors", "silhouette")
# The parts that predict the renderer's choices, each fitted alone before the loop (trainer.gan.fit_predictor): the
# part's name in Generator, its truth's index in the pairs' tensors (trainer.garment_data.garment_pairs), its loss,
# the config's count of its steps, and what it predicts.
PREDICTORS = (
    ("geometry", 4, geometry_loss, "wave_steps", "print waves"),
    ("relief", 7, fold_loss, "fold_steps", "folds"),
    ("motif", 8, motif_loss, "motif_steps", "graphics"),
)


@dataclass(frozen=True)
class GeneratorTrainConfig:
    pairs: int = 6000  # rendered (frame, sprite) training pairs
    eval_pairs: int = 200  # held-out pairs (another seed) scored at the end of each stage
    # the attribute classifier (the metric), trained on rendered sprites of its own before the teacher: on the 6,000
    # training pairs for 8 epochs it read the renderer's own stripes at 34 of 58 (held-out pattern 0.85, mean 0.94)
    classifier_pairs: int = 12000
    classifier_epochs: int = 6
    seed: int = 0  # seeds the pairs, the models and the loop (it replaces loop.seed)
    wave_steps: int = 12000  # of the print-wave predictor's own fit, before the loop (trainer.gan.fit_predictor)
    fold_steps: int = 6000  # of the fold predictor's (FoldRelief), likewise
    motif_steps: int = 6000  # of a graphic's predictor's (GraphicMotif), likewise
    gan: GanConfig = field(default_factory=GanConfig)
    loop: LoopConfig = field(default_factory=lambda: LoopConfig(epochs=6, batch_size=32, checkpoint_every=100))
    teacher: GeneratorConfig = TEACHER
    student: GeneratorConfig = STUDENT
    real: str | None = None  # "NAME:ROOT" of a real catalogue dataset (trainer/data/real.py), used unpaired
    real_labels: str | None = None  # its labels file; without one the shipped parser reads its product text


def sample_grid(generator: Generator, data, count: int = 8) -> np.ndarray:
    """Truth (top row) over generated (bottom row) for the first `count` pairs, RGB on grey, uint8 (H, W, 3)."""
    attributes, rgb, style, truth = (t[:count] for t in data.tensors[:4])
    with torch.no_grad():
        fake = generator.eval()(attributes, rgb, style)
    rows = [truth.float() / 255, fake]
    grey = torch.full_like(rows[0][:, :3], 0.75)
    tiles = [torch.cat(list(r[:, :3] * r[:, 3:] + grey * (1 - r[:, 3:])), dim=2) for r in rows]  # (3, H, W*count)
    return (torch.cat(tiles, dim=1).permute(1, 2, 0).numpy() * 255).astype(np.uint8)


def load_generator(path: Path, predictors: bool = True) -> Generator:
    """The generator saved at `path`; with `predictors` False, all but its PREDICTORS' MLPs (left as built, for
    refit_predictors to fit)."""
    if not path.exists():
        raise DrapeError(f"no {path.name} in {path.parent}; train it with: drape train generator --stage "
                         f"{path.stem} --out {path.parent}")
    state = torch.load(path, map_location="cpu")
    cfg = state["config"]
    try:
        model = Generator(GeneratorConfig(**{**cfg, "channels": tuple(cfg["channels"])}))
        left = () if predictors else tuple(f"{name}.predict." for name, *_ in PREDICTORS)  # as built
        weights = {k: v for k, v in state["model"].items() if not k.startswith(left)}
        missing, unexpected = model.load_state_dict(weights, strict=False)
        missing = [k for k in missing if not k.startswith(left)]
        if missing or unexpected:  # worded as load_state_dict words them; the line after the heading is shown
            raise RuntimeError("\n".join(["Error(s) in loading state_dict:",
                                           *([f"Missing key(s): {', '.join(missing)}"] if missing else []),
                                           *([f"Unexpected key(s): {', '.join(unexpected)}"] if unexpected else [])]))
    except (TypeError, RuntimeError) as err:  # a config key or a weight this version of the model does not have
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        reason = (lines[1] if len(lines) > 1 else lines[0])[:160]  # load_state_dict's first line is a heading
        raise DrapeError(f"{path} was trained by another version of the generator ({reason}); "
                         f"retrain it: drape train generator --stage {path.stem} --out {path.parent}") from None
    return model.eval()


def train_generator(cfg: GeneratorTrainConfig, stage: str, run: Path, resume: bool = False) -> dict:
    """Train one stage into `run`; returns its metrics (held-out quality, throughput), also in metrics_<stage>.json.

    Under torchrun every process renders the same pairs and trains its share of each batch; rank 0 alone trains
    the attribute classifier, writes files and scores the result (the others return {}).
    """
    if stage not in STAGES:
        raise DrapeError(f"unknown stage {stage!r}; the stages are: {', '.join(STAGES)}")
    if stage == "predictors":
        return refit_predictors(cfg, run)
    if stage == "silhouette":
        return add_silhouette(cfg, run)
    distributed.init()
    main = distributed.is_main()
    teacher = load_generator(run / "teacher.pt") if stage == "student" else None
    torch.manual_seed(cfg.seed)  # the initial weights
    generator = Generator(cfg.teacher if stage == "teacher" else cfg.student)
    if generator.texture is not None:  # a student's are its teacher's (start_from_teacher), which are these
        generator.texture.maps.data.copy_(material_textures())
    if generator.motif is not None:  # likewise
        generator.motif.templates.data.copy_(graphic_templates())
    if generator.silhouette is not None:
        generator.silhouette.fill(*silhouette_tables())
    style_dim = generator.cfg.style_dim
    data, _ = garment_pairs(cfg.pairs, cfg.seed, style_dim, progress=main)
    write_run_info(run, cfg, {"pairs": fingerprint(data.tensors)}, stage)
    if main:
        (run / "checkpoints").mkdir(parents=True, exist_ok=True)
        if stage == "teacher" and not (resume and (run / CLASSIFIER).exists()):
            _train_classifier(run / CLASSIFIER, cfg.classifier_pairs, cfg.seed, cfg.classifier_epochs, style_dim)
    distributed.barrier()
    copied = start_from_teacher(generator, teacher) if teacher is not None else []
    if teacher is not None and main:
        print(f"student starts from the teacher's {', '.join(copied) or 'nothing (no part has its shape)'}")
    checkpoint = run / "checkpoints" / f"{stage}.ckpt"
    fresh = not (resume and checkpoint.exists())
    if fresh:
        fit_predictors(generator, data, cfg, skip=copied, progress=main)
    for name, *_ in PREDICTORS:
        if getattr(generator, name) is not None:
            getattr(generator, name).predict.requires_grad_(False)  # the loop leaves them (GanTrainee)
    torch.manual_seed(cfg.seed)  # the critic's (and a student's adapters') initial weights
    trainee = GanTrainee(generator, cfg.gan, teacher=teacher, real_sprites=real_sprites(cfg))
    writer = tensorboard(run)
    throughput = run_steps(trainee, data, replace(cfg.loop, seed=cfg.seed), checkpoint, stage, writer, resume)
    generator.cpu()
    if not main:
        return {}
    save_atomic({"config": generator.config_dict(), "model": generator.state_dict()}, run / f"{stage}.pt")
    grid = sample_grid(generator, data)
    writer.add_image(f"{stage}/truth_over_generated", grid, dataformats="HWC")
    writer.close()
    from PIL import Image

    Image.fromarray(grid).save(run / f"samples_{stage}.png")
    metrics = {"stage": stage, "pairs": cfg.pairs, "parameters": sum(p.numel() for p in generator.parameters()),
               **held_out_quality(generator, teacher, run, cfg.seed, cfg.eval_pairs),
               "processes": distributed.world_size(), "samples_per_s": throughput["samples_per_s"]}
    (run / f"metrics_{stage}.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


def fit_predictors(generator: Generator, data, cfg: GeneratorTrainConfig, skip: list[str] = (),
                   progress: bool = True) -> dict[str, float]:
    """Fit each of the generator's PREDICTORS (but those in `skip`) alone to the renderer's account of `data`;
    -> per part, its loss over all of `data` after."""
    losses = {}
    for name, truth, loss_of, steps, what in PREDICTORS:
        part = getattr(generator, name)
        if part is None or name in skip:
            continue
        n = getattr(cfg, steps)
        losses[name] = fit_predictor(part, data.tensors[truth], loss_of, data, n, cfg.seed, progress=progress)
        if progress:
            print(f"{what} fitted in {n} steps: loss {losses[name]:.4f} over the training pairs")
    return losses


def refit_predictors(cfg: GeneratorTrainConfig, run: Path) -> dict:
    """The predictors stage: fit the PREDICTORS of the run's teacher afresh (fit_predictors, on the run's pairs),
    give the student the same, keep every other weight; -> the losses and both stages' held-out quality, also in
    metrics_predictors.json.

    Training draws with the renderer's own choices (Guide), so nothing else in a trained pair reads the predictors:
    new ones (new inputs, a renderer whose choices changed) need minutes, not a new pair. A student whose predictor
    is not shaped as its teacher's is fitted on its own. Rank 0 alone works under torchrun."""
    distributed.init()
    if not distributed.is_main():
        return {}
    teacher, student = (load_generator(run / f"{stage}.pt", predictors=False) for stage in ("teacher", "student"))
    if all(getattr(teacher, name) is None for name, *_ in PREDICTORS):
        raise DrapeError(f"the pair in {run} predicts none of the renderer's choices (config geometry: 0, relief and "
                         "motif false): nothing to refit")
    data, _ = garment_pairs(cfg.pairs, cfg.seed, teacher.cfg.style_dim)
    write_run_info(run, cfg, {"pairs": fingerprint(data.tensors)}, "predictors")
    metrics: dict = {"stage": "predictors", "steps": {steps: getattr(cfg, steps) for _, _, _, steps, _ in PREDICTORS},
                     "loss": fit_predictors(reset_predictors(teacher, cfg.seed), data, cfg)}
    unshaped = [name for name, *_ in PREDICTORS if getattr(student, name) is not None
                and (getattr(teacher, name) is None
                     or not copy_if_shaped(getattr(student, name).predict, getattr(teacher, name).predict))]
    if unshaped:  # the others were copied from the teacher: reset and fit only these
        skip = [name for name, *_ in PREDICTORS if name not in unshaped]
        metrics["student_loss"] = fit_predictors(reset_predictors(student, cfg.seed, skip), data, cfg, skip=skip)
    return save_pair(run, cfg, teacher, student, metrics)


def add_silhouette(cfg: GeneratorTrainConfig, run: Path) -> dict:
    """The silhouette stage: give the run's trained pair the renderer's silhouette cut (models.renderer_lookups.
    SilhouetteCut) and score both; nothing trains, every weight is kept. The cut only bounds the alpha by what the
    attributes fix, so a pair trained without it gains from it as it is (session 14's student: neckline 0.826 ->
    0.988, length 0.893 -> 1.0 on 200 held-out pairs). Rank 0 alone works under torchrun."""
    distributed.init()
    if not distributed.is_main():
        return {}
    tables = silhouette_tables()
    pair = []
    for stage in ("teacher", "student"):
        trained = load_generator(run / f"{stage}.pt")
        generator = Generator(replace(trained.cfg, silhouette=True))
        generator.load_state_dict(trained.state_dict(), strict=False)  # the same config but the cut: all but its tables
        generator.silhouette.fill(*tables)
        pair.append(generator.eval())
    write_run_info(run, cfg, {}, "silhouette")
    return save_pair(run, cfg, *pair, {"stage": "silhouette"})


def save_pair(run: Path, cfg: GeneratorTrainConfig, teacher: Generator, student: Generator, metrics: dict) -> dict:
    """Save a changed pair over the run's, score both on held-out pairs, and write metrics_<stage>.json."""
    for stage, generator in (("teacher", teacher), ("student", student)):
        save_atomic({"config": generator.config_dict(), "model": generator.state_dict()}, run / f"{stage}.pt")
        metrics[stage] = held_out_quality(generator, teacher if stage == "student" else None, run, cfg.seed,
                                          cfg.eval_pairs)
    (run / f"metrics_{metrics['stage']}.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


def reset_predictors(generator: Generator, seed: int, skip: list[str] = ()) -> Generator:
    """The generator with its PREDICTORS' MLPs (but those in `skip`) initialised afresh, as a new generator's of
    `seed` are."""
    torch.manual_seed(seed)
    for name, *_ in PREDICTORS:
        if getattr(generator, name) is not None and name not in skip:
            for layer in getattr(generator, name).predict.modules():
                if isinstance(layer, nn.Linear):
                    layer.reset_parameters()
    return generator


def real_sprites(cfg: GeneratorTrainConfig) -> torch.Tensor | None:
    """The real catalogue garments of `cfg.real` as uint8 sprites (N, 4, H, W), or None."""
    if cfg.real is None:
        return None
    from trainer.data.real import load_real, to_sprite

    name, _, root = cfg.real.partition(":")
    parse = None
    if cfg.real_labels is None:
        from edge_app.parser import TextParser

        parse = TextParser.from_bundle().parse
    sprites = [to_sprite(g) for g in load_real(name, root, labels=cfg.real_labels, parse=parse)]
    if not sprites:
        raise DrapeError(f"--real {cfg.real} holds no garments; check the folder layout (trainer/data/real.py)")
    return torch.from_numpy(np.stack(sprites)).permute(0, 3, 1, 2).contiguous()


def _train_classifier(path: Path, pairs: int, seed: int, epochs: int, style_dim: int) -> None:
    """The attribute classifier that scores generated sprites, trained on `pairs` rendered ones (the generator's
    training pairs first: the same seed)."""
    from trainer.attribute_classifier import save_classifier, train_attribute_classifier

    data, garments = garment_pairs(pairs, seed, style_dim, progress=True)
    sprites = data.tensors[3].permute(0, 2, 3, 1).numpy()  # (N, H, W, 4) uint8
    save_classifier(train_attribute_classifier(sprites, garments, epochs=epochs, seed=seed), path)


def generate_all(generator: Generator, data) -> np.ndarray:
    """(N, H, W, 4) uint8 sprites for every pair of `data`."""
    with torch.no_grad():
        return to_rgba_uint8(generator.eval()(*data.tensors[:3]).numpy())


def held_out_pairs(n: int, seed: int, style_dim: int):
    """The n pairs a run of `seed` is scored on: rendered from another seed than its training pairs."""
    return garment_pairs(n, seed + 1_000_003, style_dim, progress=False)


def held_out_quality(generator: Generator, teacher: Generator | None, run: Path, seed: int, n: int = 200) -> dict:
    """Quality on pairs the stage never saw (another seed): colour error, IoU, attribute accuracy, and for the
    student its agreement with the teacher."""
    data, garments = held_out_pairs(n, seed, generator.cfg.style_dim)
    sprites = generate_all(generator, data)
    out = sprite_quality(sprites, garments, run / CLASSIFIER)
    if teacher is not None:
        out["vs_teacher"] = agreement(sprites, generate_all(teacher, data))
    return out
