"""The service as its users meet it: real ``nex-automat`` processes on real ports."""
