"""Synthetic contract photos (`synth`) and the field-accuracy eval over them (`run`)."""
