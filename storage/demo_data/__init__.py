"""Hand-written material for the demo dataset (`storage.demo`): accounts and note templates."""
