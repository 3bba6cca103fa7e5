# Thin wrapper over ./dev, for those who type make.
.PHONY: run demo test bench bench-http build deps install
run demo test bench bench-http build deps install:
	./dev $@
