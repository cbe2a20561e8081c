"""The experiment catalog and the net and solver prototxts it generates (Makefile: prototxts)."""
