"""Report generators: every module here is imported by the registry and registers its generator(s)."""
