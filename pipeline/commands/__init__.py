"""One module per CLI verb; they only orchestrate the pipeline stages."""
