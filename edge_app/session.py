"""A shopper's garment over a conversation: each parsed frame applied in turn, with history for undo.

`new` starts a garment from what was said; `modify` keeps every attribute the sentence leaves null; `undo` goes
back one step; `reset` clears everything. A sentence that sets nothing (small talk) changes nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INTENTS = ("new", "modify", "undo", "reset")


@dataclass
class Session:
    history: list[dict] = field(default_factory=list)  # garment frames (intent removed), the newest last

    @property
    def current(self) -> dict | None:
        """The garment frame being worn, or None before anything was asked (or after a reset)."""
        return self.history[-1] if self.history else None

    def apply(self, frame: dict) -> str:
        """Apply one parsed frame; returns a short line saying what happened."""
        intent = frame.get("intent")
        if intent not in INTENTS:
            raise ValueError(f"frame intent {intent!r} is not one of: {', '.join(INTENTS)}")
        said = {k: v for k, v in frame.items() if k != "intent" and v is not None}
        if intent == "reset":
            self.history.clear()
            return "reset: nothing worn"
        if intent == "undo":
            if not self.history:
                return "nothing to undo"
            self.history.pop()
            return "undone" if self.history else "undone: nothing worn"
        if not said:
            return "nothing about clothes in that sentence; the garment stays as it is"
        base = self.current if intent == "modify" and self.current else {}
        self.history.append({**base, **said})
        return f"{'changed' if base else 'new'}: " + ", ".join(f"{k}={v}" for k, v in said.items())

    def drop(self, slot: str) -> str:
        """Take one attribute off the garment (a chip tapped off), as a step undo can take back."""
        if self.current is None or slot not in self.current:
            return f"nothing to remove: {slot} is not set"
        self.history.append({k: v for k, v in self.current.items() if k != slot})
        return f"removed {slot}"

    def clear(self) -> None:
        """Forget every frame (the kiosk's idle reset)."""
        self.history.clear()
