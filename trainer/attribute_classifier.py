"""Train, score, save and load the attribute classifier (models.attribute_classifier) on rendered sprites.

Trained once on the renderer's sprites, whose garments are known; its per-attribute accuracy on the
generator's sprites for the same garments then says whether the generator draws what was asked.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from models.attribute_classifier import (
    ATTRIBUTES,
    AttributeClassifier,
    AttributeClassifierConfig,
    attribute_labels,
    labels_of,
)
from trainer.garment_metrics import premultiplied
from trainer.loop import save_atomic


def _check_set(sprites: np.ndarray, garments: list[dict]) -> None:
    if sprites.ndim != 4 or sprites.shape[3] != 4 or sprites.dtype != np.uint8:
        raise ValueError(f"sprites must be an (N, H, W, 4) uint8 RGBA array, got {sprites.shape} {sprites.dtype}")
    if len(sprites) != len(garments):
        raise ValueError(f"need one garment per sprite, got {len(garments)} garments for {len(sprites)} sprites")


def sprites_to_tensor(sprites: np.ndarray | torch.Tensor) -> torch.Tensor:
    """(N, H, W, 4) uint8 -> (N, 4, H, W) float32 in [0, 1], the classifier's input: the sprite as seen, its colours
    premultiplied by alpha. A colour where alpha is 0 is never seen and a generator is not taught it
    (trainer.gan.sprite_l1): read straight, session 13's student's grey there (mean 108) read as sleeves and
    lengths that are not drawn (attr acc 0.804; premultiplied 0.903). The renderer's colour is 0 there already:
    on rendered sprites the view moves the classifier's accuracy by 0.004 (0.989 -> 0.985, 200 held-out)."""
    return premultiplied(torch.as_tensor(sprites).permute(0, 3, 1, 2).to(torch.float32) / 255.0)


def _targets(garments: list[dict]) -> dict[str, torch.Tensor]:
    labels = [labels_of(g) for g in garments]
    return {a: torch.tensor([row[a] for row in labels], dtype=torch.long) for a in ATTRIBUTES}


def _jitter_brightness(x: torch.Tensor, amount: float, gen: torch.Generator) -> torch.Tensor:
    """Scale each sprite's RGB by one factor in [1 - amount, 1 + amount]; alpha untouched.

    The only augmentation: the renderer's lighting is fixed and the generator's is not quite. No flips or
    crops, which would move the sleeves and hems the classifier is there to check.
    """
    factor = 1 + amount * (2 * torch.rand(x.shape[0], 1, 1, 1, generator=gen) - 1)
    return torch.cat([(x[:, :3] * factor).clamp(0, 1), x[:, 3:]], dim=1)


def classifier_loss(logits: dict[str, torch.Tensor], targets: dict[str, torch.Tensor]) -> torch.Tensor:
    """Cross-entropy per head, averaged over the heads."""
    return sum(nn.functional.cross_entropy(logits[a], targets[a]) for a in ATTRIBUTES) / len(ATTRIBUTES)


def train_attribute_classifier(sprites: np.ndarray, garments: list[dict], epochs: int = 10, seed: int = 0,
                               progress: bool = True, *, batch_size: int = 64, lr: float = 2e-3,
                               brightness: float = 0.1,
                               config: AttributeClassifierConfig | None = None) -> AttributeClassifier:
    """Fit a fresh classifier to rendered `sprites` (N, H, W, 4) uint8 and their complete `garments`; Adam."""
    _check_set(sprites, garments)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = AttributeClassifier(config)
    pixels, targets = torch.from_numpy(sprites), _targets(garments)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    per_epoch = math.ceil(len(sprites) / batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * per_epoch)
    model.train()
    with tqdm(total=epochs * per_epoch, desc="attribute classifier", unit="step", disable=not progress,
              dynamic_ncols=True, mininterval=1.0) as bar:
        for epoch in range(epochs):
            order = torch.randperm(len(sprites), generator=gen)
            for start in range(0, len(sprites), batch_size):
                index = order[start : start + batch_size]
                x = _jitter_brightness(sprites_to_tensor(pixels[index]), brightness, gen)
                loss = classifier_loss(model(x), {a: t[index] for a, t in targets.items()})
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                schedule.step()
                bar.update(1)
                bar.set_postfix(loss=f"{loss.item():.4f}", epoch=epoch + 1)
    return model.eval()


@torch.no_grad()
def predict_attributes(classifier: AttributeClassifier, sprites: np.ndarray,
                       batch_size: int = 256) -> dict[str, np.ndarray]:
    """Class index per attribute, (N,) each, for (N, H, W, 4) uint8 sprites."""
    classifier.eval()
    pixels = torch.from_numpy(np.ascontiguousarray(sprites))
    chunks = [classifier(sprites_to_tensor(pixels[i : i + batch_size])) for i in range(0, len(pixels), batch_size)]
    return {a: torch.cat([c[a] for c in chunks]).argmax(dim=1).numpy() for a in ATTRIBUTES}


def attribute_accuracy(classifier: AttributeClassifier, sprites: np.ndarray,
                       garments: list[dict]) -> dict[str, float]:
    """Accuracy per attribute over the garments it applies to, and "mean" over the attributes measured.

    A skirt has no sleeve: counting "no sleeve" as a right answer would inflate sleeve accuracy by the
    share of lower garments, so an attribute is scored only where its garment has it. An attribute that
    applies to none of the garments is NaN (not measured) and is left out of the mean.
    """
    _check_set(sprites, garments)
    predicted, truth = predict_attributes(classifier, sprites), _targets(garments)
    out = {}
    for a in ATTRIBUTES:
        applies = truth[a].numpy() != 0  # class 0 is None: not applicable
        out[a] = float(np.mean(predicted[a][applies] == truth[a].numpy()[applies])) if applies.any() else math.nan
    measured = [v for v in out.values() if not math.isnan(v)]
    out["mean"] = float(np.mean(measured)) if measured else math.nan
    return out


def save_classifier(model: AttributeClassifier, path: str | Path) -> None:
    """Config, class layout and weights, written to a temporary name and renamed."""
    labels = {a: attribute_labels(a) for a in ATTRIBUTES}
    save_atomic({"config": asdict(model.cfg), "labels": labels, "state_dict": model.state_dict()}, Path(path))


def load_classifier(path: str | Path) -> AttributeClassifier:
    """The classifier `save_classifier` wrote, in eval mode; a one-line error if the file is missing or wrong."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no attribute classifier at {path}: train one first (train_attribute_classifier)")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        config = AttributeClassifierConfig(**{k: tuple(v) if isinstance(v, list) else v
                                              for k, v in state["config"].items()})
    except Exception as err:  # any unreadable file gets the same one-line message
        raise ValueError(f"{path} is not an attribute classifier checkpoint ({type(err).__name__}: {err})") from None
    if state.get("labels") != {a: attribute_labels(a) for a in ATTRIBUTES}:
        raise ValueError(f"{path} was trained for a different taxonomy (attribute values changed); retrain it")
    model = AttributeClassifier(config)
    model.load_state_dict(state["state_dict"])
    return model.eval()
