# Thin wrapper over ./dev, for those who type make.
.PHONY: run test bench build deps install
run test bench build deps install:
	./dev $@
