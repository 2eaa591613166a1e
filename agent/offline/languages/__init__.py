"""Word lists per language (German, Spanish, French, Portuguese) for the offline analysers."""
