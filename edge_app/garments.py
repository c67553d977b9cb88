"""A session's frame -> the complete garment the generator draws, from the bundle's garment templates.

Runs on the device (the templates come from the manifest); the trainer calls the same function with
`models.schema.garment_templates()`, so training pairs and the app agree on every default.
"""

from __future__ import annotations

Garment = dict[str, str | None]


def complete_garment(frame: dict, templates: dict) -> tuple[Garment, list[str]]:
    """The garment a frame asks for, and one note per attribute dropped because its family has none.

    Null slots take the category's defaults; `secondary_color` is kept only for two-colour patterns (and
    chosen to contrast when the frame names none).
    """
    slots = templates["garment_slots"]
    said = {k: frame.get(k) for k in slots}
    category = said["category"] or templates["defaults"]["category"]
    family = templates["category_family"][category]
    out = {**templates["defaults"], **templates["category_defaults"][category], "category": category}
    out.update({k: v for k, v in said.items() if v is not None})
    dropped = []
    for slot, families in templates["applies_to"].items():
        if family not in families:
            if said[slot] is not None:
                dropped.append(f"{slot}={said[slot]} dropped: a {category} is a {family} garment, with no {slot}")
            out[slot] = None
    if out["pattern"] == "solid":
        out["secondary_color"] = None
    elif out.get("secondary_color") in (None, out["color"]):
        out["secondary_color"] = "white" if out["color"] != "white" else "navy"
    return {k: out.get(k) for k in slots}, dropped
