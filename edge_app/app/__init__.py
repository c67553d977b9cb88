"""The Kivy app: phone mirror and in-store kiosk. Logic in state.py, one .kv per screen."""
