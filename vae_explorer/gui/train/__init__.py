"""The Train area: the settings form, the live loss plots, and the dashboard that runs the worker."""
