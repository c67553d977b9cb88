"""Give a model named inputs and outputs, so every exporter sees the same names in the same order.

A Drape model is called as `model(**sample)`: the keys of `sample` are forward's parameter names, in forward's
order. It returns one tensor, a tuple/list in `output_names` order, or a mapping (a dict, a Hugging Face ModelOutput)
that holds every name in `output_names`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch
from torch import nn


def outputs_in_order(result: object, output_names: Sequence[str]) -> tuple[torch.Tensor, ...]:
    """The model's `result` as a tuple of tensors in `output_names` order."""
    if isinstance(result, torch.Tensor):
        tensors: tuple = (result,)
    elif isinstance(result, Mapping):
        missing = [n for n in output_names if n not in result]
        if missing:
            raise ValueError(f"model outputs {sorted(result)} lack {missing}")
        return tuple(result[n] for n in output_names)
    else:
        tensors = tuple(result)
    if len(tensors) != len(output_names):
        raise ValueError(f"model returns {len(tensors)} outputs but {len(output_names)} names were given")
    return tensors


class NamedIO(nn.Module):
    """`model` called positionally in `input_names` order (or by name), returning a tuple, or a dict when `as_dict`."""

    def __init__(
        self, model: nn.Module, input_names: Sequence[str], output_names: Sequence[str], as_dict: bool = False
    ):
        super().__init__()
        self.model = model
        self.input_names = list(input_names)
        self.output_names = list(output_names)
        self.as_dict = as_dict
        self.eval()  # exporters check the wrapper's own mode too (coremltools warns otherwise)

    def forward(self, *args: torch.Tensor, **kwargs: torch.Tensor):
        feeds = dict(zip(self.input_names[: len(args)], args, strict=True)) | kwargs
        outputs = outputs_in_order(self.model(**feeds), self.output_names)
        if self.as_dict:
            return dict(zip(self.output_names, outputs, strict=True))
        return outputs if len(outputs) > 1 else outputs[0]


def torch_outputs(model: nn.Module, feeds: Mapping[str, np.ndarray], output_names: Sequence[str]) -> dict:
    """Run the PyTorch `model` on numpy `feeds`; name → numpy array."""
    with torch.inference_mode():
        result = model.eval()(**{name: torch.from_numpy(np.asarray(a)) for name, a in feeds.items()})
    tensors = outputs_in_order(result, output_names)
    return {n: t.detach().cpu().numpy() for n, t in zip(output_names, tensors, strict=True)}


def tensor_specs(arrays: Mapping[str, np.ndarray | torch.Tensor]) -> list[dict]:
    """[{"name", "shape", "dtype"}] of named arrays, in their order, as the manifest records them."""
    specs = []
    for name, array in arrays.items():
        dtype = str(array.dtype).removeprefix("torch.")
        specs.append({"name": name, "shape": [int(d) for d in array.shape], "dtype": dtype})
    return specs


def submodule_path(model: nn.Module, dotted: str) -> list[tuple[str, nn.Module, bool]]:
    """The modules on the way to `model`'s submodule `dotted` ("stages.1.conv"): per step its name, the module, and
    whether its parent is a container (nn.Sequential, nn.ModuleList). The exporters scope a graph's nodes by this
    path, each in its own words (export.onnx_export.onnx_scope, export.tflite_export.litert_scope)."""
    steps, parent = [], model
    for name in dotted.split("."):
        child = parent[int(name)] if isinstance(parent, nn.ModuleList | nn.Sequential) else getattr(parent, name)
        steps.append((name, child, isinstance(parent, nn.ModuleList | nn.Sequential)))
        parent = child
    return steps
