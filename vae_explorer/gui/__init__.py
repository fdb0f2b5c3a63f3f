"""Widgets. No TensorFlow here: models arrive as objects from the workers."""
