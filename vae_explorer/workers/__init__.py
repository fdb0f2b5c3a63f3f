"""Qt workers: long jobs off the GUI thread, talking to the GUI only through signals. No widgets here."""
