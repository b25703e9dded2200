"""Quality scorers against gold data, each a DVC stage of the same name."""
